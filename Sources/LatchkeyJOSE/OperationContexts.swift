import COpenSSL

/// Creation of the OpenSSL contexts kept in a key's `ContextPool`.
enum OperationContexts {
  /// A pool of `EVP_PKEY_CTX`s initialised to sign or verify a SHA-256 digest with `key`:
  /// ECDSA for ES256 (RFC 7518 §3.4) and RSASSA-PKCS1-v1_5 for RS256 (RFC 7518 §3.3).
  static func digestPool(_ key: EVPKey, _ algorithm: JWSAlgorithm, verify: Bool) -> ContextPool {
    ContextPool(
      make: { makeDigestContext(key, algorithm, verify: verify) },
      release: { EVP_PKEY_CTX_free($0.pointer) })
  }

  /// A pool of `EVP_MD_CTX`s for one-shot Ed25519 (RFC 8037 §3.1), re-initialised per use.
  static func messagePool() -> ContextPool {
    ContextPool(
      make: { EVP_MD_CTX_new().map(ContextHandle.init) },
      release: { EVP_MD_CTX_free($0.pointer) })
  }

  private static func makeDigestContext(
    _ key: EVPKey, _ algorithm: JWSAlgorithm, verify: Bool
  ) -> ContextHandle? {
    guard let context = EVP_PKEY_CTX_new_from_pkey(nil, key.pointer, nil) else { return nil }
    var ok = (verify ? EVP_PKEY_verify_init(context) : EVP_PKEY_sign_init(context)) == 1
    if ok, algorithm == .rs256 {
      ok = EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PADDING) == 1
    }
    if ok {
      ok = EVP_PKEY_CTX_set_signature_md(context, EVP_sha256()) == 1
    }
    guard ok else {
      EVP_PKEY_CTX_free(context)
      return nil
    }
    return ContextHandle(pointer: context)
  }
}
