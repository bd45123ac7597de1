/// A public JSON Web Key (RFC 7517 §4), limited to the members of public EC (RFC 7518 §6.2.1),
/// RSA (RFC 7518 §6.3.1) and OKP (RFC 8037 §2) keys. Private members (`d`, `p`, `q`, …) are not
/// modelled, so they can never be serialised by accident; decoding ignores them.
public struct JWK: Codable, Sendable, Hashable {
  /// Key type: "EC", "RSA" or "OKP".
  public var kty: String
  /// Curve: "P-256" (EC) or "Ed25519" (OKP).
  public var crv: String?
  /// EC x coordinate or OKP public key, base64url.
  public var x: String?
  /// EC y coordinate, base64url.
  public var y: String?
  /// RSA modulus, base64url.
  public var n: String?
  /// RSA public exponent, base64url.
  public var e: String?
  /// Key ID.
  public var kid: String?
  /// Intended algorithm.
  public var alg: String?
  /// Public key use ("sig").
  public var use: String?

  /// Creates a key from its members; use `SigningKey.publicKey.jwk` for our own keys.
  public init(
    kty: String, crv: String? = nil, x: String? = nil, y: String? = nil, n: String? = nil,
    e: String? = nil, kid: String? = nil, alg: String? = nil, use: String? = nil
  ) {
    self.kty = kty
    self.crv = crv
    self.x = x
    self.y = y
    self.n = n
    self.e = e
    self.kid = kid
    self.alg = alg
    self.use = use
  }
}
