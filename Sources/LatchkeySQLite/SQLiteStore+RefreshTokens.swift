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
  /// successor and executes the write plan `RefreshRotationRule` makes of them and of the
  /// caller's plan.
  public func rotateRefreshToken(
    hash: String, at time: Date, graceWindow: TimeInterval,
    plan: @escaping @Sendable (RefreshToken, Grant) -> RefreshRotationPlan
  ) async throws -> RefreshRotation {
    try await commit("token") { db in
      let parent = try RefreshTokenRow.fetch(hash: hash, db)
      let grant = try parent.flatMap { try GrantRow.fetch(id: $0.grantID, db) }
      let successor = try parent?.successorHash.flatMap { try RefreshTokenRow.fetch(hash: $0, db) }
      let rotation = RefreshRotationRule.plan(
        parent: parent, grant: grant, successor: successor, now: time, graceWindow: graceWindow,
        request: plan)
      try rotation.writes.execute(db)
      return rotation.answer
    }
  }

  /// The token with this hash, or nil.
  public func refreshToken(hash: String) async throws -> RefreshToken? {
    try read("token") { db in try RefreshTokenRow.fetch(hash: hash, db) }
  }

  /// Deletes tokens whose expiry is before `time`, in pieces (`deleteInBatches`); returns how
  /// many.
  public func deleteExpiredRefreshTokens(before time: Date) async throws -> Int {
    try await deleteInBatches(
      "token", from: "refresh_tokens", key: "token_hash", where: "expires_at < ?", [time.millis])
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
    try db.row(
      "SELECT * FROM refresh_tokens WHERE token_hash = ?", [hash], RefreshToken.init(columns:))
  }
}
