import ArgumentParser
import Foundation
import LatchkeyCore

/// `latchkey apikey rotate ID [--expires 90d]`: a new key with the same name, owner, resource
/// and scopes (printed once); the old one is revoked in the same transaction.
struct APIKeyRotateCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rotate",
    abstract: "Replace an API key with a new one (printed once); the old one is revoked.",
    discussion: """
      The new key keeps the name, owner, resource and scopes; it lives --expires, or as long \
      as the old one was given. Resource servers may accept the old key until their \
      introspection cache forgets it (default 30 s).
      """)

  @OptionGroup var store: StoreOptions

  @Argument(help: "The key's id (from apikey list).")
  var id: String

  @Option(name: .long, help: "Lifetime of the new key, like 90d (default: the old key's).")
  var expires: String?

  @Flag(name: .long, help: "Do not ask for confirmation.")
  var yes = false

  @Flag(name: .long, help: "Print JSON instead of text.")
  var json = false

  func run() async throws {
    try await store.withSession { session in
      let old = try await APIKeyRendering.existing(id, in: session)
      guard old.revokedAt == nil else { throw CLIError("the API key \(id) is revoked") }
      let lifetime =
        try expires.map(APIKeyIssuance.lifetime)
        ?? old.expiresAt.timeIntervalSince(old.createdAt)
      try session.confirm(
        "Replace API key \(old.id) (\(old.name))? The old one stops working.", yes: yes)
      let (secret, key) = APIKeyIssuance.make(
        name: old.name, owner: old.owner, resource: old.resource, scopes: old.scopes,
        now: session.now, lifetime: lifetime)
      switch try await session.store.rotateAPIKey(id: old.id, replacement: key, at: session.now) {
      case .rotated: break
      case .notFound: throw CLIError("no API key has the id \(id)")
      case .alreadyRevoked: throw CLIError("the API key \(id) is revoked")
      }
      try await session.audit(
        "cli.apikey.rotated", userID: key.owner.userID, clientID: key.owner.clientID,
        resource: key.resource, scopes: key.scopes,
        detail: "api_key=\(key.id) replaces=\(old.id)")
      session.emit(json: json, APIKeyRendering.json(key, now: session.now, secret: secret)) {
        APIKeyIssuance.announcement(key, secret: secret, verb: "rotated \(old.id) to")
      }
    }
  }
}
