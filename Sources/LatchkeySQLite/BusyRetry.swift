import CoreMetrics
import Foundation
import GRDB

/// The busy handler of every connection: SQLite's own `sqlite3_busy_timeout` back-off (sleep 1,
/// 2, 5, 10, 15, 20, 25, 25, 25, 50, 50 ms, then 100 ms per try, until the timeout is spent),
/// reimplemented so each retry and each give-up is counted (`latchkey_sqlite_busy_retries_total`,
/// `latchkey_sqlite_busy_timeouts_total`, docs/metrics.md).
///
/// SQLite calls it when another connection (usually another process on the same file: the CLI,
/// a backup) holds the lock; returning true retries the statement, false fails it with
/// `SQLITE_BUSY`, which the store reports as `StoreError.unavailable`.
struct BusyRetry: Sendable {
  static let retriesName = "latchkey_sqlite_busy_retries_total"
  static let timeoutsName = "latchkey_sqlite_busy_timeouts_total"

  let timeout: TimeInterval
  let retries: Counter
  let timeouts: Counter

  init(timeout: TimeInterval, factory: any MetricsFactory) {
    self.timeout = timeout
    retries = Counter(label: Self.retriesName, factory: factory)
    timeouts = Counter(label: Self.timeoutsName, factory: factory)
  }

  /// The GRDB busy mode applying this policy.
  var busyMode: Database.BusyMode {
    .callback { [self] tries in
      guard let milliseconds = Self.delay(try: tries, timeoutMilliseconds: Int(timeout * 1000))
      else {
        timeouts.increment()
        return false
      }
      retries.increment()
      usleep(useconds_t(milliseconds * 1000))
      return true
    }
  }

  static let delays = [1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100]

  /// How long to sleep before retry number `try` (0-based), or nil when the timeout is spent:
  /// the schedule of SQLite's `sqliteDefaultBusyCallback` (sqlite3 main.c).
  static func delay(try count: Int, timeoutMilliseconds: Int) -> Int? {
    let last = delays.count - 1
    let delay = delays[min(count, last)]
    let slept =
      count <= last
      ? delays.prefix(count).reduce(0, +)
      : delays.reduce(0, +) + (count - delays.count) * delays[last]
    let remaining = timeoutMilliseconds - slept
    guard remaining > 0 else { return nil }
    return min(delay, remaining)
  }
}
