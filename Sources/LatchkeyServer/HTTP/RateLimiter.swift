import Foundation
import Synchronization

/// A fixed-window counter per key (e.g. "global", a source address), in memory.
///
/// Used for registration caps: cheap, and exact enough for abuse limits. State is per process
/// (a restart forgets it).
final class RateLimiter: Sendable {
  struct Window: Sendable {
    var start: Date
    var count: Int
  }

  let limit: Int
  let window: TimeInterval
  private let windows = Mutex<[String: Window]>([:])

  init(limit: Int, window: TimeInterval = 60) {
    self.limit = limit
    self.window = window
  }

  /// Counts one event for `key`; returns nil when allowed, or the seconds until the window
  /// resets when the limit is reached (for `Retry-After`).
  func acquire(_ key: String, at now: Date) -> Int? {
    windows.withLock { windows in
      if windows.count > 10_000 {
        windows = windows.filter { now.timeIntervalSince($0.value.start) < window }
      }
      var current = windows[key] ?? Window(start: now, count: 0)
      if now.timeIntervalSince(current.start) >= window || now < current.start {
        current = Window(start: now, count: 0)
      }
      guard current.count < limit else {
        return max(1, Int((window - now.timeIntervalSince(current.start)).rounded(.up)))
      }
      current.count += 1
      windows[key] = current
      return nil
    }
  }
}
