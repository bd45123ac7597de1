public import Foundation

/// The append-only audit trail.
public protocol AuditLog: Sendable {
  /// Appends and returns the id assigned.
  @discardableResult
  func appendAudit(_ event: AuditEvent) async throws -> Int64
  /// Events matching the query, oldest first.
  func auditEvents(matching query: AuditQuery) async throws -> [AuditEvent]
  /// Deletes events older than `time`; returns how many.
  func pruneAudit(before time: Date) async throws -> Int
}
