import LatchkeyCore
import PostgresNIO

/// A PostgreSQL row as the `ColumnReader` the row decoders of LatchkeyCore read
/// (`RefreshToken(columns:)`, …): what `PostgresSession` hands out.
struct PostgresColumns: ColumnReader {
  let row: PostgresRandomAccessRow

  func text(_ column: String) throws -> String { try row[column].decode(String.self) }

  func optionalText(_ column: String) throws -> String? { try row[column].decode(String?.self) }

  func int64(_ column: String) throws -> Int64 { try row[column].decode(Int64.self) }

  func optionalInt64(_ column: String) throws -> Int64? { try row[column].decode(Int64?.self) }

  func bool(_ column: String) throws -> Bool { try row[column].decode(Bool.self) }

  /// A `text[]` column (an `ARRAY(SELECT …)` of the statement).
  func textArray(_ column: String) throws -> [String] { try row[column].decode([String].self) }
}
