import GRDB
import LatchkeyCore

/// Turns SQLite failures into the `StoreError`s the in-memory store throws, without ever
/// quoting SQL or its arguments (they may carry hashes or key material).
enum StoreErrorMapping {
  /// Maps `error` met while working on `concern` (the word the in-memory store uses in
  /// `StoreError.conflict`, e.g. "client", "code"). Errors that are not SQLite's pass through
  /// unchanged, so a `makeSuccessor` refusal reaches the caller as thrown.
  static func map(_ error: any Error, concern: String) -> any Error {
    if error is RowDecodingError { return StoreError.corrupt(concern) }
    guard let error = error as? DatabaseError else { return error }
    switch error.extendedResultCode {
    case .SQLITE_CONSTRAINT_PRIMARYKEY, .SQLITE_CONSTRAINT_UNIQUE:
      return StoreError.conflict(concern)
    case .SQLITE_CONSTRAINT_FOREIGNKEY:
      return StoreError.notFound("referenced row")
    default:
      break
    }
    let code = error.resultCode.rawValue
    switch error.resultCode {
    case .SQLITE_CORRUPT, .SQLITE_NOTADB, .SQLITE_CONSTRAINT, .SQLITE_MISMATCH:
      return StoreError.corrupt("\(concern) (SQLite result code \(code))")
    default:
      // BUSY, LOCKED, IOERR, FULL, CANTOPEN, READONLY, PERM, …: the database cannot serve now.
      return StoreError.unavailable("SQLite result code \(code) while accessing \(concern)")
    }
  }
}
