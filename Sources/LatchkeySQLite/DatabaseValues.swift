import Foundation
import GRDB
import LatchkeyCore

extension Date {
  /// Storage form: INTEGER milliseconds since 1970, rounded. Whole seconds and whole
  /// milliseconds built with `Date(timeIntervalSince1970:)` round-trip exactly.
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

extension Row {
  /// A NOT NULL text column; a NULL or a non-text value throws instead of trapping.
  func text(_ column: String) throws -> String { try decode(String.self, forColumn: column) }

  /// A nullable text column.
  func optionalText(_ column: String) throws -> String? {
    try decode(String?.self, forColumn: column)
  }

  /// A NOT NULL millisecond column.
  func date(_ column: String) throws -> Date {
    Date(millis: try decode(Int64.self, forColumn: column))
  }

  /// A nullable millisecond column.
  func optionalDate(_ column: String) throws -> Date? {
    try decode(Int64?.self, forColumn: column).map(Date.init(millis:))
  }

  /// A 0/1 column.
  func bool(_ column: String) throws -> Bool { try decode(Bool.self, forColumn: column) }

  /// A space-joined scope column.
  func scopes(_ column: String) throws -> ScopeSet { ScopeSet(storedText: try text(column)) }

  /// A text column holding an enum's raw value; an unknown value is corruption.
  func enumValue<Value: RawRepresentable>(_ type: Value.Type, _ column: String) throws -> Value
  where Value.RawValue == String {
    let raw = try text(column)
    guard let value = Value(rawValue: raw) else { throw StoreError.corrupt(column) }
    return value
  }
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
    _ sql: String, _ arguments: SQLArguments = [], _ decode: (Row) throws -> Value
  ) throws -> Value? {
    guard !arguments.holdsNUL else { return nil }
    let cursor = try Row.fetchCursor(
      cachedStatement(sql: sql), arguments: arguments.statementArguments)
    guard let row = try cursor.next() else { return nil }
    return try decode(row)
  }

  /// All rows of a cached statement; none when a text argument holds NUL.
  func rows(_ sql: String, _ arguments: SQLArguments = []) throws -> [Row] {
    guard !arguments.holdsNUL else { return [] }
    return try Row.fetchAll(cachedStatement(sql: sql), arguments: arguments.statementArguments)
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

/// JSON text columns (grant types, tool scopes): sorted keys so equal values store equally.
enum JSONColumn {
  /// Encodes a value as JSON text.
  static func encode(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
  }

  /// Decodes a JSON array of strings. The form this store writes (`["a","b"]`, no escapes) is
  /// read without a `JSONDecoder` (a client row is read on every token request); anything else
  /// goes through `decode`.
  static func strings(from text: String, column: String) throws -> [String] {
    if let simple = simpleStrings(text) { return simple }
    return try decode([String].self, from: text, column: column)
  }

  /// The `grant_types` column: the raw `GrantType` strings as a JSON array. The form this store
  /// writes is matched against the known values without building a `String` per value; a value
  /// that is no `GrantType` is corruption of the column.
  static func grantTypes(from text: String) throws -> [GrantType] {
    let column = "grant_types"
    let simple = try simpleValues(text) { raw in
      guard let known = knownGrantTypes.first(where: { $0.utf8.elementsEqual(raw) }) else {
        throw StoreError.corrupt(column)
      }
      return known.grantType
    }
    return try simple ?? decode([GrantType].self, from: text, column: column)
  }

  /// Each `GrantType` with the bytes of its raw value, built once.
  private static let knownGrantTypes = GrantType.allCases.map {
    (grantType: $0, utf8: Array($0.rawValue.utf8))
  }

  /// `["a","b"]` with no whitespace, escapes or quotes inside values; nil for any other text.
  static func simpleStrings(_ text: String) -> [String]? {
    simpleValues(text) { String(decoding: $0, as: UTF8.self) }
  }

  /// The values of `["a","b"]` (no whitespace, escapes or quotes inside values), each made by
  /// `value` from its bytes; nil for any other text.
  static func simpleValues<Value>(
    _ text: String, _ value: (ArraySlice<UInt8>) throws -> Value
  ) rethrows -> [Value]? {
    let bytes = Array(text.utf8)
    guard bytes.count >= 2, bytes.first == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]")
    else { return nil }
    if bytes.count == 2 { return [] }
    var values: [Value] = []
    for part in bytes[1..<(bytes.count - 1)].split(
      separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
    {
      guard part.count >= 2, part.first == UInt8(ascii: "\""), part.last == UInt8(ascii: "\"")
      else { return nil }
      let inner = part.dropFirst().dropLast()
      guard
        !inner.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 < 0x20 }
        )
      else { return nil }
      values.append(try value(inner))
    }
    return values
  }

  /// Decodes JSON text; malformed text is corruption of `column`.
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
