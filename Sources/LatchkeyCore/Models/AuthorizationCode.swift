public import Foundation

/// An issued authorization code, stored by the SHA-256 of its value (OAuth 2.1 §4.1.2:
/// short-lived, single use, bound to client, redirect URI, PKCE challenge and resource).
public struct AuthorizationCode: Sendable, Equatable, Codable {
  /// SHA-256 (hex) of the code; the code itself is never stored.
  public var codeHash: String
  /// The grant the code belongs to.
  public var grantID: String
  /// The client it was issued to.
  public var clientID: String
  /// The user who authorized it.
  public var userID: String
  /// The resource (RFC 8707) the tokens will be for.
  public var resource: String
  /// The scopes granted.
  public var scopes: ScopeSet
  /// The redirect URI the code was delivered to.
  public var redirectURI: String
  /// Whether the authorization request carried `redirect_uri` (OAuth 2.1 §4.1.3).
  public var redirectURIWasExplicit: Bool
  /// The PKCE `code_challenge` (RFC 7636 §4.3).
  public var codeChallenge: String
  /// Always `S256`.
  public var codeChallengeMethod: String
  /// When it was issued.
  public var issuedAt: Date
  /// When it stops being redeemable.
  public var expiresAt: Date
  /// When it was redeemed; set once.
  public var consumedAt: Date?

  /// Creates a code record; `/authorize` issues these.
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
