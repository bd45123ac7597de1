/// How `latchkey serve`, `demo` and `proxy` write log lines on stderr (`log_format`).
public enum LogFormat: String, Sendable, Codable, CaseIterable {
  /// swift-log's console format, UTC timestamps.
  case text
  /// One JSON object per line.
  case json
}
