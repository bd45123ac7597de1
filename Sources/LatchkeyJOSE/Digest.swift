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
  ///
  /// RFC 2104 §2: `H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ text))`, the key zero-padded to SHA-256's
  /// 64-byte block (hashed first when longer), as two SHA-256 computations over the fetched
  /// `EVP_MD`. OpenSSL 3's one-shot `HMAC()` fetches the MAC and the digest by name on every
  /// call (≈ 5 µs of a refresh request in a profile, twice the two hashes). The padded key
  /// copies are cleansed before they are freed.
  public static func hmacSHA256(key: [UInt8], message: some Collection<UInt8>) -> [UInt8] {
    let blockSize = 64
    var block = key.count > blockSize ? sha256(key) : key
    block.append(contentsOf: repeatElement(0, count: blockSize - block.count))
    var inner = block.map { $0 ^ 0x36 }
    inner.append(contentsOf: message)
    var outer = block.map { $0 ^ 0x5C }
    outer.append(contentsOf: sha256(inner))
    let mac = sha256(outer)
    cleanse(&block)
    cleanse(&inner)
    cleanse(&outer)
    return mac
  }

  /// Overwrites `bytes` with zeros in a way the compiler keeps (`OPENSSL_cleanse`).
  private static func cleanse(_ bytes: inout [UInt8]) {
    bytes.withUnsafeMutableBytes { buffer in
      if let base = buffer.baseAddress { OPENSSL_cleanse(base, buffer.count) }
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
