import Foundation
import Synchronization

/// A value derived from the store, reused for `lifetime` seconds of the injected clock, so a
/// hot GET (discovery) does not read the database on every request while a change made by the
/// CLI on the same database still shows within `lifetime` (as `SigningKeyProvider` does for
/// keys).
final class RecentValue<Value: Sendable>: Sendable {
  private let cached = Mutex<(loadedAt: Date, value: Value)?>(nil)
  let lifetime: TimeInterval

  init(lifetime: TimeInterval) {
    self.lifetime = lifetime
  }

  /// The cached value while it is younger than `lifetime` at `now`, else `load()`'s.
  func value(at now: Date, load: () async throws -> Value) async throws -> Value {
    if let entry = cached.withLock({ $0 }), now.timeIntervalSince(entry.loadedAt) < lifetime,
      now >= entry.loadedAt
    {
      return entry.value
    }
    let value = try await load()
    cached.withLock { $0 = (now, value) }
    return value
  }
}
