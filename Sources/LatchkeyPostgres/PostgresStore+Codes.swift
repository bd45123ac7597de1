public import Foundation
public import LatchkeyCore
import PostgresNIO

extension PostgresStore {
  /// Stores the grant and its code in one transaction; `StoreError.conflict("code")` when
  /// either already exists, `StoreError.notFound` when the grant's user or client does not.
  public func issueCode(_ code: AuthorizationCode, grant: Grant) async throws {
    try await transaction("code") { db in
      try await GrantRow.insert(grant, db)
      try await db.run(
        """
        INSERT INTO authorization_codes (code_hash, grant_id, client_id, user_id, resource,
          scopes, redirect_uri, redirect_uri_was_explicit, code_challenge, code_challenge_method,
          issued_at, expires_at, consumed_at)
        VALUES (\(code.codeHash), \(code.grantID), \(code.clientID), \(code.userID),
          \(code.resource), \(code.scopes.parameter), \(code.redirectURI),
          \(code.redirectURIWasExplicit), \(code.codeChallenge), \(code.codeChallengeMethod),
          \(code.issuedAt.millis), \(code.expiresAt.millis), \(code.consumedAt?.millis))
        """)
    }
  }

  /// Consumes the code with one conditional statement: the `UPDATE … WHERE consumed_at IS NULL
  /// AND expires_at > now RETURNING *` returns the row to exactly one of any number of
  /// concurrent callers (on any instance). The others, and every refusal, read the row and let
  /// `CodeConsumptionRule` say why.
  public func consumeCode(hash: String, at time: Date) async throws -> CodeConsumption {
    try await transaction("code") { db in
      if let row = try await CodeRow.consume(hash: hash, at: time, db) {
        return .consumed(try AuthorizationCode(columns: row))
      }
      return CodeConsumption(try await CodeRow.refusal(hash: hash, at: time, db))
    }
  }

  /// Consumes the code and executes the caller's plan in one transaction. The grant row is
  /// locked first (`FOR NO KEY UPDATE`, the lock revocation takes), so a grant revoked
  /// concurrently is either seen revoked here or revokes the new token after commit.
  public func redeemCode(
    hash: String, at time: Date,
    plan: @escaping @Sendable (AuthorizationCode, Grant) -> CodeRedemptionPlan
  ) async throws -> CodeRedemption {
    // The plan runs inside the transaction; the loan ends before this method returns, even
    // when the deadline answered first and the transaction is still winding down.
    let builder = BorrowedBuilder<(AuthorizationCode, Grant), CodeRedemptionPlan> {
      plan($0.0, $0.1)
    }
    defer { builder.revoke() }
    if let answer = try await redeemIfUnchanged(hash: hash, at: time, planning: builder) {
      return answer
    }
    return try await redeemCode(hash: hash, at: time, planning: builder)
  }

  /// The common case in two statements and no BEGIN/COMMIT: the code and its grant read
  /// without locks, `CodeConsumptionRule` applied to the code as this call would consume it,
  /// and the redemption written by one statement that consumes the code only if the rows are
  /// still as read (`RedeemIfUnchanged`): its effect is that of the locked transaction at the
  /// statement's instant. Nil leaves the decision to the locked transaction: an unknown,
  /// consumed or expired code, a grant no longer live, a plan that refuses or issues no
  /// refresh token (each still consumes the code), or rows that changed between the two
  /// statements (a concurrent redemption or revocation).
  private func redeemIfUnchanged(
    hash: String, at time: Date,
    planning plan: BorrowedBuilder<(AuthorizationCode, Grant), CodeRedemptionPlan>
  ) async throws -> CodeRedemption? {
    let read = try await transaction("token", explicit: false) { db in
      try await db.row(CodeWithGrant(key: hash))
    }
    guard let read else { return nil }
    let grant = try Grant(columns: read.prefixed("grant_"))
    guard
      case .consume(let consumed) = CodeConsumptionRule.decide(
        code: try AuthorizationCode(columns: read), now: time)
    else { return nil }
    let redemption = try CodeConsumptionRule.redemption(of: consumed, grant: grant, now: time) {
      try plan(($0, $1))
    }
    guard case .redeemed = redemption.answer, let token = redemption.writes.insertRefreshToken,
      let event = redemption.writes.appendAudit,
      redemption.writes == TokenWrites(insertRefreshToken: token, appendAudit: event)
    else { return nil }
    let redeemed = try await transaction("token", explicit: false) { db in
      try await db.writeIfGatePasses(
        RedeemIfUnchanged(
          codeHash: hash, at: time, grantID: grant.id, firstToken: token, event: event))
    }
    return redeemed ? redemption.answer : nil
  }

  private func redeemCode(
    hash: String, at time: Date,
    planning plan: BorrowedBuilder<(AuthorizationCode, Grant), CodeRedemptionPlan>
  ) async throws -> CodeRedemption {
    try await transaction("token") { db in
      // The code's grant, locked and read by one statement; the lock keeps it unchanged until
      // commit, so it is the grant the redemption decides on (no second read).
      let locked = try await db.row(GrantOfCodeForUpdate(key: hash))
        .map { try Grant(columns: $0) }
      guard let row = try await CodeRow.consume(hash: hash, at: time, db) else {
        return CodeRedemption(try await CodeRow.refusal(hash: hash, at: time, db))
      }
      let consumed = try AuthorizationCode(columns: row)
      let grant =
        locked?.id == consumed.grantID
        ? locked : try await GrantRow.fetch(id: consumed.grantID, db)
      let redemption = try CodeConsumptionRule.redemption(
        of: consumed, grant: grant, now: time
      ) { try plan(($0, $1)) }
      try await redemption.writes.execute(db)
      return redemption.answer
    }
  }

  /// Deletes codes whose expiry is before `time`; returns how many.
  public func deleteExpiredCodes(before time: Date) async throws -> Int {
    try await transaction("code") { db in
      try await db.run(
        "DELETE FROM authorization_codes WHERE expires_at < \(time.millis) RETURNING 1")
    }
  }
}

/// Row mapping of `authorization_codes`.
enum CodeRow {
  /// The conditional consumption: the row when this call consumed it, else nil.
  static func consume(hash: String, at time: Date, _ db: PostgresSession) async throws
    -> PostgresColumns?
  {
    try await db.row(ConsumeCode(hash: hash, at: time))
  }

  /// Why the code the conditional UPDATE did not consume is refused: its row, read again and
  /// judged by `CodeConsumptionRule`.
  static func refusal(hash: String, at time: Date, _ db: PostgresSession) async throws
    -> CodeRefusal
  {
    let code = try await db.row("SELECT * FROM authorization_codes WHERE code_hash = \(hash)")
      .map { try AuthorizationCode(columns: $0) }
    switch CodeConsumptionRule.decide(code: code, now: time) {
    case .refuse(let refusal): return refusal
    case .consume:
      // Unconsumed and unexpired, yet the UPDATE did not match: cannot happen unless the
      // row changed under us; never report a success that did not happen.
      throw StoreError.unavailable("authorization code changed concurrently")
    }
  }

}
