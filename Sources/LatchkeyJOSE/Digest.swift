import COpenSSL

/// SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104) through OpenSSL.
public enum Digest {
  /// OpenSSL 3's SHA-256 implementation, fetched once (for SHA-256 and HMAC-SHA-256).
  /// `SHA256()` and `EVP_sha256()` fetch it by name on every call (a locked lookup in the provider's method store: ≈ 1.7 µs per hash
  /// under a loaded server, 2 % of a token request's CPU); an explicitly fetched `EVP_MD` is
  /// immutable and safe to share between threads (OpenSSL 3 migration guide, "Fetching
  /// algorithms"; crypto(7) "Performance").
  private static let sha256Method = FetchedDigest(name: "SHA256")

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
            sha256Method.pointer, keyBuffer.baseAddress, Int32(keyBuffer.count),
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
      var length: UInt32 = 0
      guard let out = output.baseAddress,
        EVP_Digest(
          buffer.baseAddress, buffer.count, out, &length, sha256Method.pointer, nil) == 1,
        Int(length) == sha256Length
      else {
        fatalError("OpenSSL SHA-256 failed")
      }
      initialized = sha256Length
    }
  }
}

/// An `EVP_MD` fetched once and kept for the life of the process (never freed: it is shared by
/// every thread until exit).
private struct FetchedDigest: @unchecked Sendable {
  let pointer: OpaquePointer

  init(name: String) {
    guard let method = EVP_MD_fetch(nil, name, nil) else {
      fatalError("OpenSSL has no \(name) implementation")
    }
    pointer = method
  }
}
