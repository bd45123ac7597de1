/// Which request paths the middleware treats as the protected endpoint: every path a router
/// could hand to the endpoint's handler, and a few more (fail closed).
///
/// Hummingbird's trie router splits the path on `/` and drops empty segments, so `/mcp/`,
/// `//mcp` and `/mcp//` reach the route registered for `/mcp`; with `.caseInsensitive` it also
/// ignores case. Other routers and proxies in front of the server may percent-decode (`%2F`,
/// `%6D`), resolve dot segments (RFC 3986 §5.2.4) or drop `;` path parameters (RFC 3986 §3.3).
/// Comparing the raw string, as the middleware once did, let every such variant through
/// unauthenticated. This rule compares normalised segments instead, normalising *more* than any
/// of those routers: a variant that no router maps to the endpoint gets a 401 instead of a 404,
/// which costs nothing, while a variant a router maps there can never skip the checks.
public enum EndpointPathRule {
  /// The segments of `path` after every equivalence a router or proxy might apply: the query
  /// dropped, empty segments dropped, `;` parameters cut, percent-encoding decoded (a decoded
  /// `/` splits the segment), `.` dropped, `..` removing the segment before it, letters
  /// lower-cased.
  public static func segments(_ path: some StringProtocol) -> [String] {
    var result: [String] = []
    let withoutQuery =
      path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
      .first ?? ""
    for raw in withoutQuery.split(separator: "/", omittingEmptySubsequences: true) {
      let beforeParameters = raw.split(separator: ";", maxSplits: 1).first ?? ""
      let decoded = percentDecoded(beforeParameters)
      for segment in decoded.split(separator: "/", omittingEmptySubsequences: true) {
        switch segment {
        case ".": continue
        case "..": _ = result.popLast()
        default: result.append(segment.lowercased())
        }
      }
    }
    return result
  }

  /// Whether a request for `requestPath` must pass the checks guarding `endpointPath`.
  public static func covers(requestPath: some StringProtocol, endpointSegments: [String]) -> Bool {
    segments(requestPath) == endpointSegments
  }

  /// RFC 3986 §2.1 percent-decoding, repeated until stable (a double-encoded `%252F` is decoded
  /// by some proxy chains); a malformed escape is kept as it is.
  static func percentDecoded(_ text: some StringProtocol) -> String {
    var current = String(text)
    for _ in 0..<4 {
      guard current.utf8.contains(UInt8(ascii: "%")) else { return current }
      let next = decodeOnce(current)
      if next == current { return current }
      current = next
    }
    return current
  }

  private static func decodeOnce(_ text: String) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.utf8.count)
    let input = Array(text.utf8)
    var index = 0
    while index < input.count {
      if input[index] == UInt8(ascii: "%"), index + 2 < input.count,
        let high = hexValue(input[index + 1]), let low = hexValue(input[index + 2])
      {
        bytes.append(high << 4 | low)
        index += 3
      } else {
        bytes.append(input[index])
        index += 1
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
  }
}
