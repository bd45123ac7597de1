import ArgumentParser
import LatchkeyCore

/// `latchkey user remove NAME`: deletes the user with their codes, grants, tokens and consents.
struct UserRemoveCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "remove", abstract: "Delete a user with their grants and consents.")

  @OptionGroup var store: StoreOptions

  @Argument(help: "The username or user id.")
  var user: String

  @Flag(name: .long, help: "Do not ask for confirmation.")
  var yes = false

  func run() async throws {
    try await store.withSession { session in
      let record = try await UserRendering.existing(user, in: session)
      try session.confirm("Delete \(record.username) with all their grants?", yes: yes)
      try await session.store.deleteUser(id: record.id)
      try await session.audit(
        "cli.user.removed", userID: record.id, detail: "username=\(record.username)")
      session.console.write("removed \(record.username); \(session.accessTokenNote)")
    }
  }
}
