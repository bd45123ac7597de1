import Foundation

/// RFC 8707 resource indicators on the authorization and token endpoints.
public enum ResourceIndicatorRule {
  /// The resource an authorization request is for.
  ///
  /// RFC 8707 §2: `resource` is an absolute URI without a fragment; an unknown one is
  /// `invalid_target`. MCP clients always send it; when it is missing Latchkey falls back to the
  /// only registered resource, and refuses when there are several. Scheme and host compare
  /// case-insensitively (MCP "Canonical Server URI"); a trailing slash after the host is ignored.
  ///
  /// A request without `resource` while several resources exist (Cursor and Claude Code have
  /// been seen to omit it) gets `implicit` (`implicitResource`) when that decides, else
  /// `invalid_target`.
  public static func resolve(
    requested: [String], registered: [Resource], implicit: Resource? = nil
  ) -> Result<Resource, OAuthError> {
    guard requested.count <= 1 else {
      return .failure(OAuthError(.invalidTarget, "Only one resource may be requested."))
    }
    guard let value = requested.first else {
      if registered.count == 1 { return .success(registered[0]) }
      if let implicit { return .success(implicit) }
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

  /// The resource a request without `resource` is for when several exist (RFC 8707 §2 leaves
  /// the default to the server): the configured `defaultResource` when it is registered; else
  /// the one registered resource whose origin equals the origin of any of `clientOrigins` (the
  /// client's https redirect URIs, its metadata-document URL), when exactly one does; else nil.
  public static func implicitResource(
    registered: [Resource], defaultResource: String?, clientOrigins: [String]
  ) -> Resource? {
    if let defaultResource, let canonical = canonicalize(defaultResource),
      let match = registered.first(where: { canonicalize($0.url) == canonical })
    {
      return match
    }
    let origins = Set(clientOrigins.compactMap(origin))
    let matches = registered.filter { resource in
      origin(resource.url).map(origins.contains) ?? false
    }
    return matches.count == 1 ? matches[0] : nil
  }

  /// `scheme://host[:port]` of an https URL, lower-cased; nil otherwise (loopback and
  /// private-use redirect URIs say nothing about which resource a client is for).
  static func origin(_ uri: String) -> String? {
    guard let components = URLComponents(string: uri), components.scheme?.lowercased() == "https",
      let host = components.host?.lowercased(), !host.isEmpty
    else { return nil }
    return "https://" + host + (components.port.map { ":\($0)" } ?? "")
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
