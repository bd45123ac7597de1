import COpenSSL

/// PEM import and export of keys (RFC 7468): PKCS #8 private keys (RFC 5958) and
/// SubjectPublicKeyInfo public keys (RFC 5280 §4.1.2.7).
enum PEM {
  /// Reads an unencrypted PKCS #8 (or traditional) private key. Never prompts for a password.
  static func readPrivateKey(_ pem: String) -> EVPKey? {
    read(pem) { latchkey_read_private_key_pem($0) }
  }

  /// Reads a SubjectPublicKeyInfo public key.
  static func readPublicKey(_ pem: String) -> EVPKey? {
    read(pem) { latchkey_read_public_key_pem($0) }
  }

  /// Writes the private key as unencrypted PKCS #8 ("BEGIN PRIVATE KEY").
  static func writePrivateKey(_ key: EVPKey) throws(JOSEKeyError) -> String {
    try write { PEM_write_bio_PrivateKey($0, key.pointer, nil, nil, 0, nil, nil) }
  }

  /// Writes the public key as SubjectPublicKeyInfo ("BEGIN PUBLIC KEY").
  static func writePublicKey(_ key: EVPKey) throws(JOSEKeyError) -> String {
    try write { PEM_write_bio_PUBKEY($0, key.pointer) }
  }

  private static func read(
    _ pem: String, _ reader: (OpaquePointer) -> OpaquePointer?
  ) -> EVPKey? {
    var pem = pem
    return pem.withUTF8 { text -> EVPKey? in
      guard text.count < Int(Int32.max),
        let bio = BIO_new_mem_buf(text.baseAddress, Int32(text.count))
      else { return nil }
      defer { BIO_free(bio) }
      guard let pointer = reader(bio) else {
        ERR_clear_error()
        return nil
      }
      return EVPKey(taking: pointer)
    }
  }

  private static func write(_ writer: (OpaquePointer) -> Int32) throws(JOSEKeyError) -> String {
    guard let bio = BIO_new(BIO_s_mem()) else { throw .cryptoFailure }
    defer { BIO_free(bio) }
    guard writer(bio) == 1 else {
      ERR_clear_error()
      throw .cryptoFailure
    }
    var data: UnsafeMutablePointer<CChar>?
    let length = latchkey_BIO_get_mem_data(bio, &data)
    guard let data, length > 0 else { throw .cryptoFailure }
    let bytes = UnsafeRawBufferPointer(start: data, count: length)
    return String(decoding: bytes, as: UTF8.self)
  }
}
