import ArgumentParser
import LatchkeyCore

/// `latchkey user enable NAME`: undoes `disable` (revoked grants stay revoked).
struct UserEnableCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "enable", abstract: "Let a disabled user log in again.")

  @OptionGroup var store: StoreOptions

  @Argument(help: "The username or user id.")
  var user: String

  func run() async throws {
    try await store.withSession { session in
      var record = try await UserRendering.existing(user, in: session)
      record.disabled = false
      try await session.store.updateUser(record)
      try await session.audit("cli.user.enabled", userID: record.id)
      session.console.write("enabled \(record.username); grants revoked earlier stay revoked")
    }
  }
}
