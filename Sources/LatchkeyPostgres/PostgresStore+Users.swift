public import LatchkeyCore
import PostgresNIO

extension PostgresStore {
  /// Inserts the user; `StoreError.conflict("user")` when the id or username is taken.
  public func insertUser(_ user: User) async throws {
    try await transaction("user") { db in
      try await db.run(
        """
        INSERT INTO users (id, username, password_hash, disabled, created_at)
        VALUES (\(user.id), \(user.username), \(user.passwordHash), \(user.disabled),
          \(user.createdAt.millis))
        """)
    }
  }

  /// The user with this id, or nil.
  public func user(id: String) async throws -> User? {
    try await transaction("user") { db in
      try await db.row("SELECT * FROM users WHERE id = \(id)").map(User.init(columns:))
    }
  }

  /// The user with exactly this username (case-sensitive), or nil.
  public func user(username: String) async throws -> User? {
    try await transaction("user") { db in
      try await db.row("SELECT * FROM users WHERE username = \(username)").map(User.init(columns:))
    }
  }

  /// Every user, by username (byte order, as SQLite's BINARY collation).
  public func users() async throws -> [User] {
    try await transaction("user") { db in
      try await db.rows("SELECT * FROM users ORDER BY username COLLATE \"C\"").map(
        User.init(columns:))
    }
  }

  /// Replaces the user's fields; `StoreError.notFound("user")` when absent,
  /// `StoreError.conflict("user")` when the new username is another user's.
  public func updateUser(_ user: User) async throws {
    try await transaction("user") { db in
      let changed = try await db.run(
        """
        UPDATE users SET username = \(user.username), password_hash = \(user.passwordHash),
          disabled = \(user.disabled), created_at = \(user.createdAt.millis)
        WHERE id = \(user.id) RETURNING id
        """)
      guard changed == 1 else { throw StoreError.notFound("user") }
    }
  }

  /// Deletes the user; the foreign keys cascade to their grants and consents.
  public func deleteUser(id: String) async throws {
    try await transaction("user") { db in
      guard try await db.run("DELETE FROM users WHERE id = \(id) RETURNING id") == 1 else {
        throw StoreError.notFound("user")
      }
    }
  }
}
