import Logging
import PostgresNIO

/// One leased connection inside a store operation: the statements of one transaction.
struct PostgresSession: Sendable {
  let connection: PostgresConnection
  let logger: Logger

  /// SQLSTATE 22021 `character_not_in_repertoire`: what PostgreSQL answers for a text value
  /// holding NUL, which `text` cannot store.
  static let textHoldsNUL = "22021"

  /// Every row of a statement. A text argument holding NUL matches nothing (issue 21 part 3:
  /// the same answer as the SQLite store, which never lets such a key reach a lookup); the
  /// transaction is then aborted, so the lookup must be its last statement that matters
  /// (COMMIT of an aborted transaction rolls back without error).
  func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
    do {
      return try await connection.query(query, logger: logger).collect().map {
        $0.makeRandomAccess()
      }
    } catch let error where PostgresErrorMapping.sqlState(error) == Self.textHoldsNUL {
      return []
    }
  }

  /// The first row of a statement, or nil (also for a text argument holding NUL).
  func row(_ query: PostgresQuery) async throws -> PostgresRandomAccessRow? {
    try await rows(query).first
  }

  /// Runs a statement; returns how many rows it returned (use `RETURNING` to count changes).
  /// A text argument holding NUL is refused by PostgreSQL (`StoreError.corrupt`).
  @discardableResult
  func run(_ query: PostgresQuery) async throws -> Int {
    try await connection.query(query, logger: logger).collect().count
  }
}
