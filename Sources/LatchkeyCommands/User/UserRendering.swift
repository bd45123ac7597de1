import LatchkeyCore

/// The `--json` form and table of users. Never includes the password hash; says whether the
/// user has a password and which identity provider accounts are linked (`user_identities`).
enum UserRendering {
  static func json(_ user: User, identities: [UserIdentity] = []) -> JSONValue {
    .object([
      "user_id": .string(user.id),
      "username": .string(user.username),
      "disabled": .bool(user.disabled),
      "created_at": JSONValue(user.createdAt),
      "has_password": .bool(hasPassword(user)),
      "identities": .array(
        identities.map { identity in
          .object([
            "provider": .string(identity.provider), "subject": .string(identity.subject),
            "created_at": JSONValue(identity.createdAt),
          ])
        }),
    ])
  }

  static func table(_ users: [User], identities: [String: [UserIdentity]] = [:]) -> String {
    var table = Table(["USER ID", "USERNAME", "STATUS", "SIGN-IN", "CREATED"])
    for user in users {
      let ways =
        (hasPassword(user) ? ["password"] : []) + (identities[user.id] ?? []).map(\.provider)
      table.append([
        user.id, user.username, user.disabled ? "disabled" : "active",
        ways.isEmpty ? "-" : ways.joined(separator: ","), TimeText.timestamp(user.createdAt),
      ])
    }
    return table.rendered()
  }

  /// Users created through an identity provider have no scrypt hash and cannot use the form.
  static func hasPassword(_ user: User) -> Bool {
    user.passwordHash.hasPrefix("$scrypt$")
  }

  /// A user by username, else by id; fails with a sentence naming what was asked for.
  static func existing(_ name: String, in session: AdminSession) async throws -> User {
    if let user = try await session.store.user(username: name) { return user }
    if let user = try await session.store.user(id: name) { return user }
    throw CLIError("no user has the username or id \(name)")
  }
}
