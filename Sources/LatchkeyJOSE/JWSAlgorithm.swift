/// The JWS `alg` values Latchkey signs and verifies (RFC 7518 §3.1, RFC 8037 §3.1).
/// Symmetric (HS*) and `none` are deliberately absent.
public enum JWSAlgorithm: String, Sendable, Codable, CaseIterable {
  /// ECDSA using P-256 and SHA-256 (RFC 7518 §3.4).
  case es256 = "ES256"
  /// Ed25519 (RFC 8037 §3.1).
  case edDSA = "EdDSA"
  /// RSASSA-PKCS1-v1_5 using SHA-256 (RFC 7518 §3.3), keys of at least 2048 bits.
  case rs256 = "RS256"
}
