public import CoreMetrics
import Foundation
import GRDB
public import LatchkeyCore

/// The `LatchkeyStore` on SQLite (system libsqlite3 through GRDB), in WAL mode.
///
/// Every protocol method is one write (or read) transaction on the pool's single writer
/// connection; decisions that must be atomic (code consumption, refresh rotation) read their
/// rows and apply `CodeConsumptionRule` / `RefreshRotationRule` inside that transaction, so
/// this store and `InMemoryStore` keep identical semantics. Write transactions are IMMEDIATE,
/// which also serializes them against other processes on the same file.
///
/// Writes of the `async` methods go through `GroupCommitWriter`: one writer thread runs the
/// writes queued together as savepoints of one transaction and commits once, so concurrent
/// requests share an fsync and no cooperative thread blocks on it. Reads use GRDB's synchronous
/// `read` on a reader connection (a WAL snapshot; no fsync).
public final class SQLiteStore: LatchkeyStore {
  let pool: DatabasePool
  /// Group commit of the writes (see `GroupCommitWriter`).
  let writer: GroupCommitWriter
  /// WAL checkpoints on their own connection and thread (see `WALCheckpointer`).
  let checkpointer: WALCheckpointer
  /// The read-only connection of `readStatement`: single-statement reads on hot paths.
  let statementReader: DatabaseQueue
  /// The database file.
  public let path: String

  /// Opens (creating when absent) the database at `path` and, unless
  /// `configuration.migrateOnOpen` is false, applies pending migrations.
  ///
  /// The file is created mode 0600 (it holds signing keys) and an existing file is tightened
  /// to 0600; a missing parent directory is created mode 0700. Lock waits are counted in
  /// `metricsFactory` (`latchkey_sqlite_busy_retries_total`, docs/metrics.md).
  /// - Throws: `StoreError.schemaTooNew` when the file was written by a newer Latchkey,
  ///   `StoreError.unavailable` when it cannot be opened.
  public init(
    path: String, configuration: SQLiteConfiguration = .init(),
    metricsFactory: any MetricsFactory = MetricsSystem.factory
  ) throws {
    self.path = path
    try DatabaseFile.prepare(path: path)
    var config = Configuration()
    config.label = "latchkey"
    config.foreignKeysEnabled = true
    config.busyMode =
      BusyRetry(timeout: configuration.busyTimeout, factory: metricsFactory)
      .busyMode
    config.maximumReaderCount = configuration.maximumReaderCount
    let synchronous = configuration.synchronous.rawValue
    config.prepareDatabase { db in
      try db.execute(sql: "PRAGMA foreign_keys = ON")
      try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
    }
    do {
      pool = try DatabasePool(path: path, configuration: config)
      // GRDB's WAL setup runs after `prepareDatabase` and sets `synchronous = NORMAL` on the
      // writer connection; set the configured level again on that (long-lived) connection.
      // Checkpoints run off the write path (`WALCheckpointer`), not inside a commit.
      try pool.writeWithoutTransaction { db in
        try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
        try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
        // Each write is a savepoint (`GroupCommitWriter`), and SQLite journals the pages a
        // savepoint changes, once per open savepoint (statements included). Past 64 KiB that
        // sub-journal went to a file created and unlinked in /var/tmp (one token commit in four):
        // a create, an unlink and a pwrite per page, and a failed write where no temporary
        // directory is writable (a read-only root filesystem). In memory it is freed at each
        // savepoint's release; bulk deletes go in pieces (`deleteInBatches`) to keep it small.
        try db.execute(sql: "PRAGMA temp_store = MEMORY")
      }
      config.label = "latchkey.checkpointer"
      checkpointer = try WALCheckpointer(path: path, configuration: config)
      config.label = "latchkey.statement-reader"
      config.readonly = true
      statementReader = try DatabaseQueue(path: path, configuration: config)
    } catch {
      throw StoreErrorMapping.map(error, concern: "database")
    }
    writer = GroupCommitWriter(pool: pool, checkpointer: checkpointer)
    if configuration.migrateOnOpen {
      _ = try migrate()
    } else {
      try read("schema") { try MigrationRunner.checkNotTooNew($0) }
    }
    DatabaseFile.tightenCompanions(of: path)
  }

  /// Opens the database at `path` without migrating, applies pending migrations, and reports
  /// what was applied. Used by `latchkey migrate`.
  /// - Throws: `StoreError.schemaTooNew` when the file was written by a newer Latchkey.
  public static func migrate(path: String, configuration: SQLiteConfiguration = .init()) throws
    -> MigrationReport
  {
    var configuration = configuration
    configuration.migrateOnOpen = false
    return try SQLiteStore(path: path, configuration: configuration).migrate()
  }

  /// Applies pending embedded migrations in one transaction; a no-op when current.
  ///
  /// Temporary storage is a file while they run: a migration may rewrite or index a table of
  /// any size, and with `temp_store = MEMORY` SQLite would sort and journal all of it in memory.
  public func migrate() throws -> MigrationReport {
    try setTemporaryStorage("DEFAULT")
    defer { try? setTemporaryStorage("MEMORY") }
    return try write("schema") { try MigrationRunner.migrate($0, at: Date()) }
  }

  /// `PRAGMA temp_store` on the writer connection (outside any transaction).
  private func setTemporaryStorage(_ mode: String) throws {
    do {
      try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA temp_store = \(mode)") }
    } catch {
      throw StoreErrorMapping.map(error, concern: "database")
    }
  }

  /// The migrations recorded in this database, oldest first.
  public func appliedMigrations() throws -> [MigrationRecord] {
    try read("schema") { try MigrationRunner.recordedMigrations($0) }
  }

  /// The newest schema version this binary embeds.
  public static var supportedSchemaVersion: Int { MigrationRunner.supportedVersion }

  /// Closes the pool's connections; later calls fail with `StoreError.unavailable`.
  ///
  /// GRDB closes the writer before the read-only readers, and a read-only connection cannot
  /// checkpoint, so the WAL would outlive a clean shutdown. One read-write connection opened
  /// and closed last checkpoints and removes `-wal` and `-shm` (when no other process has the
  /// file open).
  public func close() throws {
    // No write, nor the writer's checkpoint, may reach SQLite once its handle is closed.
    writer.close()
    do {
      try checkpointer.close()
      try statementReader.close()
      try pool.close()
      try DatabaseQueue(path: path).close()
    } catch {
      throw StoreErrorMapping.map(error, concern: "database")
    }
  }

  /// One IMMEDIATE write transaction on the writer connection, synchronously; SQLite errors
  /// mapped for `concern`. Synchronous on purpose: see the type's comment.
  @discardableResult
  func write<T>(_ concern: String, _ body: (Database) throws -> T) throws -> T {
    do {
      return try pool.write(body)
    } catch {
      throw StoreErrorMapping.map(error, concern: concern)
    }
  }

  /// One write as its own savepoint of the next group-committed transaction (see
  /// `GroupCommitWriter`); returns once that transaction is committed. SQLite errors mapped for
  /// `concern`.
  @discardableResult
  func commit<T: Sendable>(
    _ concern: String, _ body: @escaping @Sendable (Database) throws -> T
  ) async throws -> T {
    do {
      return try await writer.write(body)
    } catch {
      throw StoreErrorMapping.map(error, concern: concern)
    }
  }

  /// One read transaction on a reader connection (a WAL snapshot), synchronously.
  func read<T>(_ concern: String, _ body: (Database) throws -> T) throws -> T {
    do {
      return try pool.read(body)
    } catch {
      throw StoreErrorMapping.map(error, concern: concern)
    }
  }

  /// A read whose `body` runs exactly one statement (SQLite reads a single statement from one
  /// snapshot), on a read-only connection of its own (`statementReader`, serial), without
  /// BEGIN/COMMIT and outside GRDB's reader pool: the pool's checkout (a key path built and its
  /// type demangled per call) and its schema check (`PRAGMA schema_version`, a statement with a
  /// snapshot of its own) cost ≈ 15 µs of a token request's client read. Without the schema
  /// check, a statement cached before another process migrated is re-prepared by SQLite
  /// (`sqlite3_prepare_v3`), so such reads name their columns instead of `*`: a migration only
  /// adds columns, which leaves them unchanged.
  func readStatement<T>(_ concern: String, _ body: (Database) throws -> T) throws -> T {
    do {
      return try statementReader.unsafeRead(body)
    } catch {
      throw StoreErrorMapping.map(error, concern: concern)
    }
  }
}

extension SQLiteStore: MemoryReleasing {
  /// Frees the page caches of the writer and reader connections and closes idle readers
  /// (GRDB `DatabasePool.releaseMemory`); they are reopened and refilled on demand.
  public func releaseMemory() {
    pool.releaseMemory()
    statementReader.releaseMemory()
  }
}
