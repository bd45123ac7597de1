import COpenSSL

/// SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104) through OpenSSL's one-shot functions.
public enum Digest {
  /// Length in bytes of a SHA-256 digest.
  static let sha256Length = 32

  /// SHA-256 of `bytes`.
  public static func sha256(_ bytes: some Collection<UInt8>) -> [UInt8] {
    if let digest = bytes.withContiguousStorageIfAvailable({ sha256(buffer: $0) }) {
      return digest
    }
    return Array(bytes).withUnsafeBufferPointer { sha256(buffer: $0) }
  }

  /// SHA-256 of the UTF-8 bytes of `string`.
  public static func sha256(_ string: String) -> [UInt8] {
    var string = string
    return string.withUTF8 { sha256(buffer: $0) }
  }

  /// HMAC-SHA-256 (RFC 2104, RFC 4231) of `message` under `key`.
  public static func hmacSHA256(key: [UInt8], message: some Collection<UInt8>) -> [UInt8] {
    let message = Array(message)
    return [UInt8](unsafeUninitializedCapacity: sha256Length) { output, initialized in
      var length: UInt32 = 0
      let result = key.withUnsafeBufferPointer { keyBuffer in
        message.withUnsafeBufferPointer { messageBuffer in
          HMAC(
            EVP_sha256(), keyBuffer.baseAddress, Int32(keyBuffer.count),
            messageBuffer.baseAddress, messageBuffer.count, output.baseAddress, &length)
        }
      }
      guard result != nil, Int(length) == sha256Length else {
        fatalError("OpenSSL HMAC-SHA-256 failed")
      }
      initialized = sha256Length
    }
  }

  static func sha256(buffer: UnsafeBufferPointer<UInt8>) -> [UInt8] {
    [UInt8](unsafeUninitializedCapacity: sha256Length) { output, initialized in
      guard let out = output.baseAddress, SHA256(buffer.baseAddress, buffer.count, out) != nil
      else {
        fatalError("OpenSSL SHA256 failed")
      }
      initialized = sha256Length
    }
  }
}
