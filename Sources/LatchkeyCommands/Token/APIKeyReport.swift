import LatchkeyCore

/// What `token inspect` shows for an API key, judged offline (`APIKeyFormat`): never the key,
/// and no lookup.
struct APIKeyReport {
  let recognition: APIKeyFormat.Recognition

  var checksumValid: Bool {
    if case .wellFormed = recognition { return true }
    return false
  }

  var id: String? {
    if case .wellFormed(let id) = recognition { return id }
    return nil
  }

  var json: JSONValue {
    .object([
      "type": .string("api_key"), "checksum_valid": .bool(checksumValid), "id": JSONValue(id),
    ])
  }

  var text: String {
    [
      "type:      Latchkey API key",
      "checksum:  " + (checksumValid ? "valid" : "invalid (mistyped, truncated or not a key)"),
      "id:        " + (id ?? "-"),
      "(not looked up; latchkey apikey list shows its status)",
    ].joined(separator: "\n")
  }
}
