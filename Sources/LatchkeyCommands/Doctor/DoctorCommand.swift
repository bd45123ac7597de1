import ArgumentParser
import Foundation
import LatchkeyCore
import LatchkeySQLite
import LatchkeyServer

/// `latchkey doctor`: reads the configuration and the database and reports problems.
/// Exit code 1 when there is at least one problem (warnings alone exit 0).
struct DoctorCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "doctor", abstract: "Check the configuration and database for problems.",
    discussion: """
      Checks: issuer https outside loopback, database file mode 600, schema version, resources \
      with scopes, an active signing key younger than --max-key-age, key timestamps not in the \
      future (clock skew), published keys ready to retire. Does not change anything.
      """)

  @OptionGroup var store: StoreOptions

  @Option(name: .customLong("max-key-age"), help: "Days after which the active key is too old.")
  var maxKeyAge = 90

  @Flag(name: .long, help: "Print JSON instead of text.")
  var json = false

  func run() async throws {
    let context = CommandContext.current
    let configuration = try store.configuration(environment: context.environment)
    let now = context.clock.now()
    var findings = DoctorChecks.configuration(configuration)
    findings += await databaseFindings(configuration: configuration, now: now)
    let problems = findings.filter { $0.severity == .problem }.count
    let warnings = findings.filter { $0.severity == .warning }.count
    if json {
      context.console.write(
        JSONValue.object([
          "findings": .array(findings.map(\.json)), "problems": JSONValue(problems),
          "warnings": JSONValue(warnings),
        ]).rendered())
    } else {
      var table = Table(["RESULT", "CHECK", "DETAIL"])
      for finding in findings {
        table.append([finding.severity.rawValue, finding.check, finding.message])
      }
      context.console.write(table.rendered())
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
