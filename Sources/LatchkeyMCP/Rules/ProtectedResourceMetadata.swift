/// The RFC 9728 §2 protected resource metadata document.
public struct ProtectedResourceMetadata: Codable, Sendable, Equatable {
  /// RFC 9728 §2 `resource` (REQUIRED): identical to the URL the well-known suffix was
  /// inserted into (§3.3), i.e. the MCP endpoint URL.
  public var resource: String
  /// RFC 9728 §2 `authorization_servers`: issuer identifiers, the first one ours exactly.
  public var authorizationServers: [String]
  /// RFC 9728 §2 `scopes_supported` (MCP: the minimal basic set; never `offline_access`).
  public var scopesSupported: [String]
  /// RFC 9728 §2 `bearer_methods_supported`: header only (MCP forbids query tokens).
  public var bearerMethodsSupported: [String]
  /// RFC 9728 §2 `resource_name`: human-readable name.
  public var resourceName: String?
  /// RFC 9728 §2 `resource_documentation`.
  public var resourceDocumentation: String?

  /// Creates the document; `ProtectedResourceConfiguration.metadata` fills it from the
  /// configuration.
  public init(
    resource: String, authorizationServers: [String], scopesSupported: [String],
    bearerMethodsSupported: [String] = ["header"], resourceName: String? = nil,
    resourceDocumentation: String? = nil
  ) {
    self.resource = resource
    self.authorizationServers = authorizationServers
    self.scopesSupported = scopesSupported
    self.bearerMethodsSupported = bearerMethodsSupported
    self.resourceName = resourceName
    self.resourceDocumentation = resourceDocumentation
  }

  enum CodingKeys: String, CodingKey {
    case resource
    case authorizationServers = "authorization_servers"
    case scopesSupported = "scopes_supported"
    case bearerMethodsSupported = "bearer_methods_supported"
    case resourceName = "resource_name"
    case resourceDocumentation = "resource_documentation"
  }
}
