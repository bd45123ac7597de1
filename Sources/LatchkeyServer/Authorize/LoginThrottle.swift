import Foundation
import Synchronization

/// Per-account back-off of failed logins (RFC 9700 does not cover this; OWASP ASVS V2.2.1:
/// anti-automation without locking out the owner).
///
/// The first `freeFailures` failures cost nothing, so a few typos never slow a legitimate user
/// down. Each later failure opens a refusal window that doubles from 1 s up to 5 min; during the
/// window every attempt is refused without checking the password. A success resets the count.
/// Keyed by the submitted username (also unknown ones, so probing names is throttled alike).
final class LoginThrottle: Sendable {
  static let freeFailures = 5
  static let firstWindow: TimeInterval = 1
  static let maximumWindow: TimeInterval = 300
  /// Above this many accounts tracked, rows whose window has passed are swept.
  static let sweepThreshold = 10_000

  struct Entry: Sendable {
    var failures: Int
    var refusedUntil: Date?
  }

  private let entries = Mutex<[String: Entry]>([:])

  static func key(_ username: String) -> String { username.lowercased() }

  /// The end of the refusal window when `username` may not try now, or nil.
  func refusal(for username: String, at now: Date) -> Date? {
    entries.withLock { entries in
      guard let until = entries[Self.key(username)]?.refusedUntil, until > now else { return nil }
      return until
    }
  }

  /// Counts a failure and opens the next window when the free failures are used up.
  func recordFailure(for username: String, at now: Date) {
    let key = Self.key(username)
    entries.withLock { entries in
      if entries.count >= Self.sweepThreshold {
        entries = entries.filter { ($0.value.refusedUntil ?? .distantPast) > now }
      }
      var entry = entries[key] ?? Entry(failures: 0, refusedUntil: nil)
      entry.failures += 1
      if entry.failures >= Self.freeFailures {
        entry.refusedUntil = now.addingTimeInterval(Self.window(afterFailures: entry.failures))
      }
      entries[key] = entry
    }
  }

  /// The refusal window after the n-th failure (n ≥ `freeFailures`): 1 s, 2 s, 4 s … 5 min.
  static func window(afterFailures failures: Int) -> TimeInterval {
    let doublings = min(failures - freeFailures, 16)
    return min(firstWindow * Double(1 << max(doublings, 0)), maximumWindow)
  }

  func recordSuccess(for username: String) {
    _ = entries.withLock { $0.removeValue(forKey: Self.key(username)) }
  }
}
