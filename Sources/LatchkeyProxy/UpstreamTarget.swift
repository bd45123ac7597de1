import Foundation

/// Where the proxy forwards to: a plain-http MCP endpoint, usually on loopback or a private
/// network (TLS to the upstream is not supported; terminate TLS in front of the proxy).
public struct UpstreamTarget: Sendable, Equatable {
  public let host: String
  public let port: Int
  /// The request target sent upstream (RFC 9110 §7.1 origin-form), e.g. `/mcp`.
  public let path: String
  /// The `Host` field sent upstream (RFC 9110 §7.2): `host[:port]` as the upstream knows itself.
  public let authority: String

  /// Parses an absolute `http://host[:port]/path` URL without query or fragment; nil otherwise.
  public init?(_ url: String) {
    guard let components = URLComponents(string: url), components.scheme == "http",
      let host = components.host, !host.isEmpty, components.query == nil,
      components.fragment == nil, components.user == nil, components.password == nil
    else { return nil }
    let port = components.port ?? 80
    guard (1...65535).contains(port) else { return nil }
    self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
    self.port = port
    self.path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
    let bracketed = self.host.contains(":") ? "[\(self.host)]" : self.host
    self.authority = components.port == nil ? bracketed : "\(bracketed):\(port)"
  }
}
