public import Foundation

/// Remembered consent of one user for one client at one resource. Incremental: later
/// approvals add scopes, never remove them (removal is revocation).
public struct Consent: Sendable, Equatable, Codable {
  /// The user who consented.
  public var userID: String
  /// The client consented to.
  public var clientID: String
  /// The resource consented for.
  public var resource: String
  /// Every scope approved so far.
  public var scopes: ScopeSet
  /// The first approval.
  public var grantedAt: Date
  /// The latest approval.
  public var updatedAt: Date

  /// Creates a consent record.
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
