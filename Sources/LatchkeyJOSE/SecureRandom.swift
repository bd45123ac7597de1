import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's CSPRNG (`RAND_bytes`).
public enum SecureRandom {
  /// `count` random bytes. Stops the process if the CSPRNG fails: continuing without
  /// randomness would mint guessable secrets.
  public static func bytes(_ count: Int) -> [UInt8] {
    precondition(count >= 0, "negative byte count")
    if count == 0 { return [] }
    return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
      guard let base = buffer.baseAddress, RAND_bytes(base, Int32(count)) == 1 else {
        fatalError("OpenSSL RAND_bytes failed")
      }
      initialized = count
    }
  }

  /// A base64url token of `byteCount` random bytes (default 32 bytes = 256 bits; RFC 6749 §10.10
  /// asks for at least 128 bits of entropy for codes and tokens).
  public static func token(byteCount: Int = 32) -> String {
    Base64URL.encode(bytes(byteCount))
  }
}
