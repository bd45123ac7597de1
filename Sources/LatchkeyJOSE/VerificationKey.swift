/// A public key that verifies JWS signatures for exactly one algorithm. Thread-safe.
public final class VerificationKey: Sendable, CustomStringConvertible {
  /// The one algorithm this key accepts (RFC 8725 §3.1: never taken from the token).
  public let algorithm: JWSAlgorithm
  /// The public JWK with `kid`, `alg` and `use: "sig"`. `kid` is the imported JWK's own `kid`
  /// when it had one, the thumbprint otherwise.
  public let jwk: JWK
  /// RFC 7638 §3 SHA-256 thumbprint, base64url.
  public let thumbprint: String
  let verifier: Verifier

  init(key: EVPKey, algorithm: JWSAlgorithm, keyID: String?) throws {
    guard key.fits(algorithm) else { throw JWSError.unsupportedKey }
    var jwk = try PublicKeyJWK.export(key, algorithm)
    let thumbprint = try JWKThumbprint.sha256(jwk)
    jwk.kid = keyID ?? thumbprint
    jwk.alg = algorithm.rawValue
    jwk.use = "sig"
    self.algorithm = algorithm
    self.jwk = jwk
    self.thumbprint = thumbprint
    self.verifier = Verifier(key: key, algorithm: algorithm)
  }

  /// Imports a public JWK; the algorithm comes from `alg` or is inferred from `kty`/`crv`.
  public convenience init(jwk: JWK) throws {
    let algorithm = try PublicKeyJWK.algorithm(for: jwk)
    try self.init(
      key: PublicKeyJWK.importKey(jwk, algorithm), algorithm: algorithm, keyID: jwk.kid)
  }

  /// Imports a SubjectPublicKeyInfo PEM public key; its type must fit `algorithm`.
  public convenience init(publicKeyPEM: String, algorithm: JWSAlgorithm) throws {
    guard let key = PEM.readPublicKey(publicKeyPEM) else { throw JOSEKeyError.invalidPEM }
    try self.init(key: key, algorithm: algorithm, keyID: nil)
  }

  /// The key as SubjectPublicKeyInfo PEM.
  public func publicKeyPEM() throws -> String {
    try PEM.writePublicKey(verifier.key)
  }

  /// Whether `signature` is this key's JWS Signature over `message`.
  public func verify(signature: [UInt8], message: some Collection<UInt8>) -> Bool {
    message.withContiguousStorageIfAvailable { verifier.verify(signature, $0) }
      ?? Array(message).withUnsafeBufferPointer { verifier.verify(signature, $0) }
  }

  /// Algorithm and key id only.
  public var description: String {
    "VerificationKey(\(algorithm.rawValue), kid: \(jwk.kid ?? thumbprint))"
  }
}
