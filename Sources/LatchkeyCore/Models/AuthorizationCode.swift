public import Foundation

/// An issued authorization code, stored by the SHA-256 of its value (OAuth 2.1 §4.1.2:
/// short-lived, single use, bound to client, redirect URI, PKCE challenge and resource).
public struct AuthorizationCode: Sendable, Equatable, Codable {
  public var codeHash: String
  public var grantID: String
  public var clientID: String
  public var userID: String
  public var resource: String
  public var scopes: ScopeSet
  public var redirectURI: String
  /// Whether the authorization request carried `redirect_uri` (OAuth 2.1 §4.1.3).
  public var redirectURIWasExplicit: Bool
  public var codeChallenge: String
  public var codeChallengeMethod: String
  public var issuedAt: Date
  public var expiresAt: Date
  public var consumedAt: Date?

  public init(
    codeHash: String, grantID: String, clientID: String, userID: String, resource: String,
    scopes: ScopeSet, redirectURI: String, redirectURIWasExplicit: Bool, codeChallenge: String,
    codeChallengeMethod: String = "S256", issuedAt: Date, expiresAt: Date, consumedAt: Date? = nil
  ) {
    self.codeHash = codeHash
    self.grantID = grantID
    self.clientID = clientID
    self.userID = userID
    self.resource = resource
    self.scopes = scopes
    self.redirectURI = redirectURI
    self.redirectURIWasExplicit = redirectURIWasExplicit
    self.codeChallenge = codeChallenge
    self.codeChallengeMethod = codeChallengeMethod
    self.issuedAt = issuedAt
    self.expiresAt = expiresAt
    self.consumedAt = consumedAt
  }
}
