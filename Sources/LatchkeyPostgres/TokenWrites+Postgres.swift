import LatchkeyCore
import PostgresNIO

extension TokenWrites {
  /// Carries out a rule's writes inside the caller's transaction, which holds the grant and
  /// parent row locks the rule decided under. Marking a token rotated is also guarded by
  /// `rotated_at IS NULL`: a second line of defence against a rotation nobody locked out.
  ///
  /// The two plans every token request writes, a rotation (successor, mark, audit event) and a
  /// code redemption (first refresh token, audit event), go as one statement of data-modifying
  /// CTEs: one round trip instead of three or two, the same rows, in the same transaction.
  /// A rotation is the statement the unlocked path sends (`RotateIfUnchanged`): under this
  /// transaction's locks its conditions hold (the rule checked them on rows nobody else can
  /// change), so it writes all three rows, and a gate that failed anyway is corruption.
  func execute(_ db: PostgresSession) async throws {
    if revokeFamily == nil, let token = insertRefreshToken, let event = appendAudit {
      if let mark = markRotated {
        let rotation = RotateIfUnchanged(
          successor: token, mark: mark, event: event, grantID: token.grantID)
        guard try await db.writeIfGatePasses(rotation) else {
          throw StoreError.corrupt(RotateIfUnchanged.concern)
        }
        return
      }
      // No mark: a code redemption's first refresh token.
      let inserted = try await db.write(IssueFirstRefreshToken(token, event: event))
      guard let inserted, try inserted.int64("inserted") == 2 else {
        throw StoreError.corrupt("refresh token issuance")
      }
      return
    }
    if let token = insertRefreshToken { try await RefreshTokenRow.insert(token, db) }
    if let mark = markRotated {
      let changed = try await db.run(MarkRotated(mark))
      guard changed == 1 else { throw StoreError.corrupt("refresh token rotation") }
    }
    if let family = revokeFamily {
      try await GrantRow.revoke(
        id: family.grantID, at: family.revokedAt, reason: family.reason, db)
    }
    if let event = appendAudit { _ = try await AuditRow.insert(event, db) }
  }
}
