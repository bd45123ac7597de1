public import ArgumentParser
import Foundation
import LatchkeyCore
import LatchkeySQLite

/// `latchkey migrate --database PATH`: applies the embedded schema migrations and prints what
/// was applied. A database written by a newer Latchkey is refused with exit code 3.
public struct MigrateCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "migrate", abstract: "Create or upgrade the SQLite database schema.")

  /// Exit code when the database schema is newer than this binary supports.
  public static let schemaTooNewExitCode = ExitCode(3)

  @Option(name: .long, help: "Path of the SQLite database file (created if missing).")
  public var database: String

  public init() {}

  /// Migrates and prints one line per applied migration, then the resulting version.
  public func run() throws {
    let report: MigrationReport
    do {
      report = try SQLiteStore.migrate(path: database)
    } catch StoreError.schemaTooNew(let found, let supported) {
      Self.printError(
        "error: \(database) has schema version \(found), newer than this latchkey supports "
          + "(\(supported)); upgrade latchkey. The database was not changed.")
      throw Self.schemaTooNewExitCode
    } catch let error as StoreError {
      Self.printError("error: cannot migrate \(database): \(error)")
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
