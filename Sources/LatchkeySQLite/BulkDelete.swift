import GRDB

extension SQLiteStore {
  /// Rows one commit of a bulk delete removes at most.
  static let bulkDeleteBatch = 1_000

  /// Deletes the rows of `table` matching `condition` in commits of at most `bulkDeleteBatch`
  /// rows each (`key IN (SELECT key … LIMIT n)`, which needs no `DELETE … LIMIT` build option);
  /// returns how many rows went.
  ///
  /// Why in pieces: a write runs in a savepoint of a group commit, and SQLite keeps every page a
  /// savepoint changes in the writer's in-memory sub-journal (`temp_store = MEMORY`, see
  /// `SQLiteStore.init`), so one delete of a million expired rows would hold them all in memory,
  /// and hold the writer (every token request behind it) for the whole delete. In pieces, the
  /// journal stays under a megabyte and token writes queue behind one piece at most. A purge
  /// interrupted halfway leaves the rest for the next one: the rows are expired either way.
  /// `table`, `key` and `condition` are fixed SQL of this module, never input.
  func deleteInBatches(
    _ concern: String, from table: String, key: String, where condition: String,
    _ arguments: SQLArguments
  ) async throws -> Int {
    let sql = """
      DELETE FROM \(table) WHERE \(key) IN
        (SELECT \(key) FROM \(table) WHERE \(condition) LIMIT \(Self.bulkDeleteBatch))
      """
    var deleted = 0
    while true {
      let piece = try await commit(concern) { db in try db.run(sql, arguments) }
      deleted += piece
      if piece < Self.bulkDeleteBatch { return deleted }
    }
  }
}
