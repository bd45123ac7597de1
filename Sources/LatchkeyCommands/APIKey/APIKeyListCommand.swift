import ArgumentParser
import LatchkeyCore

/// `latchkey apikey list`: live keys by default, optionally one user's or client's.
struct APIKeyListCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List API keys (never their values).")

  @OptionGroup var store: StoreOptions

  @Option(name: .long, help: "Only keys of this user (username or id).")
  var user: String?

  @Option(name: .long, help: "Only keys of this client.")
  var client: String?

  @Flag(name: .long, help: "Include revoked and expired keys.")
  var all = false

  @Flag(name: .long, help: "Print JSON instead of a table.")
  var json = false

  func run() async throws {
    try await store.withSession { session in
      let now = session.now
      var userID = user
      if let user, let record = try await session.store.user(username: user) {
        userID = record.id
      }
      let keys = try await session.store.apiKeys().filter { key in
        (userID == nil || key.owner.userID == userID)
          && (client == nil || key.owner.clientID == client)
          && (all || APIKeyRendering.status(key, now: now) == "live")
      }
      session.emit(json: json, .array(keys.map { APIKeyRendering.json($0, now: now) })) {
        APIKeyRendering.table(keys, now: now)
      }
    }
  }
}
