public import Foundation

/// A refresh token, stored by the SHA-256 of its value. Rotation links a token to the
/// successor that replaced it (OAuth 2.1 §4.3.1, RFC 9700 §4.14.2).
public struct RefreshToken: Sendable, Equatable, Codable {
  public var tokenHash: String
  public var grantID: String
  public var clientID: String
  public var scopes: ScopeSet
  public var resource: String
  public var issuedAt: Date
  public var expiresAt: Date
  /// Hash of the token this one replaced; nil for the first token of a grant.
  public var parentHash: String?
  /// Set when this token was rotated; its successor's hash is `successorHash`.
  public var rotatedAt: Date?
  public var successorHash: String?
  public var revokedAt: Date?

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
