public import Foundation
import GRDB
public import LatchkeyCore

extension SQLiteStore {
  /// Stores the token if its grant is live at `token.issuedAt`, in one transaction;
  /// `StoreError.conflict("token")` when the hash exists.
  public func issueRefreshToken(_ token: RefreshToken) async throws -> RefreshTokenIssuance {
    try await commit("token") { db in
      guard let grant = try GrantRow.fetch(id: token.grantID, db), grant.isLive(at: token.issuedAt)
      else { return .grantNotLive }
      try RefreshTokenRow.insert(token, db)
      return .issued
    }
  }

  /// Rotates the token inside one IMMEDIATE transaction: reads the parent, its grant and its
  /// successor, applies `RefreshRotationRule.decide`, and on `.rotate` executes the caller's
  /// plan (a refusal changes nothing).
  public func rotateRefreshToken(
    hash: String, at time: Date, graceWindow: TimeInterval,
    plan: @escaping @Sendable (RefreshToken, Grant) -> RefreshRotationPlan
  ) async throws -> RefreshRotation {
    try await commit("token") { db in
      let parent = try RefreshTokenRow.fetch(hash: hash, db)
      let grant = try parent.flatMap { try GrantRow.fetch(id: $0.grantID, db) }
      let successor = try parent?.successorHash.flatMap { try RefreshTokenRow.fetch(hash: $0, db) }
      let decision = RefreshRotationRule.decide(
        parent: parent, grant: grant, successor: successor, now: time, graceWindow: graceWindow)
      switch (decision, parent, grant, successor) {
      case (.refuse(let reason), _, _, _):
        return .refused(reason)
      case (.replay, .some(let parent), .some(let grant), .some(let successor)):
        return .replayedWithinGrace(parent: parent, successor: successor, grant: grant)
      case (.revokeFamily, .some(let parent), _, _):
        try GrantRow.revoke(id: parent.grantID, at: time, reason: "refresh_token_reuse", db)
        return .reuseDetected(grantID: parent.grantID)
      case (.rotate, .some(var parent), .some(let grant), _):
        let writes: RefreshRotationWrites
        switch plan(parent, grant) {
        case .refuse(let error): return .requestRefused(error)
        case .rotate(let planned): writes = planned
        }
        try RefreshTokenRow.insert(writes.successor, db)
        try db.run(
          "UPDATE refresh_tokens SET rotated_at = ?, successor_hash = ? WHERE token_hash = ?",
          [time.millis, writes.successor.tokenHash, hash])
        if let event = writes.event { try AuditRow.insert(event, db) }
        parent.rotatedAt = time
        parent.successorHash = writes.successor.tokenHash
        return .rotated(parent: parent, grant: grant, writes: writes)
      default:
        // The rule only answers replay/revokeFamily/rotate with the rows it needs present.
        throw StoreError.corrupt("refresh token rotation")
      }
    }
  }

  /// The token with this hash, or nil.
  public func refreshToken(hash: String) async throws -> RefreshToken? {
    try read("token") { db in try RefreshTokenRow.fetch(hash: hash, db) }
  }

  /// Deletes tokens whose expiry is before `time`; returns how many.
  public func deleteExpiredRefreshTokens(before time: Date) async throws -> Int {
    try await commit("token") { db in
      try db.run("DELETE FROM refresh_tokens WHERE expires_at < ?", [time.millis])
    }
  }
}

/// Row mapping of `refresh_tokens`.
enum RefreshTokenRow {
  /// Inserts a token; a taken hash is a UNIQUE violation (mapped to `conflict("token")`).
  static func insert(_ token: RefreshToken, _ db: Database) throws {
    try db.run(
      """
      INSERT INTO refresh_tokens (token_hash, grant_id, client_id, scopes, resource, issued_at,
        expires_at, parent_hash, rotated_at, successor_hash, revoked_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      """,
      [
        token.tokenHash, token.grantID, token.clientID, token.scopes.parameter, token.resource,
        token.issuedAt.millis, token.expiresAt.millis, token.parentHash, token.rotatedAt?.millis,
        token.successorHash, token.revokedAt?.millis,
      ])
  }

  /// The token with this hash, or nil.
  static func fetch(hash: String, _ db: Database) throws -> RefreshToken? {
    try db.row("SELECT * FROM refresh_tokens WHERE token_hash = ?", [hash], decode)
  }

  /// A token from its row.
  static func decode(_ row: Row) throws -> RefreshToken {
    RefreshToken(
      tokenHash: try row.text("token_hash"), grantID: try row.text("grant_id"),
      clientID: try row.text("client_id"), scopes: try row.scopes("scopes"),
      resource: try row.text("resource"), issuedAt: try row.date("issued_at"),
      expiresAt: try row.date("expires_at"), parentHash: try row.optionalText("parent_hash"),
      rotatedAt: try row.optionalDate("rotated_at"),
      successorHash: try row.optionalText("successor_hash"),
      revokedAt: try row.optionalDate("revoked_at"))
  }
}
