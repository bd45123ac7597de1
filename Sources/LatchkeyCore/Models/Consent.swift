public import Foundation

/// Remembered consent of one user for one client at one resource. Incremental: later
/// approvals add scopes, never remove them (removal is revocation).
public struct Consent: Sendable, Equatable, Codable {
  public var userID: String
  public var clientID: String
  public var resource: String
  public var scopes: ScopeSet
  public var grantedAt: Date
  public var updatedAt: Date

  public init(
    userID: String, clientID: String, resource: String, scopes: ScopeSet, grantedAt: Date,
    updatedAt: Date
  ) {
    self.userID = userID
    self.clientID = clientID
    self.resource = resource
    self.scopes = scopes
    self.grantedAt = grantedAt
    self.updatedAt = updatedAt
  }
}
