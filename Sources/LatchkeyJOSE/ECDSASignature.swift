/// Conversion between the JWS form of an ES256 signature (RFC 7518 §3.4: R || S, each a 32-byte
/// big-endian integer) and the DER `ECDSA-Sig-Value` OpenSSL uses (RFC 3279 §2.2.3).
enum ECDSASignature {
  /// Octet length of R and of S for P-256.
  static let scalarLength = 32

  /// RFC 7518 §3.4 step 3–4: the 64-byte R || S of a DER `SEQUENCE { INTEGER r, INTEGER s }`.
  static func raw(fromDER der: [UInt8]) -> [UInt8]? {
    var reader = DERReader(der)
    guard reader.take() == 0x30, let length = reader.takeShortLength(),
      length == der.count - 2,
      let r = reader.takeInteger(), let s = reader.takeInteger(), reader.isAtEnd,
      let paddedR = leftPadded(r), let paddedS = leftPadded(s)
    else { return nil }
    return paddedR + paddedS
  }

  /// RFC 7518 §3.4 validation step 1–2: a JWS ES256 signature must be exactly 64 octets; its
  /// halves are re-encoded as minimal DER integers.
  static func der(fromRaw raw: [UInt8]) -> [UInt8]? {
    guard raw.count == 2 * scalarLength else { return nil }
    let r = derInteger(raw[0..<scalarLength])
    let s = derInteger(raw[scalarLength...])
    return [0x30, UInt8(r.count + s.count)] + r + s
  }

  /// X.690 §8.3: minimal two's-complement encoding of a non-negative integer.
  private static func derInteger(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
    var value = Array(bytes.drop { $0 == 0 })
    if value.isEmpty { value = [0] }
    if value[0] & 0x80 != 0 { value.insert(0, at: 0) }
    return [0x02, UInt8(value.count)] + value
  }

  private static func leftPadded(_ integer: [UInt8]) -> [UInt8]? {
    let value = integer.drop { $0 == 0 }
    guard value.count <= scalarLength else { return nil }
    return [UInt8](repeating: 0, count: scalarLength - value.count) + value
  }
}

/// Just enough of a DER reader for an ECDSA signature of at most 127 content bytes.
private struct DERReader {
  private let bytes: [UInt8]
  private var index = 0

  init(_ bytes: [UInt8]) {
    self.bytes = bytes
  }

  var isAtEnd: Bool { index == bytes.count }

  mutating func take() -> UInt8? {
    guard index < bytes.count else { return nil }
    defer { index += 1 }
    return bytes[index]
  }

  mutating func takeShortLength() -> Int? {
    guard let length = take(), length < 0x80 else { return nil }
    return Int(length)
  }

  mutating func takeInteger() -> [UInt8]? {
    guard take() == 0x02, let length = takeShortLength(), length > 0,
      index + length <= bytes.count
    else { return nil }
    defer { index += length }
    return Array(bytes[index..<index + length])
  }
}
