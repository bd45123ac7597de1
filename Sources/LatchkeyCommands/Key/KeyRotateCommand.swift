import ArgumentParser
import Foundation
import LatchkeyCore
import LatchkeyJOSE

/// `latchkey key rotate`: a new key signs from now on; the old one stays published so the
/// tokens it signed keep verifying until they expire.
struct KeyRotateCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rotate",
    abstract: "Create a new active signing key; the previous one stays published.",
    discussion: "A running server starts signing with the new key within 5 seconds.")

  @OptionGroup var store: StoreOptions

  @Option(name: .long, help: "ES256, EdDSA or RS256 (default: the configured signing_algorithm).")
  var algorithm: String?

  @Flag(name: .long, help: "Print JSON instead of text.")
  var json = false

  func run() async throws {
    try await store.withSession { session in
      let name = algorithm ?? session.configuration.signingAlgorithm.rawValue
      guard let jwsAlgorithm = JWSAlgorithm(rawValue: name) else {
        throw CLIError("the algorithm \(name) is not supported; use ES256, EdDSA or RS256")
      }
      let previous = try await session.store.signingKeys().first { $0.state == .active }
      let key = try SigningKey.generate(jwsAlgorithm)
      let now = session.now
      let record = SigningKeyRecord(
        kid: key.keyID, algorithm: jwsAlgorithm.rawValue, privateKeyPEM: try key.privateKeyPEM(),
        state: .active, createdAt: now)
      try await session.store.rotateSigningKey(to: record, at: now)
      try await session.audit(
        "cli.key.rotated", detail: "kid=\(key.keyID) previous=\(previous?.kid ?? "none")")
      let lifetime = session.configuration.tokens.accessToken
      let retirable = now.addingTimeInterval(TimeInterval(lifetime))
      session.emit(
        json: json,
        .object([
          "kid": .string(key.keyID), "algorithm": .string(jwsAlgorithm.rawValue),
          "previous_kid": JSONValue(previous?.kid),
          "previous_retirable_at": previous == nil ? .null : JSONValue(retirable),
        ])
      ) {
        var lines = ["new active key \(key.keyID) (\(jwsAlgorithm.rawValue))"]
        if let previous {
          lines.append(
            "previous key \(previous.kid) stays published until \(TimeText.timestamp(retirable)) "
              + "(one access-token lifetime, \(lifetime) s); retire it after that")
        }
        lines.append("a running server picks the new key up within 5 seconds")
        return lines.joined(separator: "\n")
      }
    }
  }
}
