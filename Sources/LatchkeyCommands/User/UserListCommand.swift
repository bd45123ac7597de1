import ArgumentParser
import LatchkeyCore

/// `latchkey user list`.
struct UserListCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "list", abstract: "List users.")

  @OptionGroup var store: StoreOptions

  @Flag(name: .long, help: "Print JSON instead of a table.")
  var json = false

  func run() async throws {
    try await store.withSession { session in
      let users = try await session.store.users().sorted { $0.username < $1.username }
      session.emit(json: json, .array(users.map(UserRendering.json))) {
        UserRendering.table(users)
      }
    }
  }
}
