import GRDB
public import LatchkeyCore

extension SQLiteStore {
  /// Inserts the user; `StoreError.conflict("user")` when the id or username is taken.
  public func insertUser(_ user: User) async throws {
    try await commit("user") { db in
      try db.run(
        """
        INSERT INTO users (id, username, password_hash, disabled, created_at)
        VALUES (?, ?, ?, ?, ?)
        """, UserRow.arguments(user))
    }
  }

  /// The user with this id, or nil.
  public func user(id: String) async throws -> User? {
    try read("user") { db in
      try db.row("SELECT * FROM users WHERE id = ?", [id], User.init(columns:))
    }
  }

  /// The user with exactly this username (case-sensitive), or nil.
  public func user(username: String) async throws -> User? {
    try read("user") { db in
      try db.row("SELECT * FROM users WHERE username = ?", [username], User.init(columns:))
    }
  }

  /// Every user, by username.
  public func users() async throws -> [User] {
    try read("user") { db in
      try db.rows("SELECT * FROM users ORDER BY username", [], User.init(columns:))
    }
  }

  /// Replaces the user's fields; `StoreError.notFound("user")` when absent,
  /// `StoreError.conflict("user")` when the new username is another user's.
  public func updateUser(_ user: User) async throws {
    try await commit("user") { db in
      let changed = try db.run(
        """
        UPDATE users SET username = ?2, password_hash = ?3, disabled = ?4, created_at = ?5
        WHERE id = ?1
        """, UserRow.arguments(user))
      guard changed == 1 else { throw StoreError.notFound("user") }
    }
  }

  /// Deletes the user; the foreign keys cascade to their grants (codes, refresh tokens) and
  /// consents. `StoreError.notFound("user")` when absent.
  public func deleteUser(id: String) async throws {
    try await commit("user") { db in
      guard try db.run("DELETE FROM users WHERE id = ?", [id]) == 1 else {
        throw StoreError.notFound("user")
      }
    }
  }
}
