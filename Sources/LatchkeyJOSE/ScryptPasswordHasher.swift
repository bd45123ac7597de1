/// Password hashing with scrypt (RFC 7914), stored as
/// `$scrypt$ln=<logN>,r=<r>,p=<p>$<salt base64url>$<hash base64url>`.
public struct ScryptPasswordHasher: Sendable {
  /// Salt length in bytes.
  static let saltLength = 16
  /// Derived hash length in bytes.
  static let hashLength = 32

  /// Parameters for new hashes.
  public let parameters: ScryptParameters

  /// A hasher producing new hashes with `parameters`; verification reads each hash's own.
  public init(parameters: ScryptParameters = .interactive) {
    self.parameters = parameters
  }

  /// Hashes `password` (its UTF-8 bytes) with a fresh 16-byte salt.
  public func hash(_ password: String) throws -> String {
    guard parameters.isWithinLimits else { throw JOSEKeyError.cryptoFailure }
    let salt = SecureRandom.bytes(Self.saltLength)
    guard let hash = Self.derive(password, salt: salt, parameters: parameters) else {
      throw JOSEKeyError.cryptoFailure
    }
    return StoredHash(parameters: parameters, salt: salt, hash: hash).encoded
  }

  /// Whether `password` matches `encoded`, using the parameters stored in `encoded`.
  /// Malformed or out-of-bounds strings never match. The hash comparison is constant-time.
  public func verify(_ password: String, against encoded: String) -> Bool {
    guard let stored = StoredHash(encoded),
      let hash = Self.derive(password, salt: stored.salt, parameters: stored.parameters)
    else { return false }
    return ConstantTime.equals(hash, stored.hash)
  }

  /// Whether `encoded` should be replaced by a fresh hash: it is malformed, or any of its
  /// parameters is weaker than this hasher's.
  public func needsRehash(_ encoded: String) -> Bool {
    guard let stored = StoredHash(encoded) else { return true }
    return !stored.parameters.isAtLeast(parameters) || stored.hash.count != Self.hashLength
  }

  private static func derive(_ password: String, salt: [UInt8], parameters: ScryptParameters)
    -> [UInt8]?
  {
    Scrypt.derive(
      password: Array(password.utf8), salt: salt, n: 1 << UInt64(parameters.logN),
      r: UInt64(parameters.r), p: UInt64(parameters.p), length: hashLength)
  }
}
