import ArgumentParser
import Foundation
import LatchkeyCore
import LatchkeySQLite
import LatchkeyServer

/// `latchkey doctor`: reads the configuration and the database and reports problems; with
/// `--remote URL`, checks a deployed MCP server from the outside instead (`RemoteDoctor`).
/// Exit code 1 when there is at least one problem (warnings alone exit 0).
struct DoctorCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "doctor", abstract: "Check the configuration and database for problems.",
    discussion: """
      Checks: issuer https outside loopback, database file mode 600, schema version, resources \
      with scopes, an active signing key younger than --max-key-age, key timestamps not in the \
      future (clock skew), published keys ready to retire. Does not change anything.

      With --remote URL, checks a deployed MCP server the way MCP clients see it instead: the \
      401 and its challenge, protected resource metadata, authorization server discovery, \
      issuer, PKCE, registration, CORS for --origin, https behind a proxy, clock skew, and \
      which clients can connect. Read-only: no registration, no credentials.
      """)

  @OptionGroup var store: StoreOptions

  @Option(name: .customLong("max-key-age"), help: "Days after which the active key is too old.")
  var maxKeyAge = 90

  @Flag(name: .long, help: "Print JSON instead of text.")
  var json = false

  @Option(
    name: .long,
    help: "Check this deployed MCP endpoint from the outside (e.g. https://mcp.example.com/mcp).")
  var remote: String?

  @Option(name: .long, help: "The browser origin of the --remote CORS checks.")
  var origin = "http://localhost:6274"

  func validate() throws {
    if let remote, RemoteDoctor.target(remote) == nil {
      throw ValidationError("--remote needs an absolute http(s) URL, got \(remote)")
    }
  }

  func run() async throws {
    let context = CommandContext.current
    if let remote, let target = RemoteDoctor.target(remote) {
      return try await RemoteDoctor.run(
        target: target, origin: origin, json: json, context: context)
    }
    let configuration = try store.configuration(environment: context.environment)
    let now = context.clock.now()
    var findings = DoctorChecks.configuration(configuration)
    findings += await databaseFindings(configuration: configuration, now: now)
    let problems = findings.count(.problem)
    let warnings = findings.count(.warning)
    if json {
      context.console.write(
        JSONValue.object([
          "findings": .array(findings.map(\.json)), "problems": JSONValue(problems),
          "warnings": JSONValue(warnings),
        ]).rendered())
    } else {
      context.console.write(findings.table)
      context.console.write("\(problems) problem(s), \(warnings) warning(s)")
    }
    if problems > 0 {
      context.console.writeError("error: doctor found \(problems) problem(s).")
      throw ExitCode.failure
    }
  }

  private func databaseFindings(configuration: LatchkeyServer.ServerConfiguration, now: Date) async
    -> [DoctorFinding]
  {
    let path = configuration.databasePath
    guard FileManager.default.fileExists(atPath: path) else {
      return [.problem("database", "\(path) does not exist; run latchkey migrate")]
    }
    var findings = DoctorChecks.permissions(path: path)
    do {
      let store = try SQLiteStore(
        path: path, configuration: SQLiteConfiguration(migrateOnOpen: false))
      defer { try? store.close() }
      findings += try DoctorChecks.schema(store)
      findings += DoctorChecks.resources(try await store.resources())
      findings += DoctorChecks.keys(
        try await store.signingKeys(), now: now, maximumAge: TimeInterval(maxKeyAge) * 86_400,
        accessTokenLifetime: configuration.tokens.accessToken)
    } catch {
      findings.append(.problem("database", "\(path): \(CLIError.sentence(for: error))"))
    }
    return findings
  }
}
