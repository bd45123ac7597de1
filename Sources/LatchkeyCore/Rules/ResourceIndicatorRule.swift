import Foundation

/// RFC 8707 resource indicators on the authorization and token endpoints.
public enum ResourceIndicatorRule {
  /// The resource an authorization request is for.
  ///
  /// RFC 8707 §2: `resource` is an absolute URI without a fragment; an unknown one is
  /// `invalid_target`. MCP clients always send it; when it is missing Latchkey falls back to the
  /// only registered resource, and refuses when there are several. Scheme and host compare
  /// case-insensitively (MCP "Canonical Server URI"); a trailing slash after the host is ignored.
  public static func resolve(requested: [String], registered: [Resource])
    -> Result<Resource, OAuthError>
  {
    guard requested.count <= 1 else {
      return .failure(OAuthError(.invalidTarget, "Only one resource may be requested."))
    }
    guard let value = requested.first else {
      if registered.count == 1 { return .success(registered[0]) }
      return .failure(OAuthError(.invalidTarget, "The resource parameter is required."))
    }
    guard let canonical = canonicalize(value) else {
      return .failure(
        OAuthError(.invalidTarget, "The resource must be an absolute URI without a fragment."))
    }
    guard let match = registered.first(where: { canonicalize($0.url) == canonical }) else {
      return .failure(OAuthError(.invalidTarget, "The resource is not known to this server."))
    }
    return .success(match)
  }

  /// Lower-cases scheme and host and drops a lone trailing slash; nil when not an absolute URI
  /// or when it carries a fragment.
  public static func canonicalize(_ uri: String) -> String? {
    guard !uri.contains("#"), var components = URLComponents(string: uri),
      let scheme = components.scheme, let host = components.host, !host.isEmpty
    else { return nil }
    components.scheme = scheme.lowercased()
    components.host = host.lowercased()
    if components.percentEncodedPath == "/" { components.percentEncodedPath = "" }
    return components.string
  }
}
