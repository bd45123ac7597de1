/// What the `Authorization` header fields of a request amount to.
public enum BearerCredentials: Sendable, Equatable {
  /// No `Authorization` field, an empty one, or another scheme (e.g. `Basic`): the request
  /// carries no bearer credentials (RFC 6750 §3.1: answer 401 without an error code).
  case absent
  /// `Bearer` without a token, with two tokens, with characters outside b64token, or more
  /// than one `Authorization` field (RFC 6750 §3.1 `invalid_request` → 400).
  case malformed
  /// A syntactically valid bearer token.
  case token(String)

  /// RFC 6750 §2.1: `credentials = "Bearer" 1*SP b64token`; the scheme is case-insensitive
  /// (RFC 9110 §11.1). Only the header is read: query and body tokens are never accepted (MCP
  /// "Token Requirements").
  public static func parse(_ fieldValues: [String]) -> BearerCredentials {
    guard let value = fieldValues.first else { return .absent }
    if fieldValues.count > 1 { return .malformed }
    let trimmed = value.drop { $0 == " " || $0 == "\t" }
    if trimmed.isEmpty { return .absent }
    let scheme = trimmed.prefix { $0 != " " }
    guard isBearerScheme(scheme) else { return .absent }
    var token = trimmed.dropFirst(scheme.count).drop { $0 == " " }
    while token.last == " " || token.last == "\t" { token = token.dropLast() }
    guard isB64Token(token) else { return .malformed }
    return .token(String(token))
  }

  /// RFC 9110 §11.1: the auth-scheme is case-insensitive (ASCII letters only).
  static func isBearerScheme(_ scheme: Substring) -> Bool {
    let expected = "bearer".utf8
    guard scheme.utf8.count == expected.count else { return false }
    return zip(scheme.utf8, expected).allSatisfy { byte, lower in
      byte == lower || byte == lower - 0x20
    }
  }

  /// RFC 6750 §2.1: `b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`.
  /// One pass over contiguous UTF-8 (this runs on every protected request).
  static func isB64Token(_ token: Substring) -> Bool {
    var token = token
    return token.withUTF8 { bytes in
      var index = 0
      while index < bytes.count, isB64Character(bytes[index]) { index += 1 }
      guard index > 0 else { return false }
      while index < bytes.count, bytes[index] == UInt8(ascii: "=") { index += 1 }
      return index == bytes.count
    }
  }

  /// A character of the b64token body (before the `=` padding).
  @inline(__always)
  static func isB64Character(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
      UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "+"), UInt8(ascii: "/"):
      true
    default: false
    }
  }
}
