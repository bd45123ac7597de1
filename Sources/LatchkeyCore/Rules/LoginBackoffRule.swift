public import Foundation

/// Back-off of failed logins that does not let anyone lock the owner out (OWASP ASVS 2.2.1:
/// anti-automation without enabling account-lockout attacks; OWASP "Slow Down Online Guessing
/// Attacks with Device Cookies"; RFC 9700 does not cover it).
///
/// Failures are counted under several keys at once, each with its own `Policy`:
/// - a browser that signed in to the account before carries a device cookie and is counted
///   only per device (`trustedDevice`): failures from elsewhere never slow it down;
/// - any other (untrusted) attempt is counted per account and source address
///   (`accountFromSource`), per source across accounts (`sourceWide`, password spraying), and
///   per account (`accountWide`, a distributed guesser) — the account-wide limit therefore only
///   slows untrusted browsers.
/// During a refusal window of any of its keys an attempt is refused without checking the
/// password. Usernames are compared lower-cased (unknown ones too, so probing names is
/// throttled alike).
public enum LoginBackoffRule {
  /// How many failures are free and how the refusal window grows after them.
  public struct Policy: Sendable, Equatable {
    /// Failures that cost nothing (a few typos never slow a legitimate user down).
    public var freeFailures: Int
    /// The window after the first failure past the free ones; doubles with each later one.
    public var firstWindow: TimeInterval
    /// The longest window.
    public var maximumWindow: TimeInterval

    public init(freeFailures: Int, firstWindow: TimeInterval, maximumWindow: TimeInterval) {
      self.freeFailures = freeFailures
      self.firstWindow = firstWindow
      self.maximumWindow = maximumWindow
    }

    /// The refusal window after the n-th failure: none below `freeFailures`, then
    /// `firstWindow`, doubling up to `maximumWindow`.
    public func window(afterFailures failures: Int) -> TimeInterval? {
      guard failures >= freeFailures else { return nil }
      let doublings = min(failures - freeFailures, 16)
      return min(firstWindow * Double(1 << doublings), maximumWindow)
    }

    /// 5 free failures, then 1 s doubling to 5 min: one account from one source.
    public static let standard = Policy(freeFailures: 5, firstWindow: 1, maximumWindow: 300)
    /// 10 free failures, then 1 s doubling to 5 min: one account from every untrusted source.
    public static let accountWide = Policy(freeFailures: 10, firstWindow: 1, maximumWindow: 300)
    /// 20 free failures, then 1 s doubling to 15 min: one source against every account.
    public static let sourceWide = Policy(freeFailures: 20, firstWindow: 1, maximumWindow: 900)
    /// 10 free failures, then 1 s doubling to 5 min: one trusted browser of one account.
    public static let trustedDevice = Policy(freeFailures: 10, firstWindow: 1, maximumWindow: 300)
  }

  /// Which limit a key belongs to (audited when it refuses).
  public enum Limit: String, Sendable, Equatable {
    case trustedDevice = "trusted_device"
    case accountFromSource = "account_source"
    case sourceWide = "source"
    case accountWide = "account"
  }

  /// One counter a login attempt is judged by.
  public struct Counter: Sendable, Equatable {
    public var key: String
    public var policy: Policy
    public var limit: Limit
  }

  /// Kept for callers counting one account under the standard policy.
  public static let freeFailures = Policy.standard.freeFailures

  /// The key an account's failures are counted under.
  public static func account(_ username: String) -> String { username.lowercased() }

  /// The standard policy's window after the n-th failure.
  public static func window(afterFailures failures: Int) -> TimeInterval? {
    Policy.standard.window(afterFailures: failures)
  }

  /// The counters of one attempt: only the device's own when the browser is trusted for this
  /// account, else the account-and-source, source and account counters.
  ///
  /// - Parameters:
  ///   - username: the submitted username (compared lower-cased).
  ///   - source: the client address (nil when unknown: all unknown sources count together).
  ///   - trustedDevice: the device hash when the browser's device cookie is trusted for this
  ///     account, else nil.
  public static func counters(username: String, source: String?, trustedDevice: String?)
    -> [Counter]
  {
    let account = account(username)
    if let trustedDevice {
      return [
        Counter(key: "device:" + trustedDevice, policy: .trustedDevice, limit: .trustedDevice)
      ]
    }
    let source = source ?? "unknown"
    return [
      Counter(
        key: "pair:" + source + " " + account, policy: .standard, limit: .accountFromSource),
      Counter(key: "source:" + source, policy: .sourceWide, limit: .sourceWide),
      Counter(key: "account:" + account, policy: .accountWide, limit: .accountWide),
    ]
  }

  /// The counters a successful sign-in clears: the ones it was judged by, except the
  /// source-wide one (a spraying source that guesses one password right stays slowed).
  public static func clearedOnSuccess(_ counters: [Counter]) -> [Counter] {
    counters.filter { $0.limit != .sourceWide }
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
