import Foundation
import GRDB
public import LatchkeyCore

extension SQLiteStore {
  /// Inserts the link; `StoreError.conflict("user identity")` when (provider, subject) is
  /// linked, `notFound("referenced row")` when the user does not exist.
  public func insertUserIdentity(_ identity: UserIdentity) async throws {
    try await commit("user identity") { db in
      try db.run(
        """
        INSERT INTO user_identities (provider, subject, user_id, created_at, groups)
        VALUES (?, ?, ?, ?, ?)
        """,
        [
          identity.provider, identity.subject, identity.userID, identity.createdAt.millis,
          UserIdentity.storedText(identity.groups),
        ])
    }
  }

  /// The link of (provider, subject), or nil.
  public func userIdentity(provider: String, subject: String) async throws -> UserIdentity? {
    try read("user identity") { db in
      try db.row(
        "SELECT * FROM user_identities WHERE provider = ? AND subject = ?", [provider, subject],
        UserIdentity.init(columns:))
    }
  }

  /// Removes the link; false without it.
  public func deleteUserIdentity(provider: String, subject: String) async throws -> Bool {
    try await commit("user identity") { db in
      try db.run(
        "DELETE FROM user_identities WHERE provider = ? AND subject = ?", [provider, subject])
        == 1
    }
  }

  /// Replaces the link's groups; false without the link.
  public func updateUserIdentityGroups(provider: String, subject: String, groups: [String])
    async throws -> Bool
  {
    try await commit("user identity") { db in
      try db.run(
        "UPDATE user_identities SET groups = ? WHERE provider = ? AND subject = ?",
        [UserIdentity.storedText(groups), provider, subject]) == 1
    }
  }

  /// The user's links, oldest first.
  public func userIdentities(userID: String) async throws -> [UserIdentity] {
    try read("user identity") { db in
      try db.rows(
        "SELECT * FROM user_identities WHERE user_id = ? ORDER BY created_at, provider, subject",
        [userID], UserIdentity.init(columns:))
    }
  }
}
