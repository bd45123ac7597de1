/// Failures while creating, importing or exporting keys. Unsupported key types and sizes are
/// reported as `JWSError.unsupportedKey`. Payloads never carry key material.
public enum JOSEKeyError: Error, Sendable, Equatable {
  /// The PEM text is not a (unencrypted) key of the expected kind.
  case invalidPEM
  /// A required JWK member is missing or malformed, or the point is not on the curve.
  case invalidJWK
  /// OpenSSL failed an operation that should not fail (key generation, export, signing).
  case cryptoFailure
}
