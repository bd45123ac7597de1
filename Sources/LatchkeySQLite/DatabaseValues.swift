import Foundation
import GRDB
import LatchkeyCore

/// A GRDB row as the `ColumnReader` the row decoders of LatchkeyCore read
/// (`RefreshToken(columns:)`, …). It wraps the live row of a statement, so a lookup by name
/// finds Latchkey's lowercase column names without copying the row.
struct SQLiteColumns: ColumnReader {
  let row: Row

  /// A NOT NULL text column; a NULL or a non-text value throws instead of trapping.
  func text(_ column: String) throws -> String { try row.decode(String.self, forColumn: column) }

  func optionalText(_ column: String) throws -> String? {
    try row.decode(String?.self, forColumn: column)
  }

  func int64(_ column: String) throws -> Int64 { try row.decode(Int64.self, forColumn: column) }

  func optionalInt64(_ column: String) throws -> Int64? {
    try row.decode(Int64?.self, forColumn: column)
  }

  /// A 0/1 column.
  func bool(_ column: String) throws -> Bool { try row.decode(Bool.self, forColumn: column) }
}

extension Database {
  /// First row of a cached statement; none when a text argument holds NUL (`SQLArguments`).
  func row(_ sql: String, _ arguments: SQLArguments = []) throws -> Row? {
    guard !arguments.holdsNUL else { return nil }
    return try Row.fetchOne(cachedStatement(sql: sql), arguments: arguments.statementArguments)
  }

  /// The first row of a cached statement, decoded by `decode` while the statement still holds
  /// it. `Row.fetchOne` hands out a copy, and a copied row lowercases every column name on each
  /// lookup by name (GRDB's case-insensitive match: 1.7 % of a token request's CPU); the live
  /// row finds Latchkey's lowercase names in a dictionary. The cursor resets the statement
  /// when it goes away, so no read stays open.
  func row<Value>(
    _ sql: String, _ arguments: SQLArguments = [], _ decode: (SQLiteColumns) throws -> Value
  ) throws -> Value? {
    guard !arguments.holdsNUL else { return nil }
    let cursor = try Row.fetchCursor(
      cachedStatement(sql: sql), arguments: arguments.statementArguments)
    guard let row = try cursor.next() else { return nil }
    return try decode(SQLiteColumns(row: row))
  }

  /// All rows of a cached statement, each decoded by `decode` while the statement holds it
  /// (no copy of the row); none when a text argument holds NUL.
  func rows<Value>(
    _ sql: String, _ arguments: SQLArguments = [], _ decode: (SQLiteColumns) throws -> Value
  ) throws -> [Value] {
    guard !arguments.holdsNUL else { return [] }
    let cursor = try Row.fetchCursor(
      cachedStatement(sql: sql), arguments: arguments.statementArguments)
    var values: [Value] = []
    while let row = try cursor.next() { values.append(try decode(SQLiteColumns(row: row))) }
    return values
  }

  /// Runs a cached statement; returns how many rows it changed. A text argument holding NUL is
  /// refused rather than truncated.
  @discardableResult
  func run(_ sql: String, _ arguments: SQLArguments = []) throws -> Int {
    guard !arguments.holdsNUL else { throw StoreError.corrupt("a text value holds NUL") }
    try cachedStatement(sql: sql).execute(arguments: arguments.statementArguments)
    return changesCount
  }
}
