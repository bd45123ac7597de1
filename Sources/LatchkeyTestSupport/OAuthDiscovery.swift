/// What an MCP client learns before it can authorize: from the 401 challenge, the protected
/// resource metadata (RFC 9728) and the authorization server metadata (RFC 8414).
public struct OAuthDiscovery: Sendable {
  /// `resource_metadata` of the first 401.
  public var resourceMetadataURL: String
  /// `scope` of the first 401, when present.
  public var challengeScope: String?
  /// The PRM's `resource`: what the token's `aud` must be.
  public var resource: String
  public var scopesSupported: [String]
  /// The PRM's `authorization_servers[0]`.
  public var issuer: String
  public var authorizationEndpoint: String
  public var tokenEndpoint: String
  public var registrationEndpoint: String
  public var codeChallengeMethods: [String]

  public init(
    resourceMetadataURL: String, challengeScope: String?, resource: String,
    scopesSupported: [String], issuer: String, authorizationEndpoint: String,
    tokenEndpoint: String, registrationEndpoint: String, codeChallengeMethods: [String]
  ) {
    self.resourceMetadataURL = resourceMetadataURL
    self.challengeScope = challengeScope
    self.resource = resource
    self.scopesSupported = scopesSupported
    self.issuer = issuer
    self.authorizationEndpoint = authorizationEndpoint
    self.tokenEndpoint = tokenEndpoint
    self.registrationEndpoint = registrationEndpoint
    self.codeChallengeMethods = codeChallengeMethods
  }
}
