import Foundation
import LatchkeyJOSE
public import Logging

/// How one log event becomes one line (without its newline).
public protocol LogLineFormat: Sendable {
  /// The line for `event`, with the handler's `metadata` under the event's own.
  static func line(label: String, metadata: Logger.Metadata, event: LogEvent) -> String
}

extension LogLineFormat {
  /// The handler's metadata and the event's own as key/value pairs sorted by key, the event's
  /// value winning when both have a key, then `fixed` winning over both. Sorting one small array
  /// and dropping repeated keys costs less than merging dictionaries for every line.
  static func sortedFields(
    _ metadata: Logger.Metadata, _ event: LogEvent, fixed: [(String, String)] = []
  ) -> [(key: String, value: String)] {
    var ranked: [(key: String, rank: Int, value: String)] = []
    ranked.reserveCapacity(metadata.count + (event.metadata?.count ?? 0) + fixed.count)
    for (key, value) in metadata { ranked.append((key, 0, value.description)) }
    for (key, value) in event.metadata ?? [:] { ranked.append((key, 1, value.description)) }
    for (key, value) in fixed { ranked.append((key, 2, value)) }
    ranked.sort { $0.key != $1.key ? $0.key < $1.key : $0.rank > $1.rank }
    var fields: [(key: String, value: String)] = []
    fields.reserveCapacity(ranked.count)
    for field in ranked where fields.last?.key != field.key {
      fields.append((field.key, field.value))
    }
    return fields
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
    line.reserveCapacity(256)
    line += " "
    line += event.level.rawValue
    line += " "
    line += label
    line += ":"
    for field in sortedFields(metadata, event) {
      line += " "
      line += field.key
      line += "="
      line += field.value
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
    let fixed = [
      ("time", LogTimestamp.rfc3339()), ("level", event.level.rawValue), ("label", label),
      ("message", event.message.description),
    ]
    // Sorted keys, no escaped slashes: what `JSONEncoder` with `.sortedKeys` and
    // `.withoutEscapingSlashes` writes, without an encoder per line.
    var writer = JSONWriter(capacity: 256)
    for field in sortedFields(metadata, event, fixed: fixed) { writer.add(field.key, field.value) }
    return String(decoding: writer.finish(), as: UTF8.self)
  }
}

/// Where log lines go: one `write(2)` per line, so concurrent lines never interleave (writes
/// of up to `PIPE_BUF` bytes to a pipe are atomic; a file opened `O_APPEND` appends whole).
/// A write-behind buffer (lines of concurrent requests sharing one write from a writer queue)
/// was measured slower on 2 cores: waking the writer costs more than the write saves.
enum LogLineOutput {
  @Sendable static func standardError(_ line: String) {
    var line = line
    line += "\n"
    line.withUTF8 { buffer in
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
