public import Foundation
public import LatchkeyCore
import PostgresNIO

extension PostgresStore {
  /// Appends the event; ids come from an identity column so they only grow, even after
  /// pruning (with several instances they order by commit of the sequence, not by time).
  @discardableResult
  public func appendAudit(_ event: AuditEvent) async throws -> Int64 {
    try await transaction("audit") { db in try await AuditRow.insert(event, db) }
  }

  /// Events matching the query, oldest (lowest id) first, at most `query.limit`; with
  /// `newestFirst`, the newest `limit` events, newest first.
  public func auditEvents(matching query: AuditQuery) async throws -> [AuditEvent] {
    try await transaction("audit") { db in
      try await db.rows(AuditRow.select(query)).map(AuditEvent.init(columns:))
    }
  }

  /// Deletes events older than `time`; returns how many.
  public func pruneAudit(before time: Date) async throws -> Int {
    try await transaction("audit") { db in
      try await db.run("DELETE FROM audit_events WHERE time < \(time.millis) RETURNING 1")
    }
  }
}

/// Row mapping of `audit_events`.
enum AuditRow {
  /// Inserts `event`; returns its id (from the identity column).
  static func insert(_ event: AuditEvent, _ db: PostgresSession) async throws -> Int64 {
    guard
      let row = try await db.row(InsertAuditEvent(event))
    else { throw StoreError.unavailable("audit insert returned no id") }
    return try row.int64("id")
  }

  /// The SELECT of a query (same meaning as `AuditQuery.matches`); only fixed SQL text, values
  /// are binds.
  static func select(_ query: AuditQuery) -> PostgresQuery {
    var clauses = ["TRUE"]
    var binds = PostgresBindings()
    func add(_ column: String, _ op: String, _ value: String) {
      binds.append(value)
      clauses.append("\(column) \(op) $\(binds.count)")
    }
    func add(_ column: String, _ op: String, _ value: Int64) {
      binds.append(value)
      clauses.append("\(column) \(op) $\(binds.count)")
    }
    if let since = query.since { add("time", ">=", since.millis) }
    if let until = query.until { add("time", "<", until.millis) }
    if let afterID = query.afterID { add("id", ">", afterID) }
    if let userID = query.userID { add("user_id", "=", userID) }
    if let clientID = query.clientID { add("client_id", "=", clientID) }
    if let resource = query.resource { add("resource", "=", resource) }
    if let type = query.type { add("type", "=", type) }
    if let outcome = query.outcome { add("outcome", "=", outcome.rawValue) }
    binds.append(Int64(max(query.limit, 0)))
    let order = query.newestFirst ? "DESC" : "ASC"
    return PostgresQuery(
      unsafeSQL: """
        SELECT * FROM audit_events WHERE \(clauses.joined(separator: " AND "))
        ORDER BY id \(order) LIMIT $\(binds.count)
        """, binds: binds)
  }
}
