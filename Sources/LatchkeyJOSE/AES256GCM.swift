import COpenSSL

/// AES-256-GCM (NIST SP 800-38D) through OpenSSL's EVP interface: authenticated encryption for
/// secrets Latchkey must be able to read back (the token vault's upstream tokens). A fresh
/// random 96-bit nonce per seal (SP 800-38D §8.2.2: at most 2³² seals per key with random
/// nonces — the vault rotates keys long before), a 128-bit tag, and associated data that binds
/// the box to where it is stored.
public enum AES256GCM {
  /// Why a box did not open (or a key was unusable); never says more.
  public enum Failure: Error, Equatable, Sendable {
    case invalidKey
    /// Too short, tampered with, another key, or other associated data.
    case notAuthentic
  }

  public static let keyByteCount = 32
  static let nonceByteCount = 12
  static let tagByteCount = 16

  /// `nonce ‖ ciphertext ‖ tag` of `plaintext` under `key` (32 bytes) with `associatedData`.
  public static func seal(_ plaintext: [UInt8], key: [UInt8], associatedData: [UInt8])
    throws(Failure) -> [UInt8]
  {
    try seal(
      plaintext, key: key, nonce: SecureRandom.bytes(nonceByteCount),
      associatedData: associatedData)
  }

  /// `seal` with a given nonce: for the known-answer tests only (a nonce must never repeat
  /// under one key).
  static func seal(
    _ plaintext: [UInt8], key: [UInt8], nonce: [UInt8], associatedData: [UInt8]
  ) throws(Failure) -> [UInt8] {
    guard key.count == keyByteCount, nonce.count == nonceByteCount else { throw .invalidKey }
    guard let context = EVP_CIPHER_CTX_new() else { throw .invalidKey }
    defer { EVP_CIPHER_CTX_free(context) }
    var output = [UInt8](repeating: 0, count: plaintext.count + 16)
    var tag = [UInt8](repeating: 0, count: tagByteCount)
    var written: Int32 = 0
    var total = 0
    let ok = key.withUnsafeBufferPointer { keyBytes in
      nonce.withUnsafeBufferPointer { nonceBytes -> Bool in
        guard
          EVP_EncryptInit_ex(context, EVP_aes_256_gcm(), nil, nil, nil) == 1,
          EVP_CIPHER_CTX_ctrl(
            context, EVP_CTRL_GCM_SET_IVLEN, Int32(nonceByteCount), nil) == 1,
          EVP_EncryptInit_ex(context, nil, nil, keyBytes.baseAddress, nonceBytes.baseAddress)
            == 1
        else { return false }
        if !associatedData.isEmpty {
          guard
            associatedData.withUnsafeBufferPointer({
              EVP_EncryptUpdate(context, nil, &written, $0.baseAddress, Int32($0.count))
            }) == 1
          else { return false }
        }
        guard
          output.withUnsafeMutableBufferPointer({ out in
            plaintext.withUnsafeBufferPointer {
              EVP_EncryptUpdate(
                context, out.baseAddress, &written, $0.baseAddress, Int32($0.count))
            }
          }) == 1
        else { return false }
        total = Int(written)
        guard
          output.withUnsafeMutableBufferPointer({
            EVP_EncryptFinal_ex(context, $0.baseAddress! + total, &written)
          }) == 1
        else { return false }
        total += Int(written)
        return tag.withUnsafeMutableBufferPointer {
          EVP_CIPHER_CTX_ctrl(
            context, EVP_CTRL_GCM_GET_TAG, Int32(tagByteCount), $0.baseAddress) == 1
        }
      }
    }
    guard ok else { throw .invalidKey }
    return nonce + output.prefix(total) + tag
  }

  /// The plaintext of a box `seal` made with the same key and associated data; `notAuthentic`
  /// for anything else (the tag is checked by OpenSSL before any plaintext is returned).
  public static func open(_ box: [UInt8], key: [UInt8], associatedData: [UInt8])
    throws(Failure) -> [UInt8]
  {
    guard key.count == keyByteCount else { throw .invalidKey }
    guard box.count >= nonceByteCount + tagByteCount else { throw .notAuthentic }
    let nonce = Array(box.prefix(nonceByteCount))
    let ciphertext = Array(box.dropFirst(nonceByteCount).dropLast(tagByteCount))
    var tag = Array(box.suffix(tagByteCount))
    guard let context = EVP_CIPHER_CTX_new() else { throw .invalidKey }
    defer { EVP_CIPHER_CTX_free(context) }
    var output = [UInt8](repeating: 0, count: ciphertext.count + 16)
    var written: Int32 = 0
    var total = 0
    let ok = key.withUnsafeBufferPointer { keyBytes in
      nonce.withUnsafeBufferPointer { nonceBytes -> Bool in
        guard
          EVP_DecryptInit_ex(context, EVP_aes_256_gcm(), nil, nil, nil) == 1,
          EVP_CIPHER_CTX_ctrl(
            context, EVP_CTRL_GCM_SET_IVLEN, Int32(nonceByteCount), nil) == 1,
          EVP_DecryptInit_ex(context, nil, nil, keyBytes.baseAddress, nonceBytes.baseAddress)
            == 1
        else { return false }
        if !associatedData.isEmpty {
          guard
            associatedData.withUnsafeBufferPointer({
              EVP_DecryptUpdate(context, nil, &written, $0.baseAddress, Int32($0.count))
            }) == 1
          else { return false }
        }
        guard
          output.withUnsafeMutableBufferPointer({ out in
            ciphertext.withUnsafeBufferPointer {
              EVP_DecryptUpdate(
                context, out.baseAddress, &written, $0.baseAddress, Int32($0.count))
            }
          }) == 1
        else { return false }
        total = Int(written)
        guard
          tag.withUnsafeMutableBufferPointer({
            EVP_CIPHER_CTX_ctrl(
              context, EVP_CTRL_GCM_SET_TAG, Int32(tagByteCount), $0.baseAddress) == 1
          })
        else { return false }
        guard
          output.withUnsafeMutableBufferPointer({
            EVP_DecryptFinal_ex(context, $0.baseAddress! + total, &written)
          }) == 1
        else { return false }
        total += Int(written)
        return true
      }
    }
    guard ok else { throw .notAuthentic }
    return Array(output.prefix(total))
  }
}
