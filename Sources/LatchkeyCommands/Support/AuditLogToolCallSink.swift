public import LatchkeyCore
public import LatchkeyMCP
import Logging

/// Writes the MCP middleware's tool-call records into any Core `AuditLog` (the authorization
/// server's store, as `latchkey demo` does) as `mcp.tool_call` events. Store failures are
/// logged and dropped. It lives with the commands, not in `LatchkeyMCP`: it joins the
/// resource server to the authorization server's audit log, which only a program running both
/// does.
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
