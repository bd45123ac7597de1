/// Failures of a store that are not answers to the question asked.
public enum StoreError: Error, Sendable, Equatable {
  /// A row with the same key exists (e.g. a username or client id taken).
  case conflict(String)
  /// The row to update or delete does not exist.
  case notFound(String)
  /// The database was written by a newer Latchkey whose schema this binary does not know.
  case schemaTooNew(found: Int, supported: Int)
  /// The database cannot be reached or is busy beyond its timeout.
  case unavailable(String)
  /// Stored data could not be decoded (corruption or a manual edit).
  case corrupt(String)
}
