import ArgumentParser
import Foundation
import LatchkeyCore
import LatchkeyJOSE

/// `latchkey token inspect < token`: decodes an access token and verifies it against the keys
/// in the database. Prints header, claims and validity — never the token.
struct TokenInspectCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inspect",
    abstract: "Decode and verify an access token (JWT) or check an API key, read from stdin.",
    discussion: """
      Verifies the signature against the active and published keys in the database, and checks \
      typ at+jwt, iss (the configured issuer) and exp with no leeway. Exit code 1 when the token \
      is not valid; the report is printed either way. An API key (lk_pat_…) is recognised \
      offline: its checksum and public id are shown, and nothing is looked up.
      """)

  @OptionGroup var store: StoreOptions

  @Flag(name: .long, help: "Print JSON instead of text.")
  var json = false

  func run() async throws {
    try await store.withSession { session in
      let token = try TokenInput.read(console: session.console)
      if APIKeyFormat.hasPrefix(token) {
        let report = APIKeyReport(recognition: APIKeyFormat.recognize(token))
        session.emit(json: json, report.json) { report.text }
        if !report.checksumValid { throw CLIError("the API key's checksum is invalid") }
        return
      }
      guard let decoded = TokenDecoding.decode(token) else {
        throw CLIError("the input is not a JWT (three base64url parts with JSON header and claims)")
      }
      let records = try await session.store.signingKeys()
      let record = records.first { $0.kid == decoded.header.kid }
      let problem = TokenDecoding.problem(
        token, records: records, issuer: session.configuration.issuer, now: session.now)
      let report = TokenReport(
        header: decoded.header, claims: decoded.claims,
        keyState: record?.state.rawValue ?? "unknown",
        problem: problem, now: session.now)
      session.emit(json: json, report.json) { report.text }
      if let problem { throw CLIError("the token is not valid: \(problem)") }
    }
  }
}
