public import Foundation
import GRDB
public import LatchkeyCore

extension SQLiteStore {
  /// Appends the event; ids come from AUTOINCREMENT so they only grow, even after pruning.
  /// Returns once the event is committed; appends that arrive together share one transaction
  /// (group commit, `GroupCommitWriter`), so concurrent requests do not each pay a commit.
  @discardableResult
  public func appendAudit(_ event: AuditEvent) async throws -> Int64 {
    try await commit("audit") { db in
      try AuditRow.insert(event, db)
      return db.lastInsertedRowID
    }
  }

  /// Events matching the query, oldest (lowest id) first, at most `query.limit`; with
  /// `newestFirst`, the newest `limit` events, newest first.
  public func auditEvents(matching query: AuditQuery) async throws -> [AuditEvent] {
    try read("audit") { db in
      let (condition, arguments) = AuditRow.condition(query)
      let order = query.newestFirst ? "DESC" : "ASC"
      return try db.rows(
        "SELECT * FROM audit_events WHERE \(condition) ORDER BY id \(order) LIMIT ?",
        arguments + [max(query.limit, 0)], AuditEvent.init(columns:))
    }
  }

  /// Deletes events older than `time`, in pieces (`deleteInBatches`); returns how many.
  public func pruneAudit(before time: Date) async throws -> Int {
    try await deleteInBatches(
      "audit", from: "audit_events", key: "id", where: "time < ?", [time.millis])
  }
}

/// Row mapping of `audit_events`.
enum AuditRow {
  /// Inserts `event` (its id comes from AUTOINCREMENT: `db.lastInsertedRowID`).
  static func insert(_ event: AuditEvent, _ db: Database) throws {
    try db.run(
      """
      INSERT INTO audit_events (time, type, outcome, user_id, client_id, resource, scopes,
        source_address, detail)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      """,
      [
        event.time.millis, event.type, event.outcome.rawValue, event.userID, event.clientID,
        event.resource, event.scopes?.parameter, event.sourceAddress, event.detail,
      ])
  }

  /// The WHERE clause of a query (same meaning as `AuditQuery.matches`); only fixed SQL text,
  /// values go in the arguments.
  static func condition(_ query: AuditQuery) -> (String, SQLArguments) {
    var clauses = ["1"]
    var arguments: SQLArguments = []
    func add(_ clause: String, _ value: (any DatabaseValueConvertible)?) {
      clauses.append(clause)
      arguments += [value]
    }
    if let since = query.since { add("time >= ?", since.millis) }
    if let until = query.until { add("time < ?", until.millis) }
    if let afterID = query.afterID { add("id > ?", afterID) }
    if let userID = query.userID { add("user_id = ?", userID) }
    if let clientID = query.clientID { add("client_id = ?", clientID) }
    if let resource = query.resource { add("resource = ?", resource) }
    if let type = query.type { add("type = ?", type) }
    if let outcome = query.outcome { add("outcome = ?", outcome.rawValue) }
    return (clauses.joined(separator: " AND "), arguments)
  }
}
