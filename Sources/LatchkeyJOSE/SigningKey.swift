/// A private signing key: EC P-256 (ES256), Ed25519 (EdDSA) or RSA of at least 2048 bits (RS256).
/// Thread-safe: the OpenSSL key is immutable and operation contexts come from a per-key pool.
/// `description` shows only the algorithm and key ID.
public final class SigningKey: Sendable, CustomStringConvertible {
  /// The one algorithm this key signs with.
  public let algorithm: JWSAlgorithm
  /// The matching public key.
  public let publicKey: VerificationKey
  let signer: Signer

  init(key: EVPKey, algorithm: JWSAlgorithm) throws {
    guard key.fits(algorithm) else { throw JWSError.unsupportedKey }
    self.algorithm = algorithm
    self.signer = Signer(key: key, algorithm: algorithm)
    self.publicKey = try VerificationKey(key: key, algorithm: algorithm, keyID: nil)
  }

  /// A fresh key pair for `algorithm`; `rsaBits` (2048…16384) applies to RS256 only.
  public static func generate(_ algorithm: JWSAlgorithm, rsaBits: Int = 2048) throws -> SigningKey {
    try SigningKey(key: KeyGeneration.generate(algorithm, rsaBits: rsaBits), algorithm: algorithm)
  }

  /// Imports an unencrypted PKCS #8 PEM private key; its type must fit `algorithm`.
  public convenience init(privateKeyPEM: String, algorithm: JWSAlgorithm) throws {
    guard let key = PEM.readPrivateKey(privateKeyPEM) else { throw JOSEKeyError.invalidPEM }
    try self.init(key: key, algorithm: algorithm)
  }

  /// An Ed25519 key from its 32-byte private seed (the JWK `d`, RFC 8037 §2); for test vectors.
  package convenience init(ed25519PrivateKey seed: [UInt8]) throws {
    try self.init(key: KeyGeneration.ed25519(privateKey: seed), algorithm: .edDSA)
  }

  /// RFC 7638 thumbprint of the public JWK, used as `kid`.
  public var keyID: String { publicKey.thumbprint }

  /// The private key as unencrypted PKCS #8 PEM. Treat the result as a secret.
  public func privateKeyPEM() throws -> String {
    try PEM.writePrivateKey(signer.key)
  }

  /// The JWS Signature of `message` (ES256: the 64-byte R || S of RFC 7518 §3.4).
  public func sign(_ message: some Collection<UInt8>) throws -> [UInt8] {
    let signature =
      message.withContiguousStorageIfAvailable { signer.sign($0) }
      ?? Array(message).withUnsafeBufferPointer { signer.sign($0) }
    guard let signature else { throw JOSEKeyError.cryptoFailure }
    return signature
  }

  /// Algorithm and key id only; never key material.
  public var description: String {
    "SigningKey(\(algorithm.rawValue), kid: \(keyID))"
  }
}
