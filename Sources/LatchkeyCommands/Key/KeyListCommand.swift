import ArgumentParser
import LatchkeyCore

/// `latchkey key list`: every signing key with its state and age.
struct KeyListCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List signing keys (active, published, retired).")

  @OptionGroup var store: StoreOptions

  @Flag(name: .long, help: "Print JSON instead of a table.")
  var json = false

  func run() async throws {
    try await store.withSession { session in
      let keys = try await session.store.signingKeys()
      let now = session.now
      let lifetime = session.configuration.tokens.accessToken
      let document = JSONValue.array(
        keys.map {
          KeyRendering.json(
            $0, now: now,
            retirableAt: KeyRendering.retirableAt($0, accessTokenLifetime: lifetime))
        })
      session.emit(json: json, document) {
        KeyRendering.table(keys, now: now, accessTokenLifetime: lifetime)
      }
    }
  }
}
