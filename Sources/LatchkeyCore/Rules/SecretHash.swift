import LatchkeyJOSE

/// How secrets (codes, refresh tokens, client secrets) are stored: the hex SHA-256 of the value.
/// They are 256-bit random strings, so a fast hash is enough (no salt or stretching needed),
/// and lookups stay an index probe.
public enum SecretHash {
  /// The lower-case hex SHA-256 of `value`.
  public static func of(_ value: String) -> String {
    let digest = Digest.sha256(value)
    let hex = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    out.reserveCapacity(64)
    for byte in digest {
      out.append(hex[Int(byte >> 4)])
      out.append(hex[Int(byte & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
  }
}
