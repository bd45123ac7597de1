import GRDB
import LatchkeyCore

/// Row mapping of `users`.
enum UserRow {
  /// Positional arguments in column order (id first), shared by INSERT and UPDATE.
  static func arguments(_ user: User) -> SQLArguments {
    [user.id, user.username, user.passwordHash, user.disabled, user.createdAt.millis]
  }

  /// A user from its row.
  static func decode(_ row: Row) throws -> User {
    User(
      id: try row.text("id"), username: try row.text("username"),
      passwordHash: try row.text("password_hash"), disabled: try row.bool("disabled"),
      createdAt: try row.date("created_at"))
  }
}
