public import Foundation

/// Per-account back-off of failed logins (OWASP ASVS V2.2.1: anti-automation without locking
/// out the owner; RFC 9700 does not cover it).
///
/// The first `freeFailures` failures cost nothing, so a few typos never slow a legitimate user
/// down. Each later failure opens a refusal window that doubles from 1 s up to 5 min. Keyed by
/// the lowercased submitted username (unknown ones too, so probing names is throttled alike).
public enum LoginBackoffRule {
  public static let freeFailures = 5
  public static let firstWindow: TimeInterval = 1
  public static let maximumWindow: TimeInterval = 300

  /// The key an account's failures are counted under.
  public static func account(_ username: String) -> String { username.lowercased() }

  /// The refusal window after the n-th failure: none below `freeFailures`, then 1 s, 2 s, 4 s …
  /// 5 min.
  public static func window(afterFailures failures: Int) -> TimeInterval? {
    guard failures >= freeFailures else { return nil }
    let doublings = min(failures - freeFailures, 16)
    return min(firstWindow * Double(1 << doublings), maximumWindow)
  }
}

/// A fixed-window counter (registration caps; RFC 7591 §5 leaves abuse limits to the server).
public enum FixedWindowRule {
  /// The decision for one event: `count` events were counted in the window that started at
  /// `start`. Returns the window to store after counting, or the seconds until it resets
  /// (for `Retry-After`) when `limit` is reached.
  public static func decide(
    start: Date?, count: Int, limit: Int, window: TimeInterval, now: Date
  ) -> Result<(start: Date, count: Int), RetryAfter> {
    var start = start ?? now
    var count = count
    if now.timeIntervalSince(start) >= window || now < start {
      start = now
      count = 0
    }
    guard count < limit else {
      return .failure(
        RetryAfter(seconds: max(1, Int((window - now.timeIntervalSince(start)).rounded(.up)))))
    }
    return .success((start, count + 1))
  }

  /// Seconds until a full window resets.
  public struct RetryAfter: Error, Sendable, Equatable {
    public var seconds: Int
  }
}
