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
      "subject": .string(record.subject),
      "client_id": .string(record.clientID ?? "-"),
      "tool": .string(record.tool ?? "-"),
      "decision": .string(record.decision.rawValue),
      "outcome": .string(record.outcome),
      "resource": .string(record.resource),
    ]
    if let apiKey = record.apiKey {
      metadata["api_key_id"] = .string(apiKey.id)
      metadata["api_key_name"] = .string(apiKey.name)
    }
    if let latency = record.latency {
      metadata["latency_ms"] = .string(record.latencyMilliseconds(latency))
    }
    logger.info("tool call", metadata: metadata)
  }
}
