import LatchkeyCore
import PostgresNIO

/// Turns PostgreSQL and pool failures into the `StoreError`s the other stores throw, without
/// ever quoting SQL or its arguments (they may carry hashes or key material).
enum PostgresErrorMapping {
  /// SQLSTATEs after which the whole transaction may simply be run again: serialization
  /// failure and deadlock detected.
  static let retryableStates: Set<String> = ["40001", "40P01"]

  /// The SQLSTATE of a server error, if `error` is one.
  static func sqlState(_ error: any Error) -> String? {
    guard let error = error as? PSQLError, error.code == .server else { return nil }
    return error.serverInfo?[.sqlState]
  }

  static func isRetryable(_ error: any Error) -> Bool {
    sqlState(error).map(retryableStates.contains) ?? false
  }

  /// Maps `error` met while working on `concern`. Errors that are not the database's pass
  /// through unchanged, so a `makeSuccessor` refusal reaches the caller as thrown.
  static func map(_ error: any Error, concern: String) -> any Error {
    if error is StoreError { return error }
    if error is PostgresDecodingError { return StoreError.corrupt(concern) }
    if let state = sqlState(error) {
      switch state {
      case "23505": return StoreError.conflict(concern)
      case "23503": return StoreError.notFound("referenced row")
      case _ where state.hasPrefix("22") || state.hasPrefix("23") || state.hasPrefix("42"):
        // Data exceptions, other constraint violations, a schema that is not ours.
        return StoreError.corrupt("\(concern) (SQLSTATE \(state))")
      default:
        // 08 connection, 53 resources, 57 shutdown / cancel, 40 after retries, …
        return StoreError.unavailable("SQLSTATE \(state) while accessing \(concern)")
      }
    }
    // Connection and pool failures (PostgresNIO, the pool module, NIO sockets and TLS): the
    // database cannot serve now. Matched by module so no internal type is named.
    let module = String(reflecting: type(of: error)).prefix(while: { $0 != "." })
    if error is PSQLError || error is CancellationError || module.contains("ConnectionPool")
      || module.hasPrefix("NIO") || module == "PostgresNIO"
    {
      return StoreError.unavailable("database unreachable while accessing \(concern)")
    }
    return error
  }
}
