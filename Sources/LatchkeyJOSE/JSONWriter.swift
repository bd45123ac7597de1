/// A minimal JSON object writer for the signing hot path and for RFC 7638 canonical forms:
/// members are written in call order with no whitespace. Strings are escaped per RFC 8259 §7.
public struct JSONWriter: Sendable {
  private(set) var bytes: [UInt8] = [UInt8(ascii: "{")]
  private var isEmpty = true

  public init(capacity: Int = 256) {
    bytes.reserveCapacity(capacity)
  }

  /// Adds `"key":"value"`.
  public mutating func add(_ key: String, _ value: String) {
    member(key)
    appendString(value)
  }

  /// Adds `"key":value` for an integer.
  public mutating func add(_ key: String, _ value: Int) {
    add(key, Int64(value))
  }

  /// Adds `"key":value` for an integer.
  public mutating func add(_ key: String, _ value: Int64) {
    member(key)
    bytes.append(contentsOf: String(value).utf8)
  }

  /// Adds `"key":["a","b"]`.
  public mutating func add(_ key: String, _ values: [String]) {
    member(key)
    bytes.append(UInt8(ascii: "["))
    for (index, value) in values.enumerated() {
      if index > 0 { bytes.append(UInt8(ascii: ",")) }
      appendString(value)
    }
    bytes.append(UInt8(ascii: "]"))
  }

  /// The finished object.
  public func finish() -> [UInt8] {
    bytes + [UInt8(ascii: "}")]
  }

  private mutating func member(_ key: String) {
    if !isEmpty { bytes.append(UInt8(ascii: ",")) }
    isEmpty = false
    appendString(key)
    bytes.append(UInt8(ascii: ":"))
  }

  /// RFC 8259 §7: quote, reverse solidus and control characters must be escaped.
  private mutating func appendString(_ string: String) {
    bytes.append(UInt8(ascii: "\""))
    for byte in string.utf8 {
      switch byte {
      case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
      case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
      case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
      case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
      case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
      case 0..<0x20:
        let hex = Array("0123456789abcdef".utf8)
        bytes.append(contentsOf: Array("\\u00".utf8))
        bytes.append(hex[Int(byte >> 4)])
        bytes.append(hex[Int(byte & 0x0F)])
      default: bytes.append(byte)
      }
    }
    bytes.append(UInt8(ascii: "\""))
  }
}
