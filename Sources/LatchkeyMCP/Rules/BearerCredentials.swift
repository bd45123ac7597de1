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
  static func isB64Token(_ token: Substring) -> Bool {
    let bytes = token.utf8
    guard let firstPad = bytes.firstIndex(of: UInt8(ascii: "=")) ?? Optional(bytes.endIndex)
    else { return false }
    let body = bytes[bytes.startIndex..<firstPad]
    guard !body.isEmpty else { return false }
    let bodyValid = body.allSatisfy { byte in
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
        UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "+"), UInt8(ascii: "/"):
        true
      default: false
      }
    }
    return bodyValid && bytes[firstPad...].allSatisfy { $0 == UInt8(ascii: "=") }
  }
}
