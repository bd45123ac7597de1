public import ArgumentParser
import Foundation
import LatchkeyCore
import LatchkeySQLite
import LatchkeyServer

/// `latchkey migrate --database PATH|URL`: applies the embedded schema migrations and prints
/// what was applied. A database written by a newer Latchkey is refused with exit code 3.
/// PostgreSQL migrations run under an advisory lock, so instances starting at once are safe.
public struct MigrateCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "migrate",
    abstract: "Create or upgrade the database schema (SQLite or PostgreSQL).")

  /// Exit code when the database schema is newer than this binary supports.
  public static let schemaTooNewExitCode = ExitCode(3)

  @Option(
    name: .long,
    help: "SQLite file (created if missing) or postgres:// URL (default: the configuration's).")
  public var database: String?

  @Option(name: .long, help: "JSON configuration file (for database.url and its settings).")
  public var config: String?

  public init() {}

  /// Migrates and prints one line per applied migration, then the resulting version.
  public func run() async throws {
    let environment = ProcessInfo.processInfo.environment
    var configuration = try ConfigurationSource.load(config: config, environment: environment)
    if let database {
      configuration.databasePath = database
      if StoreFactory.isPostgresURL(database) { configuration.database.url = database }
    } else if config == nil, environment["LATCHKEY_CONFIG"] == nil,
      environment["LATCHKEY_DATABASE"] == nil, environment["LATCHKEY_DATABASE_URL"] == nil
    {
      throw ValidationError("name the database: --database PATH|URL or --config FILE")
    }
    let target = StoreFactory.describe(configuration, environment: environment)
    let report: MigrationReport
    do {
      if let postgres = try await StoreFactory.migratePostgres(
        configuration, environment: environment)
      {
        report = postgres
      } else {
        report = try SQLiteStore.migrate(path: configuration.databasePath)
      }
    } catch StoreError.schemaTooNew(let found, let supported) {
      Self.printError(
        "error: \(target) has schema version \(found), newer than this latchkey supports "
          + "(\(supported)); upgrade latchkey. The database was not changed.")
      throw Self.schemaTooNewExitCode
    } catch let error as StoreError {
      Self.printError("error: cannot migrate \(target): \(error)")
      throw ExitCode.failure
    }
    for line in Self.lines(for: report) { print(line) }
  }

  /// The human summary of a migration run.
  static func lines(for report: MigrationReport) -> [String] {
    var lines = report.applied.map { record in
      "applied \(String(format: "%04d", record.version))_\(record.name)"
    }
    if report.applied.isEmpty { lines.append("already up to date") }
    lines.append(
      "schema version \(report.currentVersion) (this latchkey supports \(report.supportedVersion))")
    return lines
  }

  /// Writes a line to stderr (stdout stays machine-readable).
  static func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
  }
}
