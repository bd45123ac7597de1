/// DNS-rebinding protection for a resource served on the loopback interface.
///
/// MCP transports "Security Warning" (2025-11-25 and 2026-07-28): local servers SHOULD bind
/// only to 127.0.0.1 and MUST resist DNS rebinding. A rebinding page whose name now resolves to
/// 127.0.0.1 reaches the server with its own name in `Host`, and a same-origin GET from that page
/// carries no `Origin` at all, so `OriginRule` alone cannot see it. The MCP conformance scenario
/// `dns-rebinding-protection` (2026-07-28) expects a localhost server to refuse a non-localhost
/// `Host` with 4xx and to accept `localhost`, `127.0.0.1` and `[::1]`.
///
/// Rule: when the resource URL's host is a loopback name, the request's `Host` (HTTP/1.1) or
/// `:authority` (HTTP/2) must be one too — `localhost`, an IPv4 address in 127.0.0.0/8 or
/// `[::1]`, with any port, ASCII case-insensitive. For any other resource the reverse proxy's
/// virtual hosting decides, and the rule admits every `Host`.
public enum LoopbackHostRule {
  /// Whether a request with this `Host` may reach the resource whose host is `resourceHost`.
  public static func admits(authority: String?, resourceHost: String) -> Bool {
    guard isLoopback(host: resourceHost) else { return true }
    guard let authority, let host = host(ofAuthority: authority) else { return false }
    return isLoopback(host: host)
  }

  /// RFC 3986 §3.2.2: the host of `host[:port]` or `[IPv6]:port`, lower-cased; nil when the
  /// value is not an authority (userinfo, path, empty host).
  static func host(ofAuthority authority: String) -> String? {
    guard !authority.isEmpty, !authority.contains(where: { "@/?# ".contains($0) }) else {
      return nil
    }
    if authority.hasPrefix("[") {
      guard let close = authority.firstIndex(of: "]") else { return nil }
      let rest = authority[authority.index(after: close)...]
      guard rest.isEmpty || rest.hasPrefix(":") else { return nil }
      return authority[...close].lowercased()
    }
    let host = authority.split(separator: ":", omittingEmptySubsequences: false)
    guard host.count <= 2, let name = host.first, !name.isEmpty else { return nil }
    return name.lowercased()
  }

  /// RFC 6761 §6.3 `localhost`, RFC 1122 §3.2.1.3 127.0.0.0/8, RFC 4291 §2.5.3 `::1`.
  static func isLoopback(host: String) -> Bool {
    let host = host.lowercased()
    if host == "localhost" || host == "[::1]" || host == "::1" { return true }
    let octets = host.split(separator: ".", omittingEmptySubsequences: false)
    guard octets.count == 4, octets[0] == "127" else { return false }
    return octets.allSatisfy { octet in
      !octet.isEmpty && octet.count <= 3 && octet.allSatisfy { "0123456789".contains($0) }
        && (Int(octet) ?? 256) <= 255
    }
  }
}
