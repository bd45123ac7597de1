/// Finds a JSON object that names a member twice.
///
/// RFC 8259 §4: "The names within an object SHOULD be unique"; when they are not, parsers
/// disagree about which value counts (Foundation's `JSONDecoder` keeps the first, others the
/// last). Client metadata (RFC 7591 §2, client ID metadata documents) is read by more than one
/// party, so a document with a repeated name is refused (`invalid_client_metadata`, RFC 7591
/// §3.2.2) rather than read one way here and another way elsewhere. The LatchkeyMCP middleware
/// applies the same rule to JSON-RPC messages with its own single-pass scanner.
public enum JSONDuplicateMemberRule {
  /// Deeper nesting is left to the JSON parser, which refuses it.
  public static let maximumDepth = 512

  /// The first member name that appears twice in one object, at any depth; nil when there is
  /// none, and also when the text is not JSON (the parser then says so).
  public static func firstDuplicate(in bytes: some Collection<UInt8>) -> String? {
    var scanner = Scanner(bytes: Array(bytes))
    return try? scanner.value(depth: 0)
  }

  struct Malformed: Error {}

  /// A recursive-descent reader of RFC 8259 text that keeps only the member names per object.
  struct Scanner {
    let bytes: [UInt8]
    var index = 0

    /// Reads one value; returns the first duplicated name found inside it.
    mutating func value(depth: Int) throws(Malformed) -> String? {
      guard depth <= JSONDuplicateMemberRule.maximumDepth else { throw Malformed() }
      skipWhitespace()
      guard index < bytes.count else { throw Malformed() }
      switch bytes[index] {
      case UInt8(ascii: "{"): return try object(depth: depth)
      case UInt8(ascii: "["): return try array(depth: depth)
      case UInt8(ascii: "\""):
        _ = try string()
        return nil
      default:
        try scalar()
        return nil
      }
    }

    mutating func object(depth: Int) throws(Malformed) -> String? {
      index += 1
      var names = Set<[UInt8]>()
      skipWhitespace()
      if peek() == UInt8(ascii: "}") {
        index += 1
        return nil
      }
      while true {
        skipWhitespace()
        guard peek() == UInt8(ascii: "\"") else { throw Malformed() }
        let name = try string()
        if !names.insert(name).inserted { return String(decoding: name, as: UTF8.self) }
        skipWhitespace()
        guard peek() == UInt8(ascii: ":") else { throw Malformed() }
        index += 1
        if let duplicate = try value(depth: depth + 1) { return duplicate }
        skipWhitespace()
        switch peek() {
        case UInt8(ascii: ","): index += 1
        case UInt8(ascii: "}"):
          index += 1
          return nil
        default: throw Malformed()
        }
      }
    }

    mutating func array(depth: Int) throws(Malformed) -> String? {
      index += 1
      skipWhitespace()
      if peek() == UInt8(ascii: "]") {
        index += 1
        return nil
      }
      while true {
        if let duplicate = try value(depth: depth + 1) { return duplicate }
        skipWhitespace()
        switch peek() {
        case UInt8(ascii: ","): index += 1
        case UInt8(ascii: "]"):
          index += 1
          return nil
        default: throw Malformed()
        }
      }
    }

    /// A string at `"`, unescaped to UTF-8 bytes, so `"a"` and `"\u0061"` are the same name.
    mutating func string() throws(Malformed) -> [UInt8] {
      index += 1
      var out: [UInt8] = []
      while index < bytes.count {
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""): return out
        case UInt8(ascii: "\\"): try escape(into: &out)
        default: out.append(byte)
        }
      }
      throw Malformed()
    }

    mutating func escape(into out: inout [UInt8]) throws(Malformed) {
      guard index < bytes.count else { throw Malformed() }
      let byte = bytes[index]
      index += 1
      switch byte {
      case UInt8(ascii: "b"): out.append(0x08)
      case UInt8(ascii: "f"): out.append(0x0C)
      case UInt8(ascii: "n"): out.append(0x0A)
      case UInt8(ascii: "r"): out.append(0x0D)
      case UInt8(ascii: "t"): out.append(0x09)
      case UInt8(ascii: "u"):
        var value = UInt32(try hex4())
        if (0xD800...0xDBFF).contains(value), peek() == UInt8(ascii: "\\"),
          index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u")
        {
          index += 2
          let low = UInt32(try hex4())
          value = 0x10000 + ((value - 0xD800) << 10) + (low &- 0xDC00)
        }
        let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
        out.append(contentsOf: String(Character(scalar)).utf8)
      default: out.append(byte)
      }
    }

    mutating func hex4() throws(Malformed) -> UInt16 {
      guard index + 4 <= bytes.count,
        let value = UInt16(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
      else { throw Malformed() }
      index += 4
      return value
    }

    /// A number, `true`, `false` or `null`: skipped up to the next delimiter (the parser
    /// validates it).
    mutating func scalar() throws(Malformed) {
      let start = index
      while let byte = peek(), !isDelimiter(byte) { index += 1 }
      guard index > start else { throw Malformed() }
    }

    func isDelimiter(_ byte: UInt8) -> Bool {
      switch byte {
      case UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), 0x20, 0x09, 0x0A, 0x0D: true
      default: false
      }
    }

    func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func skipWhitespace() {
      while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
        index += 1
      }
    }
  }
}
