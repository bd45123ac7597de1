public import Foundation

/// One row of a SQL result, read by column name: the seam between a SQL backend's row type
/// (GRDB's `Row`, postgres-nio's `PostgresRandomAccessRow`) and the row decoders written once
/// here (`RefreshToken(columns:)`, `Grant(columns:)`, …). Every store keeps the same columns
/// (docs/storage.md): dates are millisecond integers, scope sets space-joined text, enums their
/// raw values.
///
/// A conformer reads the live row (no copy per column) and throws instead of trapping on a NULL
/// or a value of another type.
@usableFromInline package protocol ColumnReader {
  /// A NOT NULL text column.
  func text(_ column: String) throws -> String
  /// A nullable text column.
  func optionalText(_ column: String) throws -> String?
  /// A NOT NULL integer column (INTEGER, BIGINT).
  func int64(_ column: String) throws -> Int64
  /// A nullable integer column.
  func optionalInt64(_ column: String) throws -> Int64?
  /// A boolean column (0/1 in SQLite, BOOLEAN in PostgreSQL).
  func bool(_ column: String) throws -> Bool
}

extension ColumnReader {
  /// A NOT NULL millisecond column.
  @inlinable package func date(_ column: String) throws -> Date {
    Date(millis: try int64(column))
  }

  /// A nullable millisecond column.
  @inlinable package func optionalDate(_ column: String) throws -> Date? {
    try optionalInt64(column).map(Date.init(millis:))
  }

  /// An integer column as `Int`.
  @inlinable package func int(_ column: String) throws -> Int { Int(try int64(column)) }

  /// A space-joined scope column.
  @inlinable package func scopes(_ column: String) throws -> ScopeSet {
    ScopeSet(storedText: try text(column))
  }

  /// A text column holding an enum's raw value; an unknown value is corruption.
  @inlinable package func enumValue<Value: RawRepresentable>(
    _ type: Value.Type, _ column: String
  ) throws -> Value where Value.RawValue == String {
    guard let value = Value(rawValue: try text(column)) else { throw StoreError.corrupt(column) }
    return value
  }
}

extension Date {
  /// Storage form: INTEGER (SQLite) or BIGINT (PostgreSQL) milliseconds since 1970, rounded.
  /// Whole seconds and whole milliseconds built with `Date(timeIntervalSince1970:)` round-trip
  /// exactly.
  @inlinable package var millis: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

  /// The date of a stored millisecond count.
  @inlinable package init(millis: Int64) {
    self.init(timeIntervalSince1970: Double(millis) / 1000)
  }
}

extension ScopeSet {
  /// Storage form: the space-joined tokens (a scope token never contains a space).
  @inlinable package init(storedText text: String) {
    self.init(text.split(separator: " ", omittingEmptySubsequences: true).map(String.init))
  }
}
