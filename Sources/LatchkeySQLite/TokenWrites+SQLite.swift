import GRDB
import LatchkeyCore

extension TokenWrites {
  /// Carries out a rule's writes inside the caller's IMMEDIATE transaction (SQLite's single
  /// writer: the rows read are still the rows written).
  func execute(_ db: Database) throws {
    if let token = insertRefreshToken { try RefreshTokenRow.insert(token, db) }
    if let mark = markRotated {
      try db.run(
        "UPDATE refresh_tokens SET rotated_at = ?, successor_hash = ? WHERE token_hash = ?",
        [mark.rotatedAt.millis, mark.successorHash, mark.tokenHash])
    }
    if let family = revokeFamily {
      try GrantRow.revoke(id: family.grantID, at: family.revokedAt, reason: family.reason, db)
    }
    if let event = appendAudit { try AuditRow.insert(event, db) }
  }
}
