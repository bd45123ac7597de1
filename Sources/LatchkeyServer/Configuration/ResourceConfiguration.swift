public import LatchkeyCore

/// A protected resource as configured; synchronised into the store at start.
public struct ResourceConfiguration: Sendable, Codable, Equatable {
  public var url: String
  public var name: String
  public var scopes: [ScopeDefinition]
  public var defaultScopes: [String]
  public var toolScopes: [String: [String]]

  public init(
    url: String, name: String, scopes: [ScopeDefinition], defaultScopes: [String] = [],
    toolScopes: [String: [String]] = [:]
  ) {
    self.url = url
    self.name = name
    self.scopes = scopes
    self.defaultScopes = defaultScopes
    self.toolScopes = toolScopes
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case url, name, scopes
    case defaultScopes = "default_scopes"
    case toolScopes = "tool_scopes"
  }

  /// Every key a `resources[]` element accepts.
  static let shape = ConfigurationShape.fields(
    CodingKeys.self, nested: [.scopes: .array(ConfiguredScope.shape)])

  /// Without `name` the URL is shown; without `scopes` none are offered.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    try decoder.refuseUnknownKeys(besides: CodingKeys.self)
    let url = try c.decode(String.self, forKey: .url)
    var value = ResourceConfiguration(url: url, name: url, scopes: [])
    try c.decode(.name, into: &value, at: \.name)
    try c.decode(.defaultScopes, into: &value, at: \.defaultScopes)
    try c.decode(.toolScopes, into: &value, at: \.toolScopes)
    if let scopes = try c.decodeIfPresent([ConfiguredScope].self, forKey: .scopes) {
      value.scopes = scopes.map(\.definition)
    }
    self = value
  }

  public var resource: Resource {
    Resource(
      url: url, name: name, scopes: scopes, defaultScopes: ScopeSet(defaultScopes),
      toolScopes: toolScopes.mapValues { ScopeSet($0) })
  }
}

/// One `resources[].scopes[]` element: `{"name": …, "description": …}`, both required.
struct ConfiguredScope: Decodable {
  let definition: ScopeDefinition

  enum CodingKeys: String, CodingKey, CaseIterable {
    case name, description
  }

  static let shape = ConfigurationShape.fields(CodingKeys.self)

  init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    try decoder.refuseUnknownKeys(besides: CodingKeys.self)
    definition = ScopeDefinition(
      name: try c.decode(String.self, forKey: .name),
      description: try c.decode(String.self, forKey: .description))
  }
}
