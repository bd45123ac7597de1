public import LatchkeyCore
import Logging

/// Writes tool-call records into any Core `AuditLog` (e.g. the authorization server's SQLite
/// store) as `mcp.tool_call` events. Store failures are logged and dropped.
public struct AuditLogToolCallSink: ToolCallAuditSink {
  private let log: any AuditLog
  private let logger = Logger(label: "latchkey.mcp.audit")

  public init(log: any AuditLog) {
    self.log = log
  }

  public func record(_ record: ToolCallAuditRecord) async {
    do {
      try await log.appendAudit(record.auditEvent)
    } catch {
      logger.error("audit append failed", metadata: ["error": "\(error)"])
    }
  }
}
