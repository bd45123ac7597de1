import ArgumentParser
import LatchkeyCore
import LatchkeyJOSE

/// `latchkey client rotate-secret ID [--keep-old 24h]`: replaces a confidential client's secret.
/// The new secret is printed once; the old one stops working at once, or, with `--keep-old`, at
/// the end of that overlap (so the client's deployments can switch without downtime).
struct ClientRotateSecretCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rotate-secret",
    abstract: "Give a confidential client a new secret (printed once); the old one stops working.",
    discussion: """
      With --keep-old DURATION (e.g. 24h, 30m, 7d) the old secret keeps working that long, so \
      the client can move to the new one without downtime. A later rotation replaces the kept one.
      """)

  @OptionGroup var store: StoreOptions

  @Argument(help: "The client id.")
  var id: String

  @Option(
    name: .customLong("keep-old"),
    help: "Keep accepting the old secret for this long (24h, 30m, 7d; default: not at all).")
  var keepOld: String?

  func validate() throws {
    if let keepOld, TimeText.duration(keepOld) == nil {
      throw ValidationError("--keep-old must be a duration like 24h, 30m or 7d, got \(keepOld).")
    }
  }

  @Flag(name: .long, help: "Do not ask for confirmation.")
  var yes = false

  @Flag(name: .long, help: "Print JSON instead of text.")
  var json = false

  func run() async throws {
    try await store.withSession { session in
      var client = try await ClientRendering.existing(id, in: session)
      guard client.tokenEndpointAuthMethod.usesSecret else {
        throw CLIError("client \(id) is public (token_endpoint_auth_method none) and has no secret")
      }
      let overlap = keepOld.flatMap(TimeText.duration) ?? 0
      try session.confirm(
        overlap > 0
          ? "Replace the secret of client \(id)? The old one keeps working for \(keepOld ?? "")."
          : "Replace the secret of client \(id)? The old one stops working.", yes: yes)
      let secret = SecureRandom.token()
      if overlap > 0, let old = client.secretHash {
        client.previousSecretHash = old
        client.previousSecretExpiresAt = session.now.addingTimeInterval(overlap)
      } else {
        client.previousSecretHash = nil
        client.previousSecretExpiresAt = nil
      }
      client.secretHash = SecretHash.of(secret)
      try await session.store.updateClient(client)
      try await session.audit(
        "cli.client.secret_rotated", clientID: id,
        detail: overlap > 0 ? "old secret kept \(Int(overlap)) s" : nil)
      session.emit(json: json, ClientRendering.json(client, secret: secret)) {
        [
          "new secret for client \(id)", "client_secret: \(secret)",
          "store this secret now: it is shown only once and cannot be recovered",
        ].joined(separator: "\n")
      }
    }
  }
}
