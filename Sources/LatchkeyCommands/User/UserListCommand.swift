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
      var identities: [String: [UserIdentity]] = [:]
      for user in users {
        identities[user.id] = try await session.store.userIdentities(userID: user.id)
      }
      session.emit(
        json: json,
        .array(users.map { UserRendering.json($0, identities: identities[$0.id] ?? []) })
      ) {
        UserRendering.table(users, identities: identities)
      }
    }
  }
}
