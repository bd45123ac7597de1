public import Foundation

/// What a user allowed a client to do at one resource, created when an authorization code is
/// issued. Every refresh token (and the code) belongs to one grant; revoking the grant kills
/// the whole token family.
public struct Grant: Sendable, Equatable, Codable {
  public var id: String
  public var userID: String
  public var clientID: String
  public var resource: String
  public var scopes: ScopeSet
  public var createdAt: Date
  /// Absolute end of the refresh-token family, whatever rotation happens.
  public var expiresAt: Date
  public var revokedAt: Date?
  public var revocationReason: String?

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

  public func isLive(at now: Date) -> Bool { revokedAt == nil && now < expiresAt }
}
