/// A scope a resource offers, with the words the consent page shows for it.
public struct ScopeDefinition: Sendable, Equatable, Codable {
  public var name: String
  public var description: String

  public init(name: String, description: String) {
    self.name = name
    self.description = description
  }
}

/// A protected resource (an MCP server endpoint), identified by its canonical URL (RFC 8707,
/// MCP "Canonical Server URI"). Tokens issued for it carry this URL as `aud`.
public struct Resource: Sendable, Equatable, Codable {
  public var url: String
  public var name: String
  public var scopes: [ScopeDefinition]
  /// Granted when an authorization request names no scope.
  public var defaultScopes: ScopeSet
  /// Per-tool required scopes for the MCP middleware (`tool name → scopes`).
  public var toolScopes: [String: ScopeSet]

  public init(
    url: String, name: String, scopes: [ScopeDefinition], defaultScopes: ScopeSet = .empty,
    toolScopes: [String: ScopeSet] = [:]
  ) {
    self.url = url
    self.name = name
    self.scopes = scopes
    self.defaultScopes = defaultScopes
    self.toolScopes = toolScopes
  }

  public var offeredScopes: ScopeSet { ScopeSet(scopes.map(\.name)) }
}
