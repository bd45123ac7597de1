import Foundation
import LatchkeyCore
import PostgresNIO

extension Date {
  /// Storage form: BIGINT milliseconds since 1970, rounded, exactly as the SQLite store.
  var millis: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

  /// The date of a stored millisecond count.
  init(millis: Int64) {
    self.init(timeIntervalSince1970: Double(millis) / 1000)
  }
}

extension ScopeSet {
  /// Storage form: the space-joined tokens (a scope token never contains a space).
  init(storedText text: String) {
    self.init(text.split(separator: " ", omittingEmptySubsequences: true).map(String.init))
  }
}

extension PostgresRandomAccessRow {
  /// A NOT NULL text column.
  func text(_ column: String) throws -> String { try self[column].decode(String.self) }

  /// A nullable text column.
  func optionalText(_ column: String) throws -> String? {
    try self[column].decode(String?.self)
  }

  /// A NOT NULL millisecond column.
  func date(_ column: String) throws -> Date {
    Date(millis: try self[column].decode(Int64.self))
  }

  /// A nullable millisecond column.
  func optionalDate(_ column: String) throws -> Date? {
    try self[column].decode(Int64?.self).map(Date.init(millis:))
  }

  /// A BOOLEAN column.
  func bool(_ column: String) throws -> Bool { try self[column].decode(Bool.self) }

  /// An INTEGER or BIGINT column.
  func int(_ column: String) throws -> Int { try self[column].decode(Int.self) }

  /// A space-joined scope column.
  func scopes(_ column: String) throws -> ScopeSet { ScopeSet(storedText: try text(column)) }

  /// A text column holding an enum's raw value; an unknown value is corruption.
  func enumValue<Value: RawRepresentable>(_ type: Value.Type, _ column: String) throws -> Value
  where Value.RawValue == String {
    guard let value = Value(rawValue: try text(column)) else { throw StoreError.corrupt(column) }
    return value
  }
}

/// JSON text columns (grant types, tool scopes): sorted keys so equal values store equally.
enum JSONColumn {
  static func encode(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
  }

  static func decode<Value: Decodable>(_ type: Value.Type, from text: String, column: String)
    throws -> Value
  {
    do {
      return try JSONDecoder().decode(type, from: Data(text.utf8))
    } catch {
      throw StoreError.corrupt(column)
    }
  }
}
