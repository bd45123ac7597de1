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
    admits(authority: authority, resourceIsLoopback: isLoopback(host: resourceHost))
  }

  /// The same rule with `isLoopback(host:)` of the resource's host decided once (the
  /// configuration does, so a request pays only for its own `Host`).
  public static func admits(authority: String?, resourceIsLoopback: Bool) -> Bool {
    guard resourceIsLoopback else { return true }
    guard let authority, let host = host(ofAuthority: authority) else { return false }
    return isLoopback(host: host)
  }

  /// RFC 3986 §3.2.2: the host of `host[:port]` or `[IPv6]:port`, lower-cased; nil when the
  /// value is not an authority (userinfo, path, empty host). Read as bytes: a byte of
  /// `@ / ? #` or a space anywhere refuses the value.
  static func host(ofAuthority authority: String) -> String? {
    let bytes = authority.utf8
    guard !bytes.isEmpty,
      !bytes.contains(where: { byte in
        byte == UInt8(ascii: "@") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "?")
          || byte == UInt8(ascii: "#") || byte == UInt8(ascii: " ")
      })
    else { return nil }
    if bytes.first == UInt8(ascii: "[") {
      guard let close = bytes.firstIndex(of: UInt8(ascii: "]")) else { return nil }
      let rest = bytes[bytes.index(after: close)...]
      guard rest.isEmpty || rest.first == UInt8(ascii: ":") else { return nil }
      return lowercased(Substring(authority.utf8[...close]))
    }
    let parts = bytes.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
    guard parts.count <= 2, let name = parts.first, !name.isEmpty else { return nil }
    return lowercased(Substring(name))
  }

  /// RFC 6761 §6.3 `localhost`, RFC 1122 §3.2.1.3 127.0.0.0/8, RFC 4291 §2.5.3 `::1`.
  static func isLoopback(host: String) -> Bool {
    let host = lowercased(Substring(host))
    if host == "localhost" || host == "[::1]" || host == "::1" { return true }
    let octets = host.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
    guard octets.count == 4, octets[0].elementsEqual("127".utf8) else { return false }
    return octets.allSatisfy { octet in
      (1...3).contains(octet.count)
        && octet.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        && octet.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) } <= 255
    }
  }

  /// `text` with ASCII upper case lowered; no copy through `lowercased()` when it has none.
  private static func lowercased(_ text: Substring) -> String {
    text.utf8.contains(where: { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) })
      ? text.lowercased() : String(text)
  }
}
