import Foundation

/// Where clients look for metadata, as URL strings built from the URL the operator gave.
enum WellKnownURLs {
  /// `scheme://host[:port]` of `url`.
  static func origin(_ url: URL) -> String {
    guard let scheme = url.scheme, let host = url.host else { return url.absoluteString }
    let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
    return "\(scheme)://\(bracketed)" + (url.port.map { ":\($0)" } ?? "")
  }

  /// The path of `url` without a trailing `/` ("" for the root), as the TypeScript SDK strips
  /// it before inserting a well-known segment.
  static func insertablePath(_ url: URL) -> String {
    let path = URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedPath ?? ""
    return path.hasSuffix("/") ? String(path.dropLast()) : path
  }

  /// RFC 9728 §3.1: `/.well-known/oauth-protected-resource` inserted between the host and the
  /// path (the query kept, as the TypeScript SDK keeps it).
  static func protectedResourceMetadata(for resource: URL) -> String {
    let query = URLComponents(url: resource, resolvingAgainstBaseURL: false)?.percentEncodedQuery
    return origin(resource) + "/.well-known/oauth-protected-resource" + insertablePath(resource)
      + (query.map { "?\($0)" } ?? "")
  }

  /// The root location the TypeScript SDK and VS Code fall back to (RFC 9728 §3.1 for a
  /// resource without a path).
  static func rootProtectedResourceMetadata(for resource: URL) -> String {
    origin(resource) + "/.well-known/oauth-protected-resource"
  }

  /// Every authorization server metadata URL MCP clients try for `issuer`, in their order
  /// (TypeScript SDK `buildDiscoveryUrls`; MCP 2025-11-25 "Authorization Server Metadata
  /// Discovery"): with a path, RFC 8414 §3.1 path-inserted, OpenID Connect Discovery
  /// path-inserted, then OpenID Connect Discovery 1.0 §4 path-appended; at the root, RFC 8414
  /// then OpenID Connect Discovery.
  static func authorizationServerMetadata(for issuer: URL) -> [String] {
    let base = origin(issuer)
    let path = insertablePath(issuer)
    if path.isEmpty {
      return [
        base + "/.well-known/oauth-authorization-server",
        base + "/.well-known/openid-configuration",
      ]
    }
    return [
      base + "/.well-known/oauth-authorization-server" + path,
      base + "/.well-known/openid-configuration" + path,
      base + path + "/.well-known/openid-configuration",
    ]
  }
}

/// A URL compared the way clients compare resource identifiers: scheme and host lower-cased,
/// the default port dropped, an empty path read as `/` (WHATWG URL serialisation, which the
/// TypeScript SDK's `new URL(…).href` and VS Code apply), the rest kept verbatim.
struct NormalizedURL: Equatable, Sendable, CustomStringConvertible {
  let scheme: String
  let host: String
  let port: Int?
  let path: String
  let query: String?

  init?(_ string: String) {
    guard let components = URLComponents(string: string), let scheme = components.scheme,
      let host = components.host, !host.isEmpty
    else { return nil }
    self.scheme = scheme.lowercased()
    self.host = host.lowercased()
    let defaultPort = ["http": 80, "https": 443][self.scheme]
    port = components.port == defaultPort ? nil : components.port
    path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
    query = components.percentEncodedQuery
  }

  var origin: String { "\(scheme)://\(host)" + (port.map { ":\($0)" } ?? "") }

  var description: String { origin + path + (query.map { "?\($0)" } ?? "") }

  /// The TypeScript SDK's `checkResourceAllowed`: same origin, and this URL's path a prefix of
  /// `other`'s at a segment boundary.
  func isPrefix(of other: NormalizedURL) -> Bool {
    guard origin == other.origin else { return false }
    if path == other.path { return true }
    let base = path.hasSuffix("/") ? path : path + "/"
    return other.path.hasPrefix(base)
  }
}
