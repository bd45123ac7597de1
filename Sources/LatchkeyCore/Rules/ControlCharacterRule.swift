/// Identifiers and lookup keys that come from the wire must not hold control characters.
///
/// RFC 6749 Appendix A (kept by OAuth 2.1): `client_id`, `client_secret`, `code`,
/// `refresh_token`, `token_type`, `redirect_uri` and `scope` are built from `VSCHAR`
/// (%x20-7E), `NQCHAR` or URI characters (RFC 3986 §2), none of which is a control character;
/// RFC 7591 §2 metadata values are URIs and plain strings of the same kind. A value holding one
/// is malformed, and refusing it before any lookup also closes a truncation class: a store that
/// binds strings as NUL-terminated C strings would find the key's prefix (`client_id=<id>%00`).
public enum ControlCharacterRule {
  /// Whether `value` holds a C0 control character (U+0000–U+001F) or DEL (U+007F).
  /// Inlinable, so callers in other modules get it specialised for their string type (a
  /// generic call through `StringProtocol`'s witnesses cost 2 % of a token request's CPU).
  @inlinable
  public static func containsControlCharacter(_ value: some StringProtocol) -> Bool {
    value.utf8.contains(where: isControlByte)
  }

  /// A C0 control byte or DEL. In UTF-8 these bytes never occur inside a multi-byte sequence,
  /// so checking bytes is checking scalars.
  @inlinable
  public static func isControlByte(_ byte: UInt8) -> Bool {
    byte < 0x20 || byte == 0x7F
  }
}
