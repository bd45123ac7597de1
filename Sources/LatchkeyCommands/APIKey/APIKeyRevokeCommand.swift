import ArgumentParser
import LatchkeyCore

/// `latchkey apikey revoke ID`: the key stops working at the authorization server at once, and
/// at resource servers once their introspection cache forgets it (30 s by default).
struct APIKeyRevokeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "revoke", abstract: "Revoke an API key by id.",
    discussion: """
      Introspection answers inactive at once; a resource server that cached the key's active \
      answer accepts it until that entry expires (introspection cache, default 30 s).
      """)

  @OptionGroup var store: StoreOptions

  @Argument(help: "The key's id (from apikey list).")
  var id: String

  @Flag(name: .long, help: "Do not ask for confirmation.")
  var yes = false

  @Flag(name: .long, help: "Print JSON instead of text.")
  var json = false

  func run() async throws {
    try await store.withSession { session in
      let key = try await APIKeyRendering.existing(id, in: session)
      try session.confirm("Revoke API key \(key.id) (\(key.name))?", yes: yes)
      guard try await session.store.revokeAPIKey(id: key.id, at: session.now) else {
        throw CLIError("the API key \(key.id) is already revoked")
      }
      try await session.audit(
        "cli.apikey.revoked", userID: key.owner.userID, clientID: key.owner.clientID,
        resource: key.resource, scopes: key.scopes, detail: APIKeyRendering.detail(key))
      let revoked = try await APIKeyRendering.existing(id, in: session)
      session.emit(json: json, APIKeyRendering.json(revoked, now: session.now)) {
        "revoked API key \(key.id) (\(key.name)); resource servers stop accepting it once "
          + "their introspection cache expires (default 30 s)"
      }
    }
  }
}
