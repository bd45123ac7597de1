public import LatchkeyCore
import Logging

/// Writes tool-call records into any Core `AuditLog` (e.g. the authorization server's SQLite
/// store) as `mcp.tool_call` events. Store failures are logged and dropped.
public struct AuditLogToolCallSink: ToolCallAuditSink {
  private let log: any AuditLog
  private let logger = Logger(label: "latchkey.mcp.audit")

  /// A sink appending to `log`.
  public init(log: any AuditLog) {
    self.log = log
  }

  /// Appends `record` as an `mcp.tool_call` audit event.
  public func record(_ record: ToolCallAuditRecord) async {
    do {
      try await log.appendAudit(record.auditEvent)
    } catch {
      logger.error("audit append failed", metadata: ["error": "\(error)"])
    }
  }
}
