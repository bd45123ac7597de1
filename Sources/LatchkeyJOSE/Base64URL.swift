/// Base64url without padding (RFC 7515 §2, RFC 4648 §5).
///
/// Hand-rolled: JWT signing encodes three segments per token, and Foundation's
/// base64 plus character replacement costs more than the table lookups below.
public enum Base64URL {
  /// The RFC 4648 §5 alphabet ("URL and Filename safe").
  static let alphabet: [UInt8] = Array(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

  /// Alphabet value of each byte, or 0xFF for bytes outside the alphabet.
  static let values: [UInt8] = {
    var table = [UInt8](repeating: 0xFF, count: 256)
    for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
    return table
  }()

  /// Encodes without padding (RFC 7515 §2 "Base64url Encoding").
  public static func encode(_ bytes: some Collection<UInt8>) -> String {
    var output: [UInt8] = []
    output.reserveCapacity(encodedLength(bytes.count))
    append(bytes, to: &output)
    return String(decoding: output, as: UTF8.self)
  }

  /// Encodes the UTF-8 bytes of `string`.
  public static func encode(_ string: String) -> String {
    var string = string
    return string.withUTF8 { encode($0) }
  }

  /// Decodes strict base64url (RFC 7515 §2): no padding, no whitespace, no characters outside
  /// the alphabet, no impossible length (`count % 4 == 1`), and no non-zero unused trailing bits
  /// (so every byte string has exactly one accepted encoding).
  public static func decode(_ string: String) -> [UInt8]? {
    var string = string
    return string.withUTF8 { decode(buffer: $0) }
  }

  /// Number of characters `count` bytes encode to, without padding.
  static func encodedLength(_ count: Int) -> Int {
    (count / 3) * 4 + [0, 2, 3][count % 3]
  }

  /// Appends the encoding of `bytes` to `output` (the allocation-free core of `encode`).
  static func append(_ bytes: some Collection<UInt8>, to output: inout [UInt8]) {
    if let done: Void = bytes.withContiguousStorageIfAvailable({ append(buffer: $0, to: &output) })
    {
      return done
    }
    Array(bytes).withUnsafeBufferPointer { append(buffer: $0, to: &output) }
  }

  private static func append(buffer: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
    alphabet.withUnsafeBufferPointer { table in
      var index = 0
      let whole = buffer.count - buffer.count % 3
      while index < whole {
        let value =
          UInt32(buffer[index]) << 16 | UInt32(buffer[index + 1]) << 8
          | UInt32(buffer[index + 2])
        output.append(table[Int(value >> 18)])
        output.append(table[Int(value >> 12 & 0x3F)])
        output.append(table[Int(value >> 6 & 0x3F)])
        output.append(table[Int(value & 0x3F)])
        index += 3
      }
      switch buffer.count - whole {
      case 1:
        let value = UInt32(buffer[index]) << 16
        output.append(table[Int(value >> 18)])
        output.append(table[Int(value >> 12 & 0x3F)])
      case 2:
        let value = UInt32(buffer[index]) << 16 | UInt32(buffer[index + 1]) << 8
        output.append(table[Int(value >> 18)])
        output.append(table[Int(value >> 12 & 0x3F)])
        output.append(table[Int(value >> 6 & 0x3F)])
      default:
        break
      }
    }
  }

  /// Strict decoding of already-split UTF-8 bytes (used by the JWS parser on token slices).
  static func decode(bytes: some Collection<UInt8>) -> [UInt8]? {
    if let result = bytes.withContiguousStorageIfAvailable({ decode(buffer: $0) }) {
      return result
    }
    return Array(bytes).withUnsafeBufferPointer { decode(buffer: $0) }
  }

  private static func decode(buffer: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
    let remainder = buffer.count % 4
    if remainder == 1 { return nil }
    return values.withUnsafeBufferPointer { table -> [UInt8]? in
      var output: [UInt8] = []
      output.reserveCapacity(buffer.count / 4 * 3 + 2)
      var index = 0
      let whole = buffer.count - remainder
      while index < whole {
        let a = table[Int(buffer[index])]
        let b = table[Int(buffer[index + 1])]
        let c = table[Int(buffer[index + 2])]
        let d = table[Int(buffer[index + 3])]
        if (a | b | c | d) & 0xC0 != 0 { return nil }
        let value = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
        output.append(UInt8(truncatingIfNeeded: value >> 16))
        output.append(UInt8(truncatingIfNeeded: value >> 8))
        output.append(UInt8(truncatingIfNeeded: value))
        index += 4
      }
      switch remainder {
      case 2:
        let a = table[Int(buffer[index])]
        let b = table[Int(buffer[index + 1])]
        if (a | b) & 0xC0 != 0 || b & 0x0F != 0 { return nil }
        output.append(a << 2 | b >> 4)
      case 3:
        let a = table[Int(buffer[index])]
        let b = table[Int(buffer[index + 1])]
        let c = table[Int(buffer[index + 2])]
        if (a | b | c) & 0xC0 != 0 || c & 0x03 != 0 { return nil }
        output.append(a << 2 | b >> 4)
        output.append(b << 4 | c >> 2)
      default:
        break
      }
      return output
    }
  }
}
