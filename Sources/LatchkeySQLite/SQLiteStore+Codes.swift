public import Foundation
import GRDB
public import LatchkeyCore

extension SQLiteStore {
  /// Stores the grant and its code in one transaction; `StoreError.conflict("code")` when
  /// either already exists, `StoreError.notFound` when the grant's user or client does not.
  public func issueCode(_ code: AuthorizationCode, grant: Grant) async throws {
    try await commit("code") { db in
      try GrantRow.insert(grant, db)
      try db.run(
        """
        INSERT INTO authorization_codes (code_hash, grant_id, client_id, user_id, resource,
          scopes, redirect_uri, redirect_uri_was_explicit, code_challenge, code_challenge_method,
          issued_at, expires_at, consumed_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
          code.codeHash, code.grantID, code.clientID, code.userID, code.resource,
          code.scopes.parameter, code.redirectURI, code.redirectURIWasExplicit,
          code.codeChallenge, code.codeChallengeMethod, code.issuedAt.millis,
          code.expiresAt.millis, code.consumedAt?.millis,
        ])
    }
  }

  /// Consumes the code once: reads it and lets `CodeConsumptionRule` decide inside one
  /// IMMEDIATE transaction, so of concurrent calls exactly one sees it unconsumed. The UPDATE
  /// is also guarded by `consumed_at IS NULL` as a second line of defence.
  public func consumeCode(hash: String, at time: Date) async throws -> CodeConsumption {
    try await commit("code") { db in
      switch CodeConsumptionRule.decide(code: try CodeRow.fetch(hash: hash, db), now: time) {
      case .refuse(let refusal): return CodeConsumption(refusal)
      case .consume(let consumed):
        guard try CodeRow.consume(consumed, db) else {
          return .alreadyUsed(grantID: consumed.grantID)
        }
        return .consumed(consumed)
      }
    }
  }

  /// Consumes the code like `consumeCode` and executes the write plan `CodeConsumptionRule`
  /// makes of its grant and the caller's plan (the first refresh token and the audit event, or
  /// nothing), in one IMMEDIATE transaction, one commit.
  public func redeemCode(
    hash: String, at time: Date,
    plan: @escaping @Sendable (AuthorizationCode, Grant) -> CodeRedemptionPlan
  ) async throws -> CodeRedemption {
    try await commit("token") { db in
      switch CodeConsumptionRule.decide(code: try CodeRow.fetch(hash: hash, db), now: time) {
      case .refuse(let refusal): return CodeRedemption(refusal)
      case .consume(let consumed):
        guard try CodeRow.consume(consumed, db) else {
          return .alreadyUsed(grantID: consumed.grantID)
        }
        let redemption = CodeConsumptionRule.redemption(
          of: consumed, grant: try GrantRow.fetch(id: consumed.grantID, db), now: time,
          request: plan)
        try redemption.writes.execute(db)
        return redemption.answer
      }
    }
  }

  /// Deletes codes whose expiry is before `time`, in pieces (`deleteInBatches`); returns how
  /// many.
  public func deleteExpiredCodes(before time: Date) async throws -> Int {
    try await deleteInBatches(
      "code", from: "authorization_codes", key: "code_hash", where: "expires_at < ?",
      [time.millis])
  }
}

/// Row access of `authorization_codes`.
enum CodeRow {
  /// The code with this hash, or nil.
  static func fetch(hash: String, _ db: Database) throws -> AuthorizationCode? {
    try db.row(
      "SELECT * FROM authorization_codes WHERE code_hash = ?", [hash],
      AuthorizationCode.init(columns:))
  }

  /// Marks the code consumed at its `consumedAt` unless it already is; whether it changed.
  static func consume(_ code: AuthorizationCode, _ db: Database) throws -> Bool {
    try db.run(
      "UPDATE authorization_codes SET consumed_at = ? WHERE code_hash = ? AND consumed_at IS NULL",
      [code.consumedAt?.millis, code.codeHash]) == 1
  }
}
