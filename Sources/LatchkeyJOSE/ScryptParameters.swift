/// scrypt cost parameters (RFC 7914 §2): N = 2^logN, block size r, parallelism p.
public struct ScryptParameters: Sendable, Equatable {
  /// log2 of the CPU/memory cost N.
  public var logN: Int
  /// Block size.
  public var r: Int
  /// Parallelization.
  public var p: Int

  /// Parameters N = 2^`logN`, `r`, `p`.
  public init(logN: Int, r: Int, p: Int) {
    self.logN = logN
    self.r = r
    self.p = p
  }

  /// For interactive logins: N = 2^15, r = 8, p = 1 (≈ 32 MiB, tens of milliseconds).
  public static let interactive = ScryptParameters(logN: 15, r: 8, p: 1)
  /// Cheap parameters for tests only.
  public static let testing = ScryptParameters(logN: 4, r: 8, p: 1)

  /// Bounds accepted when reading stored hashes, so a crafted string cannot demand
  /// unbounded memory or time (RFC 7914 §2: N > 1 and a power of two; r·p < 2^30).
  var isWithinLimits: Bool {
    (1...20).contains(logN) && (1...32).contains(r) && (1...16).contains(p)
  }

  /// Whether every parameter is at least as strong as `other`'s.
  func isAtLeast(_ other: ScryptParameters) -> Bool {
    logN >= other.logN && r >= other.r && p >= other.p
  }
}
