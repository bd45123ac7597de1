/// Why a JWT was rejected after (or while) verifying its signature.
public enum JWTValidationError: Error, Sendable, Equatable {
  /// `exp` (plus leeway) is not after now (RFC 7519 §4.1.4).
  case expired
  /// `nbf` (minus leeway) is after now (RFC 7519 §4.1.5).
  case notYetValid
  /// `iat` is further in the future than the leeway allows (RFC 7519 §4.1.6).
  case issuedInFuture
  /// No `exp` although the validator requires one (RFC 9068 §2.2).
  case missingExpiry
  /// `iss` differs from the expected issuer (RFC 9068 §4).
  case wrongIssuer
  /// The expected audience is not among `aud` (RFC 7519 §4.1.3, RFC 9068 §4).
  case wrongAudience
  /// The header `typ` differs from the expected type (RFC 8725 §3.11, RFC 9068 §4).
  case wrongType
  /// The JWS itself was rejected, or the payload was not a claims object.
  case signature(JWSError)
}
