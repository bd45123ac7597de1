import COpenSSL

/// Checks JWS signatures with one public key, reusing initialised OpenSSL contexts.
final class Verifier: Sendable {
  let algorithm: JWSAlgorithm
  let key: EVPKey
  private let contexts: ContextPool
  private let modulusLength: Int

  init(key: EVPKey, algorithm: JWSAlgorithm) {
    self.key = key
    self.algorithm = algorithm
    self.modulusLength = Int(EVP_PKEY_get_size(key.pointer))
    switch algorithm {
    case .es256, .rs256: contexts = OperationContexts.digestPool(key, algorithm, verify: true)
    case .edDSA: contexts = OperationContexts.messagePool()
    }
  }

  /// Whether `signature` is a valid JWS Signature over `message` (RFC 7515 §5.2 step 8).
  func verify(_ signature: [UInt8], _ message: UnsafeBufferPointer<UInt8>) -> Bool {
    switch algorithm {
    case .es256: return verifyES256(signature, message)
    case .rs256: return verifyRS256(signature, message)
    case .edDSA: return verifyEd25519(signature, message)
    }
  }

  /// RFC 7518 §3.4: the signature must be exactly 64 octets (R || S); anything else, including
  /// a DER-encoded signature, is rejected before OpenSSL sees it.
  private func verifyES256(_ signature: [UInt8], _ message: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let der = ECDSASignature.der(fromRaw: signature) else { return false }
    return verifyDigest(der, Digest.sha256(buffer: message))
  }

  /// RFC 8017 §8.2.2 step 1: an RSASSA-PKCS1-v1_5 signature is exactly as long as the modulus.
  private func verifyRS256(_ signature: [UInt8], _ message: UnsafeBufferPointer<UInt8>) -> Bool {
    guard signature.count == modulusLength else { return false }
    return verifyDigest(signature, Digest.sha256(buffer: message))
  }

  private func verifyDigest(_ signature: [UInt8], _ digest: [UInt8]) -> Bool {
    let valid = contexts.withContext { context -> Bool in
      let result = EVP_PKEY_verify(context, signature, signature.count, digest, digest.count)
      if result != 1 { ERR_clear_error() }
      return result == 1
    }
    return valid ?? false
  }

  /// RFC 8037 §3.1 / RFC 8032 §5.1.7: Ed25519 signatures are exactly 64 octets.
  private func verifyEd25519(_ signature: [UInt8], _ message: UnsafeBufferPointer<UInt8>) -> Bool {
    guard signature.count == 64 else { return false }
    let key = self.key
    let valid = contexts.withContext { context -> Bool in
      guard EVP_DigestVerifyInit(context, nil, nil, nil, key.pointer) == 1,
        EVP_DigestVerify(context, signature, signature.count, message.baseAddress, message.count)
          == 1
      else {
        ERR_clear_error()
        return false
      }
      return true
    }
    return valid ?? false
  }
}
