import Foundation
import LatchkeyCommands
import LatchkeyCore
import LatchkeyMCP
import LatchkeyTestSupport
import Testing

@Suite struct AuditLogToolCallSinkTests {
  static let time = Date(timeIntervalSince1970: 1_800_000_000)
  static let resource = "https://mcp.example/mcp"

  /// Tool-call records land in any Core `AuditLog` (here the in-memory store; the AS's SQLite
  /// store is the same protocol) as `mcp.tool_call` events without token material.
  @Test func auditLogSinkStoresToolCallEvents() async throws {
    let store = InMemoryStore()
    let sink = AuditLogToolCallSink(log: store)
    await sink.record(
      ToolCallAuditRecord(
        time: Self.time, subject: "alice", clientID: "client-1",
        resource: Self.resource, tool: "add_note", decision: .allowed,
        latency: .milliseconds(3), outcome: "http_200"))
    await sink.record(
      ToolCallAuditRecord(
        time: Self.time, subject: "alice", clientID: "client-1",
        resource: Self.resource, tool: "delete_note", decision: .denied, latency: nil,
        outcome: "http_403"))
    let events = try await store.auditEvents(matching: AuditQuery(type: "mcp.tool_call"))
    #expect(events.map(\.outcome) == [.success, .failure])
    #expect(events.map(\.userID) == ["alice", "alice"])
    #expect(events.map(\.clientID) == ["client-1", "client-1"])
    #expect(events.map(\.resource) == [Self.resource, Self.resource])
    #expect(
      events.map(\.detail) == [
        "tool=add_note decision=allowed outcome=http_200 latency_ms=3.000",
        "tool=delete_note decision=denied outcome=http_403",
      ])
  }
}
