/// Where `tools/call` audit records go. Implementations must not throw into the request path:
/// a failing store logs and drops.
public protocol ToolCallAuditSink: Sendable {
  func record(_ record: ToolCallAuditRecord) async
}
