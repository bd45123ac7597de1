import Foundation
import LatchkeyJOSE
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

  /// A handler writing to standard error (one `write(2)` per line).
  public init(label: String) {
    self.init(label: label, write: LogLineOutput.standardError)
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
    for (key, value) in metadata {
      fields[key] = value.description
    }
    for (key, value) in event.metadata ?? [:] {
      fields[key] = value.description
    }
    fields["time"] = LogTimestamp.rfc3339()
    fields["level"] = event.level.rawValue
    fields["label"] = label
    fields["message"] = event.message.description
    // Sorted keys, no escaped slashes: what `JSONEncoder` with `.sortedKeys` and
    // `.withoutEscapingSlashes` writes, without an encoder per line.
    var writer = JSONWriter(capacity: 256)
    for key in fields.keys.sorted() { writer.add(key, fields[key]!) }
    write(String(decoding: writer.finish(), as: UTF8.self))
  }
}
