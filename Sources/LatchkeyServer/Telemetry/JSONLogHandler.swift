import Foundation
public import Logging

/// A swift-log handler writing one JSON object per line (`--log-format json`):
/// `{"time":"…","level":"info","label":"latchkey","message":"…", …metadata}`.
///
/// Metadata keys become top-level fields (they never override the four fixed ones). Latchkey
/// never puts secrets in log metadata; this handler does not try to redact.
public struct JSONLogHandler: LogHandler {
  public var metadata: Logger.Metadata = [:]
  public var logLevel: Logger.Level = .info
  let label: String
  let write: @Sendable (String) -> Void

  /// A handler writing to standard error.
  public init(label: String) {
    self.init(label: label) { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
  }

  /// A handler handing each line (without its newline) to `write`; used by tests.
  public init(label: String, write: @escaping @Sendable (String) -> Void) {
    self.label = label
    self.write = write
  }

  public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  public func log(event: LogEvent) {
    var fields: [String: String] = [:]
    for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
      fields[key] = "\(value)"
    }
    fields["time"] = Self.timestamp()
    fields["level"] = event.level.rawValue
    fields["label"] = label
    fields["message"] = "\(event.message)"
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(fields) else { return }
    write(String(decoding: data, as: UTF8.self))
  }

  static func timestamp() -> String {
    Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true))
  }
}
