import LatchkeyJOSE
import Synchronization

/// Ids for requests that bring no `X-Request-Id`: 16 base64url characters encoding 4 bytes drawn
/// at start and a 64-bit counter starting at a random value.
///
/// A request id correlates log lines; it is neither a secret nor a capability, so it needs
/// uniqueness, not unpredictability. Ids never repeat within a process (the counter would take
/// 2^64 requests to wrap), and the random start keeps two runs' ids apart. Drawing 12 random
/// bytes from OpenSSL for every request cost about 1 % of a discovery request.
enum GeneratedRequestID {
  private static let prefix: [UInt8] = SecureRandom.bytes(4)
  private static let counter = Atomic<UInt64>(
    SecureRandom.bytes(8).reduce(0) { $0 << 8 | UInt64($1) })

  /// The next id.
  static func next() -> String {
    let count = counter.wrappingAdd(1, ordering: .relaxed).oldValue
    var bytes = prefix
    bytes.reserveCapacity(12)
    for shift in stride(from: 56, through: 0, by: -8) {
      bytes.append(UInt8(truncatingIfNeeded: count >> shift))
    }
    return Base64URL.encode(bytes)
  }
}
