import ArgumentParser
import LatchkeyCore

/// `latchkey key retire KID`: stops publishing a key. Refused while tokens it signed may still
/// be valid, unless `--force`.
struct KeyRetireCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "retire", abstract: "Stop publishing a key that no longer signs.",
    discussion: """
      Only a published key can be retired, and only once one access-token lifetime has passed \
      since it stopped signing (otherwise tokens it signed would stop verifying); --force \
      overrides the waiting period.
      """)

  @OptionGroup var store: StoreOptions

  @Argument(help: "The key id (kid).")
  var kid: String

  @Flag(name: .long, help: "Retire even if tokens it signed may still be valid.")
  var force = false

  @Flag(name: .long, help: "Do not ask for confirmation.")
  var yes = false

  func run() async throws {
    try await store.withSession { session in
      guard let key = try await session.store.signingKeys().first(where: { $0.kid == kid }) else {
        throw CLIError("no signing key has the kid \(kid)")
      }
      switch key.state {
      case .active:
        throw CLIError("the key \(kid) is active; run `latchkey key rotate` first")
      case .retired:
        throw CLIError("the key \(kid) is already retired")
      case .published:
        break
      }
      let lifetime = session.configuration.tokens.accessToken
      if let until = KeyRendering.retirableAt(key, accessTokenLifetime: lifetime),
        session.now < until, !force
      {
        throw CLIError(
          "tokens signed by \(kid) may be valid until \(TimeText.timestamp(until)); "
            + "retire it after that, or pass --force to break them now")
      }
      try session.confirm("Retire key \(kid)? Tokens it signed will no longer verify.", yes: yes)
      try await session.store.setSigningKeyState(kid: kid, to: .retired, at: session.now)
      try await session.audit("cli.key.retired", detail: "kid=\(kid) forced=\(force)")
      session.console.write("retired key \(kid); it is no longer published in the JWKS")
    }
  }
}
