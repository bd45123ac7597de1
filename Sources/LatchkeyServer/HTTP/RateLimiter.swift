import Foundation
import LatchkeyCore

/// A fixed-window counter per key (e.g. "global", a source address) for registration caps,
/// counted in the `EphemeralStateStore`: in process for SQLite (a restart forgets it), in the
/// database for PostgreSQL (the caps hold across instances).
struct RateLimiter: Sendable {
  let state: any EphemeralStateStore
  /// Distinguishes this limiter's keys from other limiters' in the shared table.
  let name: String
  let limit: Int
  let window: TimeInterval

  init(state: any EphemeralStateStore, name: String, limit: Int, window: TimeInterval = 60) {
    self.state = state
    self.name = name
    self.limit = limit
    self.window = window
  }

  /// Counts one event for `key`; returns nil when allowed, or the seconds until the window
  /// resets when the limit is reached (for `Retry-After`).
  func acquire(_ key: String, at now: Date) async throws -> Int? {
    try await state.acquireRateSlot(key: name + ":" + key, limit: limit, window: window, at: now)
  }
}
