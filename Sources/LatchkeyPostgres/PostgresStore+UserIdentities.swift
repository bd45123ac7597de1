import Foundation
public import LatchkeyCore
import PostgresNIO

extension PostgresStore {
  /// Inserts the link; `StoreError.conflict("user identity")` when (provider, subject) is
  /// linked, `notFound("referenced row")` when the user does not exist.
  public func insertUserIdentity(_ identity: UserIdentity) async throws {
    try await transaction("user identity") { db in
      try await db.run(
        """
        INSERT INTO user_identities (provider, subject, user_id, created_at, groups)
        VALUES (\(identity.provider), \(identity.subject), \(identity.userID),
          \(identity.createdAt.millis), \(UserIdentity.storedText(identity.groups)))
        """)
    }
  }

  /// The link of (provider, subject), or nil.
  public func userIdentity(provider: String, subject: String) async throws -> UserIdentity? {
    try await transaction("user identity") { db in
      try await db.row(
        "SELECT * FROM user_identities WHERE provider = \(provider) AND subject = \(subject)"
      ).map(UserIdentity.init(columns:))
    }
  }

  /// Removes the link; false without it.
  public func deleteUserIdentity(provider: String, subject: String) async throws -> Bool {
    try await transaction("user identity") { db in
      try await db.run(
        """
        DELETE FROM user_identities WHERE provider = \(provider) AND subject = \(subject)
        RETURNING provider
        """) == 1
    }
  }

  /// Replaces the link's groups; false without the link.
  public func updateUserIdentityGroups(provider: String, subject: String, groups: [String])
    async throws -> Bool
  {
    try await transaction("user identity") { db in
      try await db.run(
        """
        UPDATE user_identities SET groups = \(UserIdentity.storedText(groups))
        WHERE provider = \(provider) AND subject = \(subject) RETURNING provider
        """) == 1
    }
  }

  /// The user's links, oldest first (byte order, as SQLite).
  public func userIdentities(userID: String) async throws -> [UserIdentity] {
    try await transaction("user identity") { db in
      try await db.rows(
        """
        SELECT * FROM user_identities WHERE user_id = \(userID)
        ORDER BY created_at, provider COLLATE "C", subject COLLATE "C"
        """
      ).map(UserIdentity.init(columns:))
    }
  }
}
