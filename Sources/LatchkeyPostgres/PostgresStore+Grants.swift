public import Foundation
public import LatchkeyCore
import PostgresNIO

extension PostgresStore {
  /// The grant with this id, or nil.
  public func grant(id: String) async throws -> Grant? {
    try await transaction("grant") { db in try await GrantRow.fetch(id: id, db) }
  }

  /// The grants the filter matches, oldest first.
  public func grants(matching filter: GrantFilter) async throws -> [Grant] {
    try await transaction("grant") { db in
      try await db.rows(GrantRow.select(filter, tail: "ORDER BY created_at, id COLLATE \"C\""))
        .map(Grant.init(columns:))
    }
  }

  /// Revokes the grant and every refresh token of its family in one transaction; false when
  /// the grant is absent or already revoked.
  public func revokeGrant(id: String, at time: Date, reason: String) async throws -> Bool {
    try await transaction("grant") { db in
      try await GrantRow.revoke(id: id, at: time, reason: reason, db)
    }
  }

  /// Revokes every live grant the filter matches in one transaction; returns their ids, sorted.
  public func revokeGrants(matching filter: GrantFilter, at time: Date, reason: String)
    async throws -> [String]
  {
    try await transaction("grant") { db in
      var live = filter
      live.includeRevoked = false
      let ids = try await db.rows(
        GrantRow.select(filter: live, columns: "id", tail: "ORDER BY id COLLATE \"C\"")
      ).map { try $0.text("id") }
      var revoked: [String] = []
      for id in ids {
        if try await GrantRow.revoke(id: id, at: time, reason: reason, db) { revoked.append(id) }
      }
      return revoked
    }
  }
}

/// Row mapping of `grants`, and the revocation every path shares.
enum GrantRow {
  static func insert(_ grant: Grant, _ db: PostgresSession) async throws {
    try await db.run(
      """
      INSERT INTO grants (id, user_id, client_id, resource, scopes, created_at, expires_at,
        revoked_at, revocation_reason)
      VALUES (\(grant.id), \(grant.userID), \(grant.clientID), \(grant.resource),
        \(grant.scopes.parameter), \(grant.createdAt.millis), \(grant.expiresAt.millis),
        \(grant.revokedAt?.millis), \(grant.revocationReason))
      """)
  }

  /// The grant with this id, or nil; `lock` appends a row-lock clause (fixed text).
  static func fetch(id: String, lock: String = "", _ db: PostgresSession) async throws -> Grant? {
    var query: PostgresQuery = "SELECT * FROM grants WHERE id = \(id) "
    query.sql += lock
    return try await db.row(query).map { try Grant(columns: $0) }
  }

  /// Revokes a live grant and its refresh-token family; false when absent or already revoked.
  /// The UPDATE locks the grant row first, so a concurrent rotation or redemption (which lock
  /// it too) either finishes before and has its token revoked here, or starts after and sees
  /// the grant revoked.
  @discardableResult
  static func revoke(id: String, at time: Date, reason: String, _ db: PostgresSession)
    async throws -> Bool
  {
    let changed = try await db.run(
      """
      UPDATE grants SET revoked_at = \(time.millis), revocation_reason = \(reason)
      WHERE id = \(id) AND revoked_at IS NULL RETURNING id
      """)
    guard changed == 1 else { return false }
    try await db.run(
      """
      UPDATE refresh_tokens SET revoked_at = \(time.millis)
      WHERE grant_id = \(id) AND revoked_at IS NULL
      """)
    return true
  }

  /// A SELECT over grants for a filter; only fixed SQL text, values are binds.
  static func select(filter: GrantFilter, columns: String = "*", tail: String) -> PostgresQuery {
    var clauses = ["TRUE"]
    var binds = PostgresBindings()
    if let userID = filter.userID {
      binds.append(userID)
      clauses.append("user_id = $\(binds.count)")
    }
    if let clientID = filter.clientID {
      binds.append(clientID)
      clauses.append("client_id = $\(binds.count)")
    }
    if let resource = filter.resource {
      binds.append(resource)
      clauses.append("resource = $\(binds.count)")
    }
    if !filter.includeRevoked { clauses.append("revoked_at IS NULL") }
    return PostgresQuery(
      unsafeSQL:
        "SELECT \(columns) FROM grants WHERE \(clauses.joined(separator: " AND ")) \(tail)",
      binds: binds)
  }

  static func select(_ filter: GrantFilter, tail: String) -> PostgresQuery {
    select(filter: filter, tail: tail)
  }
}
