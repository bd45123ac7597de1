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

  /// RFC 8259 §7: quote, reverse solidus and control characters must be escaped. The runs
  /// between them are copied whole (most strings have none: one copy).
  private mutating func appendString(_ string: String) {
    bytes.append(UInt8(ascii: "\""))
    var string = string
    string.withUTF8 { utf8 in
      var runStart = 0
      for index in utf8.indices {
        let byte = utf8[index]
        guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else {
          continue
        }
        bytes.append(contentsOf: utf8[runStart..<index])
        appendEscaped(byte)
        runStart = index + 1
      }
      bytes.append(contentsOf: utf8[runStart...])
    }
    bytes.append(UInt8(ascii: "\""))
  }

  /// The escape of one byte that may not appear raw in a JSON string.
  private mutating func appendEscaped(_ byte: UInt8) {
    switch byte {
    case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
    case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
    case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
    case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
    case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
    default:
      let hex = Array("0123456789abcdef".utf8)
      bytes.append(contentsOf: Array("\\u00".utf8))
      bytes.append(hex[Int(byte >> 4)])
      bytes.append(hex[Int(byte & 0x0F)])
    }
  }
}
