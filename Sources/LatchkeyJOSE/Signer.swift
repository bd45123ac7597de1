import COpenSSL

/// Produces JWS signatures with one private key, reusing initialised OpenSSL contexts.
final class Signer: Sendable {
  let algorithm: JWSAlgorithm
  let key: EVPKey
  private let contexts: ContextPool
  private let maximumSignatureLength: Int

  init(key: EVPKey, algorithm: JWSAlgorithm) {
    self.key = key
    self.algorithm = algorithm
    self.maximumSignatureLength = max(Int(EVP_PKEY_get_size(key.pointer)), 64)
    switch algorithm {
    case .es256, .rs256: contexts = OperationContexts.digestPool(key, algorithm, verify: false)
    case .edDSA: contexts = OperationContexts.messagePool()
    }
  }

  /// The JWS Signature over `message` (the ASCII signing input, RFC 7515 §5.1 step 5).
  func sign(_ message: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
    switch algorithm {
    case .es256:
      return signDigest(Digest.sha256(buffer: message)).flatMap(ECDSASignature.raw(fromDER:))
    case .rs256:
      return signDigest(Digest.sha256(buffer: message))
    case .edDSA:
      return signEd25519(message)
    }
  }

  /// RFC 7518 §3.3/§3.4: sign SHA-256(message) — the hash is computed by the caller so the
  /// context only does the private-key operation.
  private func signDigest(_ digest: [UInt8]) -> [UInt8]? {
    let capacity = maximumSignatureLength
    let signature = contexts.withContext { context -> [UInt8]? in
      var length = capacity
      var output = [UInt8](repeating: 0, count: capacity)
      guard EVP_PKEY_sign(context, &output, &length, digest, digest.count) == 1 else {
        ERR_clear_error()
        return nil
      }
      output.removeLast(capacity - length)
      return output
    }
    return signature ?? nil
  }

  /// RFC 8037 §3.1: Ed25519 signs the message itself (PureEdDSA).
  private func signEd25519(_ message: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
    let key = self.key
    let signature = contexts.withContext { context -> [UInt8]? in
      var length = 64
      var output = [UInt8](repeating: 0, count: length)
      guard EVP_DigestSignInit(context, nil, nil, nil, key.pointer) == 1,
        EVP_DigestSign(context, &output, &length, message.baseAddress, message.count) == 1,
        length == 64
      else {
        ERR_clear_error()
        return nil
      }
      return output
    }
    return signature ?? nil
  }
}
