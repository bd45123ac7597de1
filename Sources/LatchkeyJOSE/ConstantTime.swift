import COpenSSL

/// Comparisons whose running time does not depend on where the inputs differ.
public enum ConstantTime {
  /// Equality with `CRYPTO_memcmp`. A length mismatch returns `false` straight away: lengths of
  /// secrets compared here (hashes, tokens of fixed size) are not themselves secret.
  public static func equals(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
    let a = Array(a)
    let b = Array(b)
    guard a.count == b.count else { return false }
    if a.isEmpty { return true }
    return a.withUnsafeBytes { left in
      b.withUnsafeBytes { right in
        CRYPTO_memcmp(left.baseAddress, right.baseAddress, left.count) == 0
      }
    }
  }

  /// Constant-time equality of the UTF-8 bytes of two strings.
  public static func equals(_ a: String, _ b: String) -> Bool {
    equals(Array(a.utf8), Array(b.utf8))
  }
}
