import GRDB

extension SQLiteStore {
  /// The value of `PRAGMA name` on the writer connection, as text (diagnostics and tests).
  /// `name` must be a fixed pragma name, never user input.
  func pragma(_ name: String) throws -> String? {
    try write("schema") { db in try String.fetchOne(db, sql: "PRAGMA \(name)") }
  }

  /// Runs `PRAGMA wal_checkpoint(TRUNCATE)` outside any transaction and returns its `busy`
  /// column: 1 when a reader still holds a snapshot (tests: no read may stay open).
  func truncatingCheckpointBusy() throws -> Int {
    do {
      return try pool.writeWithoutTransaction { db in
        try Int.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") ?? -1
      }
    } catch {
      throw StoreErrorMapping.map(error, concern: "schema")
    }
  }

  /// The names of the user tables, sorted.
  func tableNames() throws -> [String] {
    try read("schema") { db in
      try String.fetchAll(
        db,
        sql: """
          SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
          ORDER BY name
          """)
    }
  }

  /// Runs raw SQL in a write transaction. For tests that need to fake what another binary
  /// wrote (e.g. a newer schema version).
  func executeRaw(_ sql: String) throws {
    try write("schema") { db in try db.execute(sql: sql) }
  }
}
