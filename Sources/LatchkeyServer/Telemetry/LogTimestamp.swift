import Foundation
import Synchronization

/// UTC timestamps for log lines, formatted once per second.
///
/// swift-log's `StreamLogHandler` calls `localtime()` and `strftime` for every line, and glibc's
/// `localtime()` stats `/etc/localtime` each time when `TZ` is unset: one access log line per
/// request made that a visible share of a discovery request. The date and time part is cached
/// per second here; only the fraction is written per line.
enum LogTimestamp {
  private struct Cached: Sendable {
    var second: Int = -1
    /// `2026-12-05T08:05:15`
    var prefix: String = ""
  }

  private static let cache = Mutex(Cached())

  /// `2026-12-05T08:05:15+0000`: swift-log's console format, in UTC.
  static func console() -> String {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return prefix(second: now.tv_sec) + "+0000"
  }

  /// `2026-12-05T08:05:15.123Z`: RFC 3339 with milliseconds, UTC.
  static func rfc3339() -> String {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    let milliseconds = String(now.tv_nsec / 1_000_000)
    return prefix(second: now.tv_sec) + "."
      + String(repeating: "0", count: 3 - milliseconds.count) + milliseconds + "Z"
  }

  /// The `YYYY-MM-DDTHH:MM:SS` of `second` (seconds since 1970, UTC).
  static func prefix(second: Int) -> String {
    if let hit = cache.withLock({ $0.second == second ? $0.prefix : nil }) { return hit }
    var time = time_t(second)
    var parts = tm()
    gmtime_r(&time, &parts)
    func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
    let formatted =
      "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
      + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
    cache.withLock { $0 = Cached(second: second, prefix: formatted) }
    return formatted
  }
}
