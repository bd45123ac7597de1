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
      let code = try db.row(
        "SELECT * FROM authorization_codes WHERE code_hash = ?", [hash], CodeRow.decode)
      if let answer = CodeConsumptionRule.decide(code: code, now: time) { return answer }
      guard var consumed = code else { return .notFound }
      let changed = try db.run(
        """
        UPDATE authorization_codes SET consumed_at = ? WHERE code_hash = ? AND consumed_at IS NULL
        """, [time.millis, hash])
      guard changed == 1 else { return .alreadyUsed(grantID: consumed.grantID) }
      consumed.consumedAt = time
      return .consumed(consumed)
    }
  }

  /// Consumes the code and executes the caller's plan (its grant's first refresh token and the
  /// audit event, or nothing) in one IMMEDIATE transaction, one commit, deciding with
  /// `CodeConsumptionRule` like `consumeCode`.
  public func redeemCode(
    hash: String, at time: Date,
    plan: @escaping @Sendable (AuthorizationCode, Grant) -> CodeRedemptionPlan
  ) async throws -> CodeRedemption {
    try await commit("token") { db in
      let code = try db.row(
        "SELECT * FROM authorization_codes WHERE code_hash = ?", [hash], CodeRow.decode)
      switch CodeConsumptionRule.decide(code: code, now: time) {
      case .alreadyUsed(let grantID): return .alreadyUsed(grantID: grantID)
      case .expired: return .expired
      case .notFound, .consumed: return .notFound
      case nil: break
      }
      guard var consumed = code else { return .notFound }
      let changed = try db.run(
        """
        UPDATE authorization_codes SET consumed_at = ? WHERE code_hash = ? AND consumed_at IS NULL
        """, [time.millis, hash])
      guard changed == 1 else { return .alreadyUsed(grantID: consumed.grantID) }
      consumed.consumedAt = time
      guard let grant = try GrantRow.fetch(id: consumed.grantID, db), grant.isLive(at: time) else {
        return .grantNotLive(grantID: consumed.grantID)
      }
      switch plan(consumed, grant) {
      case .refuse(let error):
        return .requestRefused(consumed, error: error)
      case .issue(let token, let event):
        if let token { try RefreshTokenRow.insert(token, db) }
        if let event { try AuditRow.insert(event, db) }
        return .redeemed(consumed, grant: grant, refreshToken: token)
      }
    }
  }

  /// Deletes codes whose expiry is before `time`; returns how many.
  public func deleteExpiredCodes(before time: Date) async throws -> Int {
    try await commit("code") { db in
      try db.run("DELETE FROM authorization_codes WHERE expires_at < ?", [time.millis])
    }
  }
}

/// Row mapping of `authorization_codes`.
enum CodeRow {
  /// A code from its row.
  static func decode(_ row: Row) throws -> AuthorizationCode {
    AuthorizationCode(
      codeHash: try row.text("code_hash"), grantID: try row.text("grant_id"),
      clientID: try row.text("client_id"), userID: try row.text("user_id"),
      resource: try row.text("resource"), scopes: try row.scopes("scopes"),
      redirectURI: try row.text("redirect_uri"),
      redirectURIWasExplicit: try row.bool("redirect_uri_was_explicit"),
      codeChallenge: try row.text("code_challenge"),
      codeChallengeMethod: try row.text("code_challenge_method"),
      issuedAt: try row.date("issued_at"), expiresAt: try row.date("expires_at"),
      consumedAt: try row.optionalDate("consumed_at"))
  }
}
