import ArgumentParser
import LatchkeyCore

/// `latchkey user passwd NAME`: sets a new password.
struct UserPasswdCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "passwd", abstract: "Set a user's password (prompted, or --password-stdin).")

  @OptionGroup var store: StoreOptions

  @Argument(help: "The username or user id.")
  var user: String

  @Flag(name: .customLong("password-stdin"), help: "Read the password from standard input.")
  var passwordStdin = false

  func run() async throws {
    try await store.withSession { session in
      var record = try await UserRendering.existing(user, in: session)
      let password = try PasswordInput.read(
        fromStandardInput: passwordStdin, console: session.console)
      record.passwordHash = try PasswordInput.hash(password, configuration: session.configuration)
      try await session.store.updateUser(record)
      try await session.audit("cli.user.password_changed", userID: record.id)
      session.console.write("changed the password of \(record.username)")
    }
  }
}
