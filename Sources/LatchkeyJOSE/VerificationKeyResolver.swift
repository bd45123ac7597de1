/// Finds the key that must verify a JWS, given the header's `kid` (RFC 7515 §4.1.4).
public protocol VerificationKeyResolver: Sendable {
  /// The key for `kid`, or nil when none is known.
  func key(forKeyID kid: String?) -> VerificationKey?
}
