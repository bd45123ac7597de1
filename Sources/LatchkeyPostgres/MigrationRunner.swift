import Foundation
public import LatchkeyCore
import PostgresNIO

/// Applies the embedded `migrations/postgres/` files, tracking them in `schema_migrations`.
///
/// The whole run is one transaction holding a transaction-scoped advisory lock
/// (`pg_advisory_xact_lock`), so two instances starting at once apply each migration exactly
/// once: the second waits, then finds everything recorded. DDL is transactional in PostgreSQL,
/// so a failed upgrade leaves the database unchanged.
enum MigrationRunner {
  /// The advisory-lock key of migrations ("latchkey" folded into a bigint; any fixed value
  /// unlikely to clash with other applications on the same database works).
  static let lockKey: Int64 = 0x6C61_7463_686B_6579

  static var supportedVersion: Int { embeddedMigrations.last?.version ?? 0 }

  /// Applies every embedded migration not yet recorded; re-running is a no-op.
  static func migrate(
    _ session: PostgresSession, migrations: [Migration] = embeddedMigrations, at now: Date
  ) async throws -> MigrationReport {
    try await session.run("SELECT pg_advisory_xact_lock(\(lockKey))")
    try await session.run(
      """
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)
      """)
    try await checkNotTooNew(session)
    let done = Set(try await recordedMigrations(session).map(\.version))
    var applied: [MigrationRecord] = []
    for migration in migrations where !done.contains(migration.version) {
      for statement in statements(of: migration.sql) {
        try await session.run(PostgresQuery(unsafeSQL: statement))
      }
      try await session.run(
        """
        INSERT INTO schema_migrations (version, name, applied_at)
        VALUES (\(migration.version), \(migration.name), \(now.millis))
        """)
      applied.append(
        MigrationRecord(
          version: migration.version, name: migration.name, appliedAt: Date(millis: now.millis)))
    }
    return MigrationReport(
      applied: applied, recorded: try await recordedMigrations(session),
      supportedVersion: supportedVersion)
  }

  /// Refuses a database written by a newer Latchkey.
  static func checkNotTooNew(_ session: PostgresSession) async throws {
    let found = try await recordedMigrations(session).last?.version ?? 0
    guard found <= supportedVersion else {
      throw StoreError.schemaTooNew(found: found, supported: supportedVersion)
    }
  }

  /// The rows of `schema_migrations`, oldest first; empty when the table does not exist yet.
  static func recordedMigrations(_ session: PostgresSession) async throws -> [MigrationRecord] {
    let exists = try await session.row("SELECT to_regclass('schema_migrations') IS NOT NULL AS e")
    guard try exists?.bool("e") == true else { return [] }
    return try await session.rows(
      "SELECT version, name, applied_at FROM schema_migrations ORDER BY version"
    ).map { row in
      MigrationRecord(
        version: try row.int("version"), name: try row.text("name"),
        appliedAt: try row.date("applied_at"))
    }
  }

  /// The statements of a migration file: `--` comments dropped, split at `;` outside a
  /// `$$`-quoted function body. The extended query protocol runs one statement at a time; the
  /// files hold no `;` or `--` inside string literals (checked by the tests).
  static func statements(of sql: String) -> [String] {
    let uncommented = sql.split(separator: "\n", omittingEmptySubsequences: false).map { line in
      line.range(of: "--").map { String(line[..<$0.lowerBound]) } ?? String(line)
    }.joined(separator: "\n")
    var statements: [String] = []
    var current = ""
    for (index, part) in uncommented.components(separatedBy: "$$").enumerated() {
      if index % 2 == 1 {
        current += "$$" + part + "$$"
        continue
      }
      let pieces = part.split(separator: ";", omittingEmptySubsequences: false)
      for (position, piece) in pieces.enumerated() {
        current += piece
        if position < pieces.count - 1 {
          statements.append(current)
          current = ""
        }
      }
    }
    statements.append(current)
    return statements.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
      .filter { !$0.isEmpty }
  }
}

extension PostgresStore {
  /// Applies pending embedded migrations in one transaction under the migration advisory
  /// lock; a no-op when current.
  public func migrate() async throws -> MigrationReport {
    try await transaction("schema") { try await MigrationRunner.migrate($0, at: Date()) }
  }

  /// The migrations recorded in this database, oldest first.
  public func appliedMigrations() async throws -> [MigrationRecord] {
    try await transaction("schema") { try await MigrationRunner.recordedMigrations($0) }
  }

  /// The newest schema version this binary embeds.
  public static var supportedSchemaVersion: Int { MigrationRunner.supportedVersion }

  func checkSchemaNotTooNew() async throws {
    try await transaction("schema") { try await MigrationRunner.checkNotTooNew($0) }
  }
}
