import COpenSSL

/// Owns one OpenSSL `EVP_PKEY`. OpenSSL 3 allows concurrent use of a key from several threads
/// as long as each thread uses its own operation context, which `ContextPool` provides.
final class EVPKey: @unchecked Sendable {
  let pointer: OpaquePointer

  init(taking pointer: OpaquePointer) {
    self.pointer = pointer
  }

  deinit {
    EVP_PKEY_free(pointer)
  }

  /// Whether the key is of OpenSSL key type `name` ("EC", "ED25519", "RSA").
  func isA(_ name: String) -> Bool {
    EVP_PKEY_is_a(pointer, name) == 1
  }

  /// Size of the key in bits (modulus size for RSA).
  var bits: Int {
    Int(EVP_PKEY_get_bits(pointer))
  }

  /// The EC group name, e.g. "prime256v1", or nil for keys without a group.
  var groupName: String? {
    var buffer = [CChar](repeating: 0, count: 64)
    var length = 0
    guard EVP_PKEY_get_group_name(pointer, &buffer, buffer.count, &length) == 1 else {
      ERR_clear_error()
      return nil
    }
    return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// RFC 7518 §3.4, RFC 8037 §3.1, RFC 7518 §3.3 + RFC 8725 §3.5: does this key fit
  /// `algorithm` — a P-256 EC key, an Ed25519 key, or an RSA key of 2048 to 16384 bits?
  func fits(_ algorithm: JWSAlgorithm) -> Bool {
    switch algorithm {
    case .es256: return isA("EC") && groupName == "prime256v1"
    case .edDSA: return isA("ED25519")
    case .rs256: return isA("RSA") && (2048...16384).contains(bits)
    }
  }
}
