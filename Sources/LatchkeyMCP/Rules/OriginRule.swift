/// The verdict on a request's `Origin` header fields.
public enum OriginDecision: Sendable, Equatable {
  /// No `Origin` field (a non-browser client), the resource's own origin, or an allow-listed one.
  case allowed
  /// Present and not acceptable: answer 403 before anything else runs.
  case refused(reason: String)
}

/// DNS-rebinding protection for the Streamable HTTP endpoint.
///
/// MCP 2025-11-25, Transports §2.0.1 "Security Warning": servers MUST validate the `Origin`
/// header on all incoming connections; if it is present and invalid they MUST answer
/// 403 Forbidden (a JSON-RPC error without `id` may be the body). A rebinding page sends its
/// own origin (`http://evil.example:8081`) with a `Host` that agrees with it, so `Host` proves
/// nothing and only `Origin` is judged.
///
/// Rule: no `Origin` → allowed (non-browser MCP clients send none); exactly one `Origin` equal
/// to the resource's origin or to an allow-listed origin → allowed; anything else (another
/// origin, `null`, several fields, a value that is not a serialized origin) → refused.
/// Comparison follows RFC 6454 §4/§6.2: scheme and host compare ASCII case-insensitively and
/// a default port (80 for http, 443 for https) equals no port. The literal allow-list entry
/// `null` admits `Origin: null` (RFC 6454 §7.3, sandboxed or file pages); off by default.
public enum OriginRule {
  public static func decide(
    _ fieldValues: [String], resourceOrigin: String, allowedOrigins: [String]
  ) -> OriginDecision {
    guard let value = fieldValues.first else { return .allowed }
    guard fieldValues.count == 1 else { return .refused(reason: "more than one Origin field") }
    let trimmed = value.trimmingSpaces
    if trimmed == "null" {
      return allowedOrigins.contains("null")
        ? .allowed : .refused(reason: "opaque origin (null)")
    }
    guard let origin = serialized(String(trimmed)) else {
      return .refused(reason: "Origin is not a serialized origin")
    }
    let accepted = ([resourceOrigin] + allowedOrigins).compactMap(serialized)
    return accepted.contains(origin) ? .allowed : .refused(reason: "Origin not allowed")
  }

  /// RFC 6454 §6.2 `serialized-origin = scheme "://" host [ ":" port ]` for http(s), in a
  /// canonical form: lower-case scheme and host, default port dropped. Nil for anything else
  /// (paths, userinfo, queries, other schemes, empty hosts, bad ports).
  public static func serialized(_ value: String) -> String? {
    guard let separator = value.range(of: "://") else { return nil }
    let scheme = value[..<separator.lowerBound].lowercased()
    let defaultPort: String
    switch scheme {
    case "http": defaultPort = "80"
    case "https": defaultPort = "443"
    default: return nil
    }
    let authority = value[separator.upperBound...]
    guard !authority.isEmpty,
      !authority.contains(where: { "/?#@ \\\t\r\n".contains($0) || !$0.isASCII })
    else { return nil }
    var host = Substring(authority)
    var port: Substring?
    if authority.hasPrefix("[") {
      guard let close = authority.firstIndex(of: "]") else { return nil }
      host = authority[...close]
      let rest = authority[authority.index(after: close)...]
      if !rest.isEmpty {
        guard rest.hasPrefix(":") else { return nil }
        port = rest.dropFirst()
      }
    } else if let colon = authority.firstIndex(of: ":") {
      host = authority[..<colon]
      port = authority[authority.index(after: colon)...]
    }
    guard !host.isEmpty, host != "[]" else { return nil }
    var result = scheme + "://" + host.lowercased()
    if let port {
      guard !port.isEmpty, port.count <= 5, port.allSatisfy(\.isASCIIDigit),
        let number = Int(port), number <= 65535
      else { return nil }
      if String(number) != defaultPort { result += ":\(number)" }
    }
    return result
  }
}

extension Character {
  fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
  fileprivate var trimmingSpaces: Substring {
    var slice = Substring(self)
    while slice.first == " " || slice.first == "\t" { slice = slice.dropFirst() }
    while slice.last == " " || slice.last == "\t" { slice = slice.dropLast() }
    return slice
  }
}
