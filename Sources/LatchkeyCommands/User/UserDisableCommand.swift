import ArgumentParser
import LatchkeyCore

/// `latchkey user disable NAME`: the user can no longer log in, and every grant they gave is
/// revoked with its refresh tokens.
struct UserDisableCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "disable",
    abstract: "Stop a user from logging in and revoke all their grants.")

  @OptionGroup var store: StoreOptions

  @Argument(help: "The username or user id.")
  var user: String

  @Flag(name: .long, help: "Do not ask for confirmation.")
  var yes = false

  func run() async throws {
    try await store.withSession { session in
      var record = try await UserRendering.existing(user, in: session)
      try session.confirm(
        "Disable \(record.username) and revoke all their grants?", yes: yes)
      record.disabled = true
      try await session.store.updateUser(record)
      let revoked = try await session.store.revokeGrants(
        matching: GrantFilter(userID: record.id), at: session.now, reason: "user disabled (cli)")
      try await session.audit(
        "cli.user.disabled", userID: record.id, detail: "revoked_grants=\(revoked.count)")
      session.console.write(
        "disabled \(record.username); revoked \(revoked.count) grant(s) and their refresh tokens; "
          + session.accessTokenNote)
    }
  }
}
