public import Foundation

/// Which grants `GrantStore.grants(matching:)` returns.
public struct GrantFilter: Sendable, Equatable {
  /// Only grants of this user.
  public var userID: String?
  /// Only grants to this client.
  public var clientID: String?
  /// Only grants for this resource.
  public var resource: String?
  /// Include revoked grants too.
  public var includeRevoked: Bool

  /// A filter; every argument defaults to "no restriction", revoked grants excluded.
  public init(
    userID: String? = nil, clientID: String? = nil, resource: String? = nil,
    includeRevoked: Bool = false
  ) {
    self.userID = userID
    self.clientID = clientID
    self.resource = resource
    self.includeRevoked = includeRevoked
  }

  /// Whether `grant` passes the filter.
  public func matches(_ grant: Grant) -> Bool {
    if let userID, grant.userID != userID { return false }
    if let clientID, grant.clientID != clientID { return false }
    if let resource, grant.resource != resource { return false }
    if !includeRevoked, grant.revokedAt != nil { return false }
    return true
  }
}

/// Grants and their revocation. Revoking a grant revokes every refresh token in its family.
public protocol GrantStore: Sendable {
  func grant(id: String) async throws -> Grant?
  func grants(matching filter: GrantFilter) async throws -> [Grant]
  /// Revokes the grant and all its refresh tokens; false when it was absent or already revoked.
  func revokeGrant(id: String, at time: Date, reason: String) async throws -> Bool
  /// Revokes every live grant matching the filter; returns the revoked ids.
  func revokeGrants(matching filter: GrantFilter, at time: Date, reason: String) async throws
    -> [String]
}
