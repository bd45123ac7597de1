import ArgumentParser
import LatchkeyCore
import LatchkeyJOSE

/// `latchkey client rotate-secret ID`: replaces a confidential client's secret. The new secret
/// is printed once; the old one stops working at once.
struct ClientRotateSecretCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rotate-secret",
    abstract: "Give a confidential client a new secret (printed once); the old one stops working.")

  @OptionGroup var store: StoreOptions

  @Argument(help: "The client id.")
  var id: String

  @Flag(name: .long, help: "Do not ask for confirmation.")
  var yes = false

  @Flag(name: .long, help: "Print JSON instead of text.")
  var json = false

  func run() async throws {
    try await store.withSession { session in
      var client = try await ClientRendering.existing(id, in: session)
      guard client.tokenEndpointAuthMethod.isConfidential else {
        throw CLIError("client \(id) is public (token_endpoint_auth_method none) and has no secret")
      }
      try session.confirm(
        "Replace the secret of client \(id)? The old one stops working.", yes: yes)
      let secret = SecureRandom.token()
      client.secretHash = SecretHash.of(secret)
      try await session.store.updateClient(client)
      try await session.audit("cli.client.secret_rotated", clientID: id)
      session.emit(json: json, ClientRendering.json(client, secret: secret)) {
        [
          "new secret for client \(id)", "client_secret: \(secret)",
          "store this secret now: it is shown only once and cannot be recovered",
        ].joined(separator: "\n")
      }
    }
  }
}
