/// Why a compact JWS was rejected (RFC 7515 §5.2). Cases carry no token or key material.
public enum JWSError: Error, Sendable, Equatable {
  /// Longer than `JWS.maximumTokenLength`; checked before any parsing.
  case tokenTooLarge
  /// Not exactly three '.'-separated segments (RFC 7515 §7.1).
  case wrongSegmentCount
  /// A segment is not strict base64url (padding, whitespace, other characters).
  case invalidBase64URL
  /// The protected header is not a JSON object with a string `alg`, or uses `crit`.
  case invalidHeader
  /// `alg` is "none" in any letter case (RFC 8725 §3.1).
  case algorithmNone
  /// The header `alg` differs from the algorithm of the resolved key (RFC 8725 §3.1).
  case algorithmMismatch
  /// The resolver knows no key for the header's `kid` (or none was given when one is needed).
  case unknownKeyID
  /// The signature does not verify.
  case invalidSignature
  /// Bytes follow the compact serialization (whitespace, newline, extra '.', NUL).
  case trailingData
  /// The payload is not the expected JSON.
  case invalidPayload
  /// Key type, curve or size not allowed (e.g. RSA below 2048 bits).
  case unsupportedKey
}
