import LatchkeyCore

/// The `--json` form and table of users. Never includes the password hash.
enum UserRendering {
  static func json(_ user: User) -> JSONValue {
    .object([
      "user_id": .string(user.id),
      "username": .string(user.username),
      "disabled": .bool(user.disabled),
      "created_at": JSONValue(user.createdAt),
    ])
  }

  static func table(_ users: [User]) -> String {
    var table = Table(["USER ID", "USERNAME", "STATUS", "CREATED"])
    for user in users {
      table.append([
        user.id, user.username, user.disabled ? "disabled" : "active",
        TimeText.timestamp(user.createdAt),
      ])
    }
    return table.rendered()
  }

  /// A user by username, else by id; fails with a sentence naming what was asked for.
  static func existing(_ name: String, in session: AdminSession) async throws -> User {
    if let user = try await session.store.user(username: name) { return user }
    if let user = try await session.store.user(id: name) { return user }
    throw CLIError("no user has the username or id \(name)")
  }
}
