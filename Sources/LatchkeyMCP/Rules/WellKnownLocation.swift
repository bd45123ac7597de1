public import Foundation

/// Where a resource's metadata lives.
public enum WellKnownLocation {
  /// The RFC 9728 §3 well-known suffix.
  public static let protectedResourceSuffix = "/.well-known/oauth-protected-resource"

  /// The parts of an absolute `http(s)` resource URL the rules need.
  public struct ResourceURL: Sendable, Equatable {
    /// `scheme://host[:port]`, as written.
    public var origin: String
    /// The path, "/" when empty.
    public var path: String
  }

  /// RFC 9728 §1.2 / MCP "Canonical Server URI": an absolute http(s) URL without query or
  /// fragment. Nil otherwise.
  public static func parseResource(_ resource: String) -> ResourceURL? {
    guard let components = URLComponents(string: resource),
      let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
      let host = components.host, !host.isEmpty,
      components.query == nil, components.fragment == nil
    else { return nil }
    guard let schemeEnd = resource.range(of: "://") else { return nil }
    let afterScheme = resource[schemeEnd.upperBound...]
    guard let slash = afterScheme.firstIndex(of: "/") else {
      return ResourceURL(origin: resource, path: "/")
    }
    return ResourceURL(origin: String(resource[..<slash]), path: String(resource[slash...]))
  }

  /// RFC 9728 §3.1: the well-known suffix is inserted between the host and the path; a
  /// terminating "/" is stripped first, so a resource at the root uses the bare suffix.
  public static func protectedResourceMetadataPath(forResourcePath path: String) -> String {
    var trimmed = Substring(path)
    while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
    return protectedResourceSuffix + trimmed
  }

  /// RFC 9728 §3.1 / §5.1: the absolute metadata URL that goes into `resource_metadata`.
  public static func protectedResourceMetadataURL(for resource: ResourceURL) -> String {
    resource.origin + protectedResourceMetadataPath(forResourcePath: resource.path)
  }

  /// RFC 8414 §3.1: the authorization server metadata URL for an issuer (suffix inserted
  /// between host and path).
  public static func authorizationServerMetadataURL(issuer: String) -> URL? {
    guard let parsed = parseResource(issuer) else { return nil }
    var path = Substring(parsed.path)
    while path.hasSuffix("/") { path = path.dropLast() }
    return URL(string: parsed.origin + "/.well-known/oauth-authorization-server" + path)
  }
}
