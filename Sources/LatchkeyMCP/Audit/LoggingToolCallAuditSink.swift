public import Logging

/// The default sink: one structured swift-log line per tool call.
public struct LoggingToolCallAuditSink: ToolCallAuditSink {
  /// Where the lines go.
  public let logger: Logger

  /// A sink logging to `logger` at `info`.
  public init(logger: Logger = Logger(label: "latchkey.mcp.audit")) {
    self.logger = logger
  }

  /// Logs `record` as one line with ids and outcome as metadata.
  public func record(_ record: ToolCallAuditRecord) async {
    var metadata: Logger.Metadata = [
      "event": "mcp.tool_call",
      "subject": "\(record.subject)",
      "client_id": "\(record.clientID ?? "-")",
      "tool": "\(record.tool ?? "-")",
      "decision": "\(record.decision.rawValue)",
      "outcome": "\(record.outcome)",
      "resource": "\(record.resource)",
    ]
    if let latency = record.latency {
      metadata["latency_ms"] = "\(record.latencyMilliseconds(latency))"
    }
    logger.info("tool call", metadata: metadata)
  }
}
