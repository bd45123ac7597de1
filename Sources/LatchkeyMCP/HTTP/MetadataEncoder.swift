import Foundation

/// JSON for metadata documents: sorted keys, unescaped slashes (URLs stay readable).
enum MetadataEncoder {
  static func encode(_ value: some Encodable) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return Array(try encoder.encode(value))
  }
}
