import LatchkeyCore
import PostgresNIO

/// A PostgreSQL row as the `ColumnReader` the row decoders of LatchkeyCore read
/// (`RefreshToken(columns:)`, …): what `PostgresSession` hands out.
struct PostgresColumns: ColumnReader {
  let row: PostgresRandomAccessRow
  /// Put before every column name: the second table of a joined row (`ColumnList.prefixed`).
  var prefix = ""

  /// The columns of the row named with `prefix` (one table of a join), by their own names.
  func prefixed(_ prefix: String) -> PostgresColumns {
    PostgresColumns(row: row, prefix: prefix)
  }

  private func cell(_ column: String) -> PostgresCell {
    row[prefix.isEmpty ? column : prefix + column]
  }

  func text(_ column: String) throws -> String { try cell(column).decode(String.self) }

  func optionalText(_ column: String) throws -> String? {
    try cell(column).decode(String?.self)
  }

  func int64(_ column: String) throws -> Int64 { try cell(column).decode(Int64.self) }

  func optionalInt64(_ column: String) throws -> Int64? {
    try cell(column).decode(Int64?.self)
  }

  func bool(_ column: String) throws -> Bool { try cell(column).decode(Bool.self) }

  /// A `text[]` column (an `ARRAY(SELECT …)` of the statement).
  func textArray(_ column: String) throws -> [String] { try cell(column).decode([String].self) }
}
