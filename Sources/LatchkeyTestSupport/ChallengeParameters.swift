/// The auth-params of a `WWW-Authenticate: Bearer …` challenge (RFC 6750 §3, RFC 9728 §5.1),
/// parsed the simple way a client does: `name="value"` pairs.
public struct ChallengeParameters: Sendable, Equatable {
  public var scheme: String
  public var parameters: [String: String]

  public init?(_ header: String) {
    let trimmed = header.drop { $0 == " " }
    guard let space = trimmed.firstIndex(of: " ") else { return nil }
    scheme = String(trimmed[..<space])
    parameters = [:]
    var rest = trimmed[trimmed.index(after: space)...]
    while let equals = rest.firstIndex(of: "=") {
      let name = rest[..<equals].trimmingCharacters(in: [" ", ","])
      rest = rest[rest.index(after: equals)...]
      let value: Substring
      if rest.first == "\"" {
        rest = rest.dropFirst()
        guard let close = rest.firstIndex(of: "\"") else { return nil }
        value = rest[..<close]
        rest = rest[rest.index(after: close)...]
      } else {
        let end = rest.firstIndex(of: ",") ?? rest.endIndex
        value = rest[..<end]
        rest = rest[end...]
      }
      parameters[name] = String(value)
    }
  }

  public subscript(_ name: String) -> String? { parameters[name] }
}
