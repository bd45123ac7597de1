import LatchkeyCore
import Logging
import PostgresNIO
import Synchronization

/// One leased connection inside a store operation: the statements of one transaction.
///
/// A text argument holding NUL (which PostgreSQL's `text` cannot store) matches nothing, as in
/// the SQLite store (issue 21 part 3): PostgreSQL refuses the statement with SQLSTATE 22021 and
/// aborts the transaction, so `rows`/`row` answer no rows and every later read of the same
/// transaction answers no rows too, while a later write throws instead of being skipped. The
/// transaction then ends in `control(Commit())`, which rolls an aborted transaction back.
struct PostgresSession: Sendable {
  let connection: PostgresConnection
  let logger: Logger
  /// Set once a statement was refused for a NUL in a text argument.
  private let refusedNUL = RefusalFlag()

  init(connection: PostgresConnection, logger: Logger) {
    self.connection = connection
    self.logger = logger
  }

  /// SQLSTATE 22021 `character_not_in_repertoire`: what PostgreSQL answers for a text value
  /// holding NUL.
  static let textHoldsNUL = "22021"

  /// Every row of a statement; none for a text argument holding NUL.
  func rows(_ query: PostgresQuery) async throws -> [PostgresColumns] {
    try await reading { try await connection.query(query, logger: logger).collect() }
  }

  /// Every row of a prepared statement; none for a text argument holding NUL.
  func rows(_ statement: some PreparedStatement) async throws -> [PostgresColumns] {
    try await reading { try await execute(statement) }
  }

  /// The first row of a statement, or nil (also for a text argument holding NUL).
  func row(_ query: PostgresQuery) async throws -> PostgresColumns? {
    try await rows(query).first
  }

  /// The first row of a prepared statement, or nil (also for a text argument holding NUL).
  func row(_ statement: some PreparedStatement) async throws -> PostgresColumns? {
    try await rows(statement).first
  }

  /// Runs a statement; returns how many rows it returned (use `RETURNING` to count changes).
  /// A text argument holding NUL is refused (`StoreError.corrupt`), never stored truncated.
  @discardableResult
  func run(_ query: PostgresQuery) async throws -> Int {
    try await writing { try await connection.query(query, logger: logger).collect() }.count
  }

  /// Runs a prepared statement; returns how many rows it returned; refuses like `run`.
  @discardableResult
  func run(_ statement: some PreparedStatement) async throws -> Int {
    try await writing { try await execute(statement) }.count
  }

  /// Runs a writing statement and returns its first row (a CTE's counts); refuses like `run`.
  func write(_ query: PostgresQuery) async throws -> PostgresColumns? {
    try await writing { try await connection.query(query, logger: logger).collect() }.first
      .map { PostgresColumns(row: $0.makeRandomAccess()) }
  }

  /// Runs a writing prepared statement and returns its first row; refuses like `run`.
  func write(_ statement: some PreparedStatement) async throws -> PostgresColumns? {
    try await writing { try await execute(statement) }.first
      .map { PostgresColumns(row: $0.makeRandomAccess()) }
  }

  /// BEGIN, COMMIT or ROLLBACK: always sent.
  func control(_ query: PostgresQuery) async throws {
    _ = try await connection.query(query, logger: logger).collect()
  }

  /// A prepared BEGIN or COMMIT: always sent.
  func control(_ statement: some PreparedStatement) async throws {
    _ = try await execute(statement)
  }

  /// A read's rows; none once a statement was refused for a NUL (and for that statement).
  private func reading(_ fetch: () async throws -> [PostgresRow]) async throws
    -> [PostgresColumns]
  {
    if refusedNUL.isSet { return [] }
    do {
      return try await fetch().map { PostgresColumns(row: $0.makeRandomAccess()) }
    } catch let error where PostgresErrorMapping.sqlState(error) == Self.textHoldsNUL {
      refusedNUL.set()
      return []
    }
  }

  /// A write's rows; refused once a statement was refused for a NUL.
  private func writing(_ send: () async throws -> [PostgresRow]) async throws -> [PostgresRow] {
    if refusedNUL.isSet { throw StoreError.corrupt("a text value holds NUL") }
    return try await send()
  }

  /// The rows of a prepared statement: parsed once per connection, then bound and executed.
  private func execute(_ statement: some PreparedStatement) async throws -> [PostgresRow] {
    var rows: [PostgresRow] = []
    for try await row in try await connection.execute(statement, logger: logger) {
      rows.append(row)
    }
    return rows
  }
}

/// A flag one transaction's statements share.
final class RefusalFlag: Sendable {
  private let value = Atomic<Bool>(false)

  var isSet: Bool { value.load(ordering: .relaxed) }

  func set() { value.store(true, ordering: .relaxed) }
}
