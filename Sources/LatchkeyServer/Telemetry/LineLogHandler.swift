import Foundation
import LatchkeyJOSE
public import Logging

/// How one log event becomes one line (without its newline).
public protocol LogLineFormat: Sendable {
  /// The line for `event`, with the handler's `metadata` under the event's own.
  static func line(label: String, metadata: Logger.Metadata, event: LogEvent) -> String
}

extension LogLineFormat {
  /// The handler's metadata with the event's own over it.
  static func merged(_ metadata: Logger.Metadata, _ event: LogEvent) -> Logger.Metadata {
    event.metadata.map { explicit in metadata.merging(explicit) { $1 } } ?? metadata
  }
}

/// A swift-log handler writing one line per event, formatted by `Format`: cheap enough for one
/// access log line per request (the timestamp is formatted once per second, see
/// `LogTimestamp`, and each line is one `write(2)` to standard error, so lines of concurrent
/// requests never interleave).
public struct LineLogHandler<Format: LogLineFormat>: LogHandler {
  public var metadata: Logger.Metadata = [:]
  public var logLevel: Logger.Level = .info
  let label: String
  let write: @Sendable (String) -> Void

  /// A handler writing to standard error.
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
    write(Format.line(label: label, metadata: metadata, event: event))
  }
}

/// swift-log's console format (`StreamLogHandler`): `2026-12-05T08:05:15+0000 info latchkey:
/// key=value … [module] message`, metadata sorted by key, the timestamp in UTC.
public typealias TextLogHandler = LineLogHandler<ConsoleLines>

/// One JSON object per line (`log_format: json`):
/// `{"label":"latchkey","level":"info","message":"…","time":"…", …metadata}`.
public typealias JSONLogHandler = LineLogHandler<JSONLines>

/// The format of `TextLogHandler`.
public enum ConsoleLines: LogLineFormat {
  public static func line(label: String, metadata: Logger.Metadata, event: LogEvent) -> String {
    var line = LogTimestamp.console()
    line += " "
    line += event.level.rawValue
    line += " "
    line += label
    line += ":"
    let merged = merged(metadata, event)
    for key in merged.keys.sorted() {
      line += " "
      line += key
      line += "="
      line += merged[key]!.description
    }
    line += " ["
    line += event.source
    line += "] "
    line += event.message.description
    return line
  }
}

/// The format of `JSONLogHandler`: metadata keys become top-level members; they never override
/// the four fixed ones. Latchkey never puts secrets in log metadata; no redaction is tried.
public enum JSONLines: LogLineFormat {
  public static func line(label: String, metadata: Logger.Metadata, event: LogEvent) -> String {
    var fields = merged(metadata, event).mapValues(\.description)
    fields["time"] = LogTimestamp.rfc3339()
    fields["level"] = event.level.rawValue
    fields["label"] = label
    fields["message"] = event.message.description
    // Sorted keys, no escaped slashes: what `JSONEncoder` with `.sortedKeys` and
    // `.withoutEscapingSlashes` writes, without an encoder per line.
    var writer = JSONWriter(capacity: 256)
    for key in fields.keys.sorted() { writer.add(key, fields[key]!) }
    return String(decoding: writer.finish(), as: UTF8.self)
  }
}

/// Where log lines go: one `write(2)` per line, so concurrent lines never interleave (writes
/// of up to `PIPE_BUF` bytes to a pipe are atomic; a file opened `O_APPEND` appends whole).
enum LogLineOutput {
  @Sendable static func standardError(_ line: String) {
    var bytes = Array(line.utf8)
    bytes.append(UInt8(ascii: "\n"))
    bytes.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let written = Foundation.write(2, buffer.baseAddress! + offset, buffer.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          return
        }
        offset += written
      }
    }
  }
}
