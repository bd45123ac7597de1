/// A scope a resource offers, with the words the consent page shows for it.
public struct ScopeDefinition: Sendable, Equatable, Codable {
  /// The scope token, e.g. `notes:read`.
  public var name: String
  /// What the consent page says the scope allows.
  public var description: String

  /// Creates a scope definition.
  public init(name: String, description: String) {
    self.name = name
    self.description = description
  }
}

/// A protected resource (an MCP server endpoint), identified by its canonical URL (RFC 8707,
/// MCP "Canonical Server URI"). Tokens issued for it carry this URL as `aud`.
public struct Resource: Sendable, Equatable, Codable {
  /// The canonical URL, e.g. `https://notes.example.com/mcp`.
  public var url: String
  /// Shown on the consent page.
  public var name: String
  /// The scopes the resource offers.
  public var scopes: [ScopeDefinition]
  /// Granted when an authorization request names no scope.
  public var defaultScopes: ScopeSet
  /// Per-tool required scopes for the MCP middleware (`tool name → scopes`).
  public var toolScopes: [String: ScopeSet]

  /// Creates a resource.
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

  /// The names of every offered scope.
  public var offeredScopes: ScopeSet { ScopeSet(scopes.map(\.name)) }
}
