import Logging
import PostgresNIO

/// One leased connection inside a store operation: the statements of one transaction.
struct PostgresSession: Sendable {
  let connection: PostgresConnection
  let logger: Logger

  /// Every row of a statement.
  func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
    try await connection.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
  }

  /// The first row of a statement, or nil.
  func row(_ query: PostgresQuery) async throws -> PostgresRandomAccessRow? {
    try await rows(query).first
  }

  /// Runs a statement; returns how many rows it returned (use `RETURNING` to count changes).
  @discardableResult
  func run(_ query: PostgresQuery) async throws -> Int {
    try await connection.query(query, logger: logger).collect().count
  }
}
