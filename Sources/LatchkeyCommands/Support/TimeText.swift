import Foundation

/// How times and durations are written and read on the command line.
enum TimeText {
  /// RFC 3339 in UTC, whole seconds: `2027-01-15T08:00:00Z`.
  static func timestamp(_ date: Date) -> String {
    date.formatted(.iso8601)
  }

  /// A timestamp or `-` for none.
  static func timestamp(_ date: Date?, none: String = "-") -> String {
    date.map { timestamp($0) } ?? none
  }

  /// A short age like `3d4h`, `5m`, `12s`; negative ages (the future) get a leading `-`.
  static func age(from start: Date, to now: Date) -> String {
    let seconds = Int(now.timeIntervalSince(start))
    let sign = seconds < 0 ? "-" : ""
    let total = abs(seconds)
    let days = total / 86_400
    let hours = (total % 86_400) / 3600
    let minutes = (total % 3600) / 60
    if days > 0 { return "\(sign)\(days)d\(hours)h" }
    if hours > 0 { return "\(sign)\(hours)h\(minutes)m" }
    if minutes > 0 { return "\(sign)\(minutes)m" }
    return "\(sign)\(total % 60)s"
  }

  /// Seconds of a duration like `90d`, `12h`, `30m`, `45s` (a bare number is seconds).
  static func duration(_ text: String) -> TimeInterval? {
    let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
    guard let last = text.last else { return nil }
    if let unit = units[last], let value = Double(text.dropLast()), value >= 0 {
      return value * unit
    }
    if let value = Double(text), value >= 0 { return value }
    return nil
  }

  /// A point in time: an RFC 3339 timestamp, a date `2027-01-15` (midnight UTC), or a duration
  /// meaning that long before `now` (`7d` = seven days ago).
  static func instant(_ text: String, now: Date) -> Date? {
    if let seconds = duration(text) { return now.addingTimeInterval(-seconds) }
    if let date = try? Date(text, strategy: .iso8601) { return date }
    let day = Date.ISO8601FormatStyle().year().month().day()
    return try? day.parse(text)
  }
}
