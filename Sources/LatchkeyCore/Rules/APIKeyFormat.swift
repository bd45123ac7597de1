import LatchkeyJOSE

/// The shape of a Latchkey API key, recognisable without any lookup:
/// `lk_pat_` + a 12-character public id + `_` + 43 random characters + a 6-character checksum,
/// all base62 (`0-9A-Za-z`): 69 characters, an RFC 6750 §2.1 `b64token`.
///
/// The 43 random characters carry 256 bits (RFC 6749 §10.10 asks for at least 128); the
/// checksum is the CRC-32 (ISO-HDLC, as zlib) of everything before it, so a secret scanner or
/// `latchkey token inspect` can tell a real key from a typo or a look-alike offline, and the
/// middleware refuses a mistyped key without asking the authorization server (the scheme of
/// GitHub's tokens).
public enum APIKeyFormat {
  /// What every key starts with (scanners match on it).
  public static let prefix = "lk_pat_"
  /// Length of the public id.
  public static let idLength = 12
  /// Length of the random part.
  public static let secretLength = 43
  /// Length of the checksum.
  public static let checksumLength = 6
  /// Length of a whole key.
  public static let length = prefix.utf8.count + idLength + 1 + secretLength + checksumLength

  /// What a bearer value is, judged offline.
  public enum Recognition: Sendable, Equatable {
    /// Not an API key at all (no prefix): a JWT or another token.
    case notAnAPIKey
    /// It has the prefix but not the shape, or its checksum does not match: refused without a
    /// lookup. Carries nothing of the value.
    case malformed
    /// Shape and checksum are right; `id` is the public id written in it.
    case wellFormed(id: String)
  }

  /// Whether `value` starts with the API-key prefix (the middleware's routing decision).
  public static func hasPrefix(_ value: some StringProtocol) -> Bool {
    value.utf8.starts(with: prefix.utf8)
  }

  /// Recognises `value` by prefix, shape and checksum.
  public static func recognize(_ value: String) -> Recognition {
    guard hasPrefix(value) else { return .notAnAPIKey }
    let bytes = Array(value.utf8)
    let idStart = prefix.utf8.count
    let separator = idStart + idLength
    guard bytes.count == length, bytes[separator] == UInt8(ascii: "_") else { return .malformed }
    let body = bytes[idStart...]
    for (offset, byte) in zip(body.indices, body) where offset != separator {
      guard Base62.isDigit(byte) else { return .malformed }
    }
    let checked = bytes[..<(length - checksumLength)]
    let expected = Base62.fixedWidth(UInt64(CRC32.checksum(checked)), width: checksumLength)
    guard bytes[(length - checksumLength)...].elementsEqual(expected.utf8) else {
      return .malformed
    }
    return .wellFormed(id: String(decoding: bytes[idStart..<separator], as: UTF8.self))
  }

  /// A new key and its public id, from the CSPRNG.
  public static func generate() -> (key: String, id: String) {
    let id = Base62.random(count: idLength)
    return (make(id: id, secret: Base62.random(count: secretLength)), id)
  }

  /// The key with this id and random part, its checksum appended.
  static func make(id: String, secret: String) -> String {
    let body = prefix + id + "_" + secret
    return body + Base62.fixedWidth(UInt64(CRC32.checksum(Array(body.utf8))), width: checksumLength)
  }
}

/// `0-9A-Za-z`.
enum Base62 {
  static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

  static func isDigit(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
      || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
      || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
  }

  /// `value` in base62, most significant digit first, left-padded with `0` to `width`.
  static func fixedWidth(_ value: UInt64, width: Int) -> String {
    var digits = [UInt8](repeating: alphabet[0], count: width)
    var rest = value
    for index in stride(from: width - 1, through: 0, by: -1) {
      digits[index] = alphabet[Int(rest % 62)]
      rest /= 62
    }
    return String(decoding: digits, as: UTF8.self)
  }

  /// `count` uniformly random base62 characters (rejection sampling: bytes ≥ 248 are dropped,
  /// so every character is equally likely).
  static func random(count: Int) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(count)
    while out.count < count {
      for byte in SecureRandom.bytes(count) where byte < 248 && out.count < count {
        out.append(alphabet[Int(byte % 62)])
      }
    }
    return String(decoding: out, as: UTF8.self)
  }
}

/// CRC-32/ISO-HDLC (polynomial 0xEDB88320 reflected, as zlib and PNG): a checksum against
/// typos, not an integrity protection.
enum CRC32 {
  static let table: [UInt32] = (0..<256).map { index in
    var value = UInt32(index)
    for _ in 0..<8 { value = value & 1 == 1 ? (value >> 1) ^ 0xEDB8_8320 : value >> 1 }
    return value
  }

  static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    return crc ^ 0xFFFF_FFFF
  }
}
