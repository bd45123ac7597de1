import COpenSSL

/// Conversion between OpenSSL public keys and public JWKs.
enum PublicKeyJWK {
  /// RFC 7517 §4.2/§4.4, RFC 8725 §3.1: the algorithm a JWK is used with. `use`, when present,
  /// must be "sig"; `alg`, when present, must be supported and match the key type; otherwise
  /// it is inferred (EC P-256 → ES256, OKP Ed25519 → EdDSA, RSA → RS256).
  static func algorithm(for jwk: JWK) throws(JWSError) -> JWSAlgorithm {
    if let use = jwk.use, use != "sig" { throw .unsupportedKey }
    let inferred: JWSAlgorithm
    switch (jwk.kty, jwk.crv) {
    case ("EC", "P-256"): inferred = .es256
    case ("OKP", "Ed25519"): inferred = .edDSA
    case ("RSA", nil): inferred = .rs256
    default: throw .unsupportedKey
    }
    if let alg = jwk.alg, JWSAlgorithm(rawValue: alg) != inferred { throw .unsupportedKey }
    return inferred
  }

  /// RFC 7518 §6.2.1 (EC x, y), §6.3.1 (RSA n, e), RFC 8037 §2 (OKP x) → an OpenSSL key.
  static func importKey(_ jwk: JWK, _ algorithm: JWSAlgorithm) throws -> EVPKey {
    let pointer: OpaquePointer?
    switch algorithm {
    case .es256:
      guard let x = jwk.x.flatMap(Base64URL.decode), x.count == 32,
        let y = jwk.y.flatMap(Base64URL.decode), y.count == 32
      else { throw JOSEKeyError.invalidJWK }
      let point = [0x04] + x + y
      pointer = latchkey_p256_public_key(point, point.count)
    case .edDSA:
      guard let x = jwk.x.flatMap(Base64URL.decode), x.count == 32 else {
        throw JOSEKeyError.invalidJWK
      }
      pointer = EVP_PKEY_new_raw_public_key_ex(nil, "ED25519", nil, x, x.count)
    case .rs256:
      guard let n = jwk.n.flatMap(Base64URL.decode), !n.isEmpty, n.count <= 2048,
        let e = jwk.e.flatMap(Base64URL.decode), (1...8).contains(e.count)
      else { throw JOSEKeyError.invalidJWK }
      pointer = latchkey_rsa_public_key(n, n.count, e, e.count)
    }
    guard let pointer else {
      ERR_clear_error()
      throw JOSEKeyError.invalidJWK
    }
    return EVPKey(taking: pointer)
  }

  /// The public members of `key` as a JWK (without kid, alg, use).
  static func export(_ key: EVPKey, _ algorithm: JWSAlgorithm) throws(JOSEKeyError) -> JWK {
    switch algorithm {
    case .es256:
      let x = try parameter(key, latchkey_param_ec_pub_x(), capacity: 32, padTo: 32)
      let y = try parameter(key, latchkey_param_ec_pub_y(), capacity: 32, padTo: 32)
      return JWK(kty: "EC", crv: "P-256", x: Base64URL.encode(x), y: Base64URL.encode(y))
    case .edDSA:
      var length = 32
      var raw = [UInt8](repeating: 0, count: length)
      guard EVP_PKEY_get_raw_public_key(key.pointer, &raw, &length) == 1, length == 32 else {
        ERR_clear_error()
        throw .cryptoFailure
      }
      return JWK(kty: "OKP", crv: "Ed25519", x: Base64URL.encode(raw))
    case .rs256:
      let n = try parameter(key, latchkey_param_rsa_n(), capacity: 2048, padTo: 0)
      let e = try parameter(key, latchkey_param_rsa_e(), capacity: 16, padTo: 0)
      return JWK(kty: "RSA", n: Base64URL.encode(n), e: Base64URL.encode(e))
    }
  }

  private static func parameter(
    _ key: EVPKey, _ name: UnsafePointer<CChar>, capacity: Int, padTo: Int
  ) throws(JOSEKeyError) -> [UInt8] {
    var buffer = [UInt8](repeating: 0, count: capacity)
    let length = latchkey_get_bn_param(key.pointer, name, &buffer, Int32(capacity), Int32(padTo))
    guard length > 0 else {
      ERR_clear_error()
      throw .cryptoFailure
    }
    return Array(buffer.prefix(Int(length)))
  }
}
