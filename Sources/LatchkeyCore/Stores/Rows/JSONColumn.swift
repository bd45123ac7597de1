import Foundation

/// JSON text columns of every SQL store (grant types, tool scopes): sorted keys so equal values
/// store equally.
@usableFromInline package enum JSONColumn {
  /// Encodes a value as JSON text.
  package static func encode(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
  }

  /// Decodes a JSON array of strings. The form this store writes (`["a","b"]`, no escapes) is
  /// read without a `JSONDecoder` (a client row is read on every token request); anything else
  /// goes through `decode`.
  package static func strings(from text: String, column: String) throws -> [String] {
    if let simple = simpleStrings(text) { return simple }
    return try decode([String].self, from: text, column: column)
  }

  /// The `grant_types` column: the raw `GrantType` strings as a JSON array. The form this store
  /// writes is matched against the known values without building a `String` per value; a value
  /// that is no `GrantType` is corruption of the column.
  @usableFromInline package static func grantTypes(from text: String) throws -> [GrantType] {
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
  package static func simpleStrings(_ text: String) -> [String]? {
    simpleValues(text) { String(decoding: $0, as: UTF8.self) }
  }

  /// The values of `["a","b"]` (no whitespace, escapes or quotes inside values), each made by
  /// `value` from its bytes; nil for any other text.
  package static func simpleValues<Value>(
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
  @usableFromInline package static func decode<Value: Decodable>(
    _ type: Value.Type, from text: String, column: String
  )
    throws -> Value
  {
    do {
      return try JSONDecoder().decode(type, from: Data(text.utf8))
    } catch {
      throw StoreError.corrupt(column)
    }
  }
}
