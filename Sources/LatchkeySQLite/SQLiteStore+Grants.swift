public import Foundation
import GRDB
public import LatchkeyCore

extension SQLiteStore {
  /// The grant with this id, or nil.
  public func grant(id: String) async throws -> Grant? {
    try read("grant") { db in try GrantRow.fetch(id: id, db) }
  }

  /// The grants the filter matches, oldest first.
  public func grants(matching filter: GrantFilter) async throws -> [Grant] {
    try read("grant") { db in
      let (condition, arguments) = GrantRow.condition(filter)
      return try db.rows(
        "SELECT * FROM grants WHERE \(condition) ORDER BY created_at, id", arguments,
        Grant.init(columns:))
    }
  }

  /// Revokes the grant and every refresh token of its family in one transaction; false when
  /// the grant is absent or already revoked.
  public func revokeGrant(id: String, at time: Date, reason: String) async throws -> Bool {
    try await commit("grant") { db in try GrantRow.revoke(id: id, at: time, reason: reason, db) }
  }

  /// Revokes every live grant the filter matches in one transaction; returns their ids, sorted.
  public func revokeGrants(matching filter: GrantFilter, at time: Date, reason: String)
    async throws -> [String]
  {
    try await commit("grant") { db in
      var live = filter
      live.includeRevoked = false
      let (condition, arguments) = GrantRow.condition(live)
      guard !arguments.holdsNUL else { return [] }
      let ids = try String.fetchAll(
        db.cachedStatement(sql: "SELECT id FROM grants WHERE \(condition) ORDER BY id"),
        arguments: arguments.statementArguments)
      for id in ids { try GrantRow.revoke(id: id, at: time, reason: reason, db) }
      return ids
    }
  }
}

/// Row mapping of `grants`, and the revocation every path shares.
enum GrantRow {
  /// Inserts a grant; a taken id is a UNIQUE violation.
  static func insert(_ grant: Grant, _ db: Database) throws {
    try db.run(
      """
      INSERT INTO grants (id, user_id, client_id, resource, scopes, created_at, expires_at,
        revoked_at, revocation_reason)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      """,
      [
        grant.id, grant.userID, grant.clientID, grant.resource, grant.scopes.parameter,
        grant.createdAt.millis, grant.expiresAt.millis, grant.revokedAt?.millis,
        grant.revocationReason,
      ])
  }

  /// The grant with this id, or nil.
  static func fetch(id: String, _ db: Database) throws -> Grant? {
    try db.row("SELECT * FROM grants WHERE id = ?", [id], Grant.init(columns:))
  }

  /// Revokes a live grant and its refresh-token family; false when absent or already revoked.
  @discardableResult
  static func revoke(id: String, at time: Date, reason: String, _ db: Database) throws -> Bool {
    let changed = try db.run(
      """
      UPDATE grants SET revoked_at = ?, revocation_reason = ? WHERE id = ? AND revoked_at IS NULL
      """, [time.millis, reason, id])
    guard changed == 1 else { return false }
    try db.run(
      "UPDATE refresh_tokens SET revoked_at = ? WHERE grant_id = ? AND revoked_at IS NULL",
      [time.millis, id])
    return true
  }

  /// The WHERE clause of a filter; only fixed SQL text, values go in the arguments.
  static func condition(_ filter: GrantFilter) -> (String, SQLArguments) {
    var clauses = ["1"]
    var arguments: SQLArguments = []
    if let userID = filter.userID {
      clauses.append("user_id = ?")
      arguments += [userID]
    }
    if let clientID = filter.clientID {
      clauses.append("client_id = ?")
      arguments += [clientID]
    }
    if let resource = filter.resource {
      clauses.append("resource = ?")
      arguments += [resource]
    }
    if !filter.includeRevoked { clauses.append("revoked_at IS NULL") }
    return (clauses.joined(separator: " AND "), arguments)
  }
}
