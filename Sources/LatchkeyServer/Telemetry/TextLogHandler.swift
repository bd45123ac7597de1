import Foundation
public import Logging

/// swift-log's console line format (`StreamLogHandler`), written cheaply enough for one access
/// log line per request: `2026-12-05T08:05:15+0000 info latchkey: key=value … [module] message`.
///
/// Differences from `StreamLogHandler`: the timestamp is UTC (formatted once per second, see
/// `LogTimestamp`) and each line is one `write(2)` to standard error with no stdio lock or
/// flush. Metadata is sorted by key, as there.
public struct TextLogHandler: LogHandler {
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
    var line = LogTimestamp.console()
    line += " "
    line += event.level.rawValue
    line += " "
    line += label
    line += ":"
    let merged =
      event.metadata.map { explicit in metadata.merging(explicit) { $1 } } ?? metadata
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
    write(line)
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
