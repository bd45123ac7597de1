import Foundation

/// Pulls the JSON-RPC messages out of a Server-Sent Events body (WHATWG HTML §9.2.6), to
/// answer clients that accept only `application/json`.
enum SSEMessages {
  /// The `data` of each event with a non-empty payload, in order (multi-line data joined
  /// with "\n").
  static func dataPayloads(_ text: String) -> [String] {
    var payloads: [String] = []
    var current: [Substring] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let line = line.hasSuffix("\r") ? line.dropLast() : line
      if line.isEmpty {
        if !current.isEmpty { payloads.append(current.joined(separator: "\n")) }
        current = []
      } else if line.hasPrefix("data:") {
        var value = line.dropFirst(5)
        if value.first == " " { value = value.dropFirst() }
        if !value.isEmpty { current.append(value) }
      }
    }
    if !current.isEmpty { payloads.append(current.joined(separator: "\n")) }
    return payloads
  }
}
