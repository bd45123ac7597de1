public import Foundation

/// What a user allowed a client to do at one resource, created when an authorization code is
/// issued. Every refresh token (and the code) belongs to one grant; revoking the grant kills
/// the whole token family.
public struct Grant: Sendable, Equatable, Codable {
  /// The grant's identifier.
  public var id: String
  /// The user who authorized.
  public var userID: String
  /// The client authorized.
  public var clientID: String
  /// The resource the tokens are for.
  public var resource: String
  /// The scopes granted.
  public var scopes: ScopeSet
  /// When the authorization code was issued.
  public var createdAt: Date
  /// Absolute end of the refresh-token family, whatever rotation happens.
  public var expiresAt: Date
  /// When the grant was revoked; all its tokens die with it.
  public var revokedAt: Date?
  /// Why it was revoked (e.g. `refresh_reuse`, `admin`).
  public var revocationReason: String?

  /// Creates a grant record.
  public init(
    id: String, userID: String, clientID: String, resource: String, scopes: ScopeSet,
    createdAt: Date, expiresAt: Date, revokedAt: Date? = nil, revocationReason: String? = nil
  ) {
    self.id = id
    self.userID = userID
    self.clientID = clientID
    self.resource = resource
    self.scopes = scopes
    self.createdAt = createdAt
    self.expiresAt = expiresAt
    self.revokedAt = revokedAt
    self.revocationReason = revocationReason
  }

  /// Whether the grant can still mint tokens at `now`.
  public func isLive(at now: Date) -> Bool { revokedAt == nil && now < expiresAt }
}
