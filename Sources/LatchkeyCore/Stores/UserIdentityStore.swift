/// Links of users to upstream identity provider accounts (`user_identities`).
public protocol UserIdentityStore: Sendable {
  /// Adds a link; `StoreError.conflict("user identity")` when (provider, subject) is linked
  /// already, `notFound("referenced row")` when the user does not exist.
  func insertUserIdentity(_ identity: UserIdentity) async throws
  /// The link of (provider, subject), or nil.
  func userIdentity(provider: String, subject: String) async throws -> UserIdentity?
  /// The user's links, oldest first.
  func userIdentities(userID: String) async throws -> [UserIdentity]
  /// Removes the link of (provider, subject); false when there is none.
  func deleteUserIdentity(provider: String, subject: String) async throws -> Bool
  /// Replaces the groups of the link of (provider, subject) with those of the latest sign-in;
  /// false when there is no such link.
  func updateUserIdentityGroups(provider: String, subject: String, groups: [String])
    async throws -> Bool
}
