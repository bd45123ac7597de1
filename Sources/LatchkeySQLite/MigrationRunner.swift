import Foundation
import GRDB
import LatchkeyCore

/// Applies the embedded migrations, tracking them in `schema_migrations`.
///
/// The SQL files are the truth; this runner only executes them in version order, each once,
/// inside the caller's write transaction (so a failed upgrade leaves the database unchanged).
/// The bookkeeping table is created here rather than in a migration because the runner must
/// read it before knowing what to apply.
enum MigrationRunner {
  /// The newest schema version this binary knows.
  static var supportedVersion: Int { embeddedMigrations.last?.version ?? 0 }

  /// Refuses a database written by a newer Latchkey: its schema may mean things this binary
  /// would silently get wrong. Read-only.
  static func checkNotTooNew(_ db: Database) throws {
    let found = try recordedMigrations(db).last?.version ?? 0
    guard found <= supportedVersion else {
      throw StoreError.schemaTooNew(found: found, supported: supportedVersion)
    }
  }

  /// Applies every embedded migration not yet recorded; re-running is a no-op.
  static func migrate(
    _ db: Database, migrations: [Migration] = embeddedMigrations, at now: Date
  ) throws -> MigrationReport {
    try db.execute(
      sql: """
        CREATE TABLE IF NOT EXISTS schema_migrations (
          version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT
        """)
    try checkNotTooNew(db)
    let done = Set(try recordedMigrations(db).map(\.version))
    var applied: [MigrationRecord] = []
    for migration in migrations where !done.contains(migration.version) {
      try db.execute(sql: migration.sql)
      try db.execute(
        sql: "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
        arguments: [migration.version, migration.name, now.millis])
      applied.append(
        MigrationRecord(
          version: migration.version, name: migration.name, appliedAt: Date(millis: now.millis)))
    }
    return MigrationReport(
      applied: applied, recorded: try recordedMigrations(db), supportedVersion: supportedVersion)
  }

  /// The rows of `schema_migrations`, oldest first; empty when the table does not exist yet.
  static func recordedMigrations(_ db: Database) throws -> [MigrationRecord] {
    guard try db.tableExists("schema_migrations") else { return [] }
    return try Row.fetchAll(
      db, sql: "SELECT version, name, applied_at FROM schema_migrations ORDER BY version"
    ).map { row in
      let columns = SQLiteColumns(row: row)
      return MigrationRecord(
        version: try columns.int("version"), name: try columns.text("name"),
        appliedAt: try columns.date("applied_at"))
    }
  }
}
