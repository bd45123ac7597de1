/// A JWS Compact Serialization split into its parts (RFC 7515 §7.1), before any trust decision.
struct CompactJWS {
  /// The ASCII signing input `BASE64URL(header) || '.' || BASE64URL(payload)` (RFC 7515 §5.2 step 8).
  let signingInput: ArraySlice<UInt8>
  let header: [UInt8]
  let payload: [UInt8]
  let signature: [UInt8]

  /// RFC 7515 §5.2 steps 1–3 and 6–7, in an order that rejects cheaply first.
  static func parse(_ token: String) throws(JWSError) -> CompactJWS {
    try checkLength(token)
    let bytes = Array(token.utf8)
    try checkTrailingData(bytes)
    let dots = try segmentBoundaries(bytes)
    guard let header = Base64URL.decode(bytes: bytes[..<dots.0]),
      let payload = Base64URL.decode(bytes: bytes[(dots.0 + 1)..<dots.1]),
      let signature = Base64URL.decode(bytes: bytes[(dots.1 + 1)...])
    else { throw .invalidBase64URL }
    return CompactJWS(
      signingInput: bytes[..<dots.1], header: header, payload: payload, signature: signature)
  }

  /// RFC 8725 §3.4 (avoid resource exhaustion): reject oversized tokens before parsing.
  static func checkLength(_ token: String) throws(JWSError) {
    if token.utf8.count > JWS.maximumTokenLength { throw .tokenTooLarge }
  }

  /// RFC 7515 §7.1: the compact form ends with the signature's last base64url character.
  /// Trailing whitespace, control characters (NUL, newline) or '.' after three segments is
  /// trailing data; trailing '=' padding counts as invalid base64url instead.
  static func checkTrailingData(_ bytes: [UInt8]) throws(JWSError) {
    guard let last = bytes.last, !isBase64URL(last) else { return }
    if last == UInt8(ascii: "=") { return }
    if last == UInt8(ascii: ".") {
      let core = bytes.reversed().drop { $0 == UInt8(ascii: ".") }
      if core.count(where: { $0 == UInt8(ascii: ".") }) == 2 { throw .trailingData }
      return
    }
    if last <= 0x20 || last == 0x7F { throw .trailingData }
  }

  /// RFC 7515 §7.1: exactly three segments separated by two '.' characters.
  /// Returns the indices of the two dots.
  static func segmentBoundaries(_ bytes: [UInt8]) throws(JWSError) -> (Int, Int) {
    var dots: [Int] = []
    for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: ".") {
      dots.append(index)
      if dots.count > 2 { throw .wrongSegmentCount }
    }
    guard dots.count == 2 else { throw .wrongSegmentCount }
    return (dots[0], dots[1])
  }

  private static func isBase64URL(_ byte: UInt8) -> Bool {
    Base64URL.values[Int(byte)] != 0xFF
  }
}
