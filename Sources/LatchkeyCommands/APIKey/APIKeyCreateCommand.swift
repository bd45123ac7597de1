import ArgumentParser
import LatchkeyCore

/// `latchkey apikey create --user alice --resource URL --scope notes:read --expires 90d
/// --name "nightly report"`: a new key, printed once.
struct APIKeyCreateCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "create", abstract: "Create an API key for a user or a client (printed once).",
    discussion: """
      --user makes a personal key acting as that user (scopes within what the resource \
      offers; default: its default scopes). --client makes a service key acting as that \
      client (scopes within the client's allowed scopes there, as for client_credentials). \
      Disabling the user or removing the client stops its keys.
      """)

  @OptionGroup var store: StoreOptions

  @Option(name: .long, help: "The user the key acts as (username or id).")
  var user: String?

  @Option(name: .long, help: "The client the key acts as (a service key).")
  var client: String?

  @Option(name: .long, help: "The resource URL (default: the only one).")
  var resource: String?

  @Option(name: .long, help: "Space-separated scopes (default: see above).")
  var scope: String?

  @Option(name: .long, help: "Lifetime, like 90d, 12h, 30m (default 90d).")
  var expires: String = APIKeyIssuance.defaultLifetime

  @Option(name: .long, help: "What the key is for, shown in listings and audit lines.")
  var name: String

  @Flag(name: .long, help: "Print JSON instead of text.")
  var json = false

  func validate() throws {
    if (user == nil) == (client == nil) {
      throw ValidationError("Give exactly one of --user and --client.")
    }
    if name.isEmpty || ControlCharacterRule.containsControlCharacter(name) {
      throw ValidationError("--name must be non-empty text without control characters.")
    }
  }

  func run() async throws {
    try await store.withSession { session in
      let (owner, serviceClient) = try await APIKeyIssuance.owner(
        user: user, client: client, in: session)
      let target = try await APIKeyIssuance.resource(resource, in: session)
      let scopes = try APIKeyIssuance.scopes(
        scope, resource: target, serviceClient: serviceClient)
      let (secret, key) = APIKeyIssuance.make(
        name: name, owner: owner, resource: target.url, scopes: scopes, now: session.now,
        lifetime: try APIKeyIssuance.lifetime(expires))
      try await session.store.insertAPIKey(key)
      try await session.audit(
        "cli.apikey.created", userID: owner.userID, clientID: owner.clientID,
        resource: key.resource, scopes: key.scopes, detail: APIKeyRendering.detail(key))
      session.emit(json: json, APIKeyRendering.json(key, now: session.now, secret: secret)) {
        APIKeyIssuance.announcement(key, secret: secret, verb: "created")
      }
    }
  }
}
