import GRDB
import LatchkeyCore

/// Row mapping of `users`.
enum UserRow {
  /// Positional arguments in column order (id first), shared by INSERT and UPDATE.
  static func arguments(_ user: User) -> SQLArguments {
    [user.id, user.username, user.passwordHash, user.disabled, user.createdAt.millis]
  }
}
