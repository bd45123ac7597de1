import LatchkeyCore

extension TokenWrites {
  /// Carries out a rule's writes inside the caller's transaction, which holds the grant and
  /// parent row locks the rule decided under. Marking a token rotated is also guarded by
  /// `rotated_at IS NULL`: a second line of defence against a rotation nobody locked out.
  func execute(_ db: PostgresSession) async throws {
    if let token = insertRefreshToken { try await RefreshTokenRow.insert(token, db) }
    if let mark = markRotated {
      let changed = try await db.run(
        """
        UPDATE refresh_tokens SET rotated_at = \(mark.rotatedAt.millis),
          successor_hash = \(mark.successorHash)
        WHERE token_hash = \(mark.tokenHash) AND rotated_at IS NULL RETURNING 1
        """)
      guard changed == 1 else { throw StoreError.corrupt("refresh token rotation") }
    }
    if let family = revokeFamily {
      try await GrantRow.revoke(
        id: family.grantID, at: family.revokedAt, reason: family.reason, db)
    }
    if let event = appendAudit { _ = try await AuditRow.insert(event, db) }
  }
}
