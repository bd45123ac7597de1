public import Foundation

/// A refresh token, stored by the SHA-256 of its value. Rotation links a token to the
/// successor that replaced it (OAuth 2.1 §4.3.1, RFC 9700 §4.14.2).
public struct RefreshToken: Sendable, Equatable, Codable {
  /// SHA-256 (hex) of the token; the token itself is never stored.
  public var tokenHash: String
  /// The grant (token family) it belongs to.
  public var grantID: String
  /// The client it was issued to.
  public var clientID: String
  /// The scopes it can obtain.
  public var scopes: ScopeSet
  /// The resource its access tokens are for.
  public var resource: String
  /// When it was issued.
  public var issuedAt: Date
  /// When it stops being accepted.
  public var expiresAt: Date
  /// Hash of the token this one replaced; nil for the first token of a grant.
  public var parentHash: String?
  /// Set when this token was rotated; its successor's hash is `successorHash`.
  public var rotatedAt: Date?
  /// Hash of the token that replaced this one.
  public var successorHash: String?
  /// When it was revoked.
  public var revokedAt: Date?

  /// Creates a refresh-token record.
  public init(
    tokenHash: String, grantID: String, clientID: String, scopes: ScopeSet, resource: String,
    issuedAt: Date, expiresAt: Date, parentHash: String? = nil, rotatedAt: Date? = nil,
    successorHash: String? = nil, revokedAt: Date? = nil
  ) {
    self.tokenHash = tokenHash
    self.grantID = grantID
    self.clientID = clientID
    self.scopes = scopes
    self.resource = resource
    self.issuedAt = issuedAt
    self.expiresAt = expiresAt
    self.parentHash = parentHash
    self.rotatedAt = rotatedAt
    self.successorHash = successorHash
    self.revokedAt = revokedAt
  }
}
