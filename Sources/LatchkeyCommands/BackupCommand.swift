public import ArgumentParser
import Foundation
import LatchkeySQLite

/// `latchkey backup --to FILE`: a consistent copy of the live database through SQLite's online
/// backup API, safe while `latchkey serve` runs (docs/deployment.md, "Backups").
public struct BackupCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "backup",
    abstract: "Copy the live database to a new file (safe while the server runs).",
    discussion: """
      The copy is written mode 0600, checked with PRAGMA integrity_check, and must not exist \
      yet. Restore: stop the server, replace the database file with the copy (removing any \
      -wal and -shm files next to the old one), start the server.
      """)

  @OptionGroup var store: StoreOptions

  @Option(name: .long, help: "The backup file to create (must not exist).")
  var to: String

  public init() {}

  public func run() async throws {
    try await store.withSession { session in
      guard !FileManager.default.fileExists(atPath: to) else {
        throw CLIError("\(to) already exists; choose a new file name")
      }
      guard let sqlite = session.store as? SQLiteStore else {
        throw CLIError(
          "latchkey backup copies a SQLite file; back up PostgreSQL with pg_dump "
            + "(docs/deployment.md)")
      }
      let report = try sqlite.backup(to: to)
      session.console.write(
        "backed up \(sqlite.path) to \(report.path) "
          + "(\(report.bytes) bytes, schema version \(report.schemaVersion), integrity ok)")
    }
  }
}
