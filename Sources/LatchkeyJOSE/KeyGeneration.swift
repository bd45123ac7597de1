import COpenSSL

/// Fresh key pairs from OpenSSL's key generators.
enum KeyGeneration {
  /// Allowed RSA modulus sizes (RFC 7518 §3.3: at least 2048 bits).
  static let rsaBitRange = 2048...16384

  /// A new P-256, Ed25519 or RSA key pair for `algorithm`.
  static func generate(_ algorithm: JWSAlgorithm, rsaBits: Int) throws -> EVPKey {
    if algorithm == .rs256, !rsaBitRange.contains(rsaBits) { throw JWSError.unsupportedKey }
    let name =
      switch algorithm {
      case .es256: "EC"
      case .edDSA: "ED25519"
      case .rs256: "RSA"
      }
    guard let context = EVP_PKEY_CTX_new_from_name(nil, name, nil) else {
      throw JOSEKeyError.cryptoFailure
    }
    defer { EVP_PKEY_CTX_free(context) }
    var ok = EVP_PKEY_keygen_init(context) == 1
    switch algorithm {
    case .es256: ok = ok && EVP_PKEY_CTX_set_group_name(context, "P-256") == 1
    case .rs256: ok = ok && EVP_PKEY_CTX_set_rsa_keygen_bits(context, Int32(rsaBits)) == 1
    case .edDSA: break
    }
    var pointer: OpaquePointer?
    guard ok, EVP_PKEY_generate(context, &pointer) == 1, let pointer else {
      ERR_clear_error()
      throw JOSEKeyError.cryptoFailure
    }
    return EVPKey(taking: pointer)
  }

  /// An Ed25519 private key from its 32-byte seed (RFC 8032 §5.1.5; the JWK `d`, RFC 8037 §2).
  static func ed25519(privateKey seed: [UInt8]) throws -> EVPKey {
    guard seed.count == 32 else { throw JOSEKeyError.invalidJWK }
    guard let pointer = EVP_PKEY_new_raw_private_key_ex(nil, "ED25519", nil, seed, seed.count)
    else {
      ERR_clear_error()
      throw JOSEKeyError.invalidJWK
    }
    return EVPKey(taking: pointer)
  }
}
