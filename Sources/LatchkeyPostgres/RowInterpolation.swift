import LatchkeyCore
import PostgresNIO

/// The column lists and bound values of the rows token requests insert, and the rotation
/// mark's UPDATE, written once for every statement that carries them:
/// `INSERT INTO refresh_tokens \(refreshTokenRow: token)` alone, or inside the data-modifying
/// CTEs of `TokenWrites.execute`.
extension PostgresQuery.StringInterpolation {
  /// `(token_hash, …, revoked_at) VALUES ($n, …)` for `token`.
  mutating func appendInterpolation(refreshTokenRow token: RefreshToken) {
    appendLiteral(
      """
      (token_hash, grant_id, client_id, scopes, resource, issued_at, expires_at, parent_hash,
        rotated_at, successor_hash, revoked_at)
      VALUES (
      """)
    appendInterpolation(token.tokenHash)
    appendLiteral(", ")
    appendInterpolation(token.grantID)
    appendLiteral(", ")
    appendInterpolation(token.clientID)
    appendLiteral(", ")
    appendInterpolation(token.scopes.parameter)
    appendLiteral(", ")
    appendInterpolation(token.resource)
    appendLiteral(", ")
    appendInterpolation(token.issuedAt.millis)
    appendLiteral(", ")
    appendInterpolation(token.expiresAt.millis)
    appendLiteral(", ")
    appendInterpolation(token.parentHash)
    appendLiteral(", ")
    appendInterpolation(token.rotatedAt?.millis)
    appendLiteral(", ")
    appendInterpolation(token.successorHash)
    appendLiteral(", ")
    appendInterpolation(token.revokedAt?.millis)
    appendLiteral(")")
  }

  /// `(time, …, detail) VALUES ($n, …)` for `event` (the id is the identity column's).
  mutating func appendInterpolation(auditEventRow event: AuditEvent) {
    appendLiteral(
      """
      (time, type, outcome, user_id, client_id, resource, scopes, source_address, detail)
      VALUES (
      """)
    appendInterpolation(event.time.millis)
    appendLiteral(", ")
    appendInterpolation(event.type)
    appendLiteral(", ")
    appendInterpolation(event.outcome.rawValue)
    appendLiteral(", ")
    appendInterpolation(event.userID)
    appendLiteral(", ")
    appendInterpolation(event.clientID)
    appendLiteral(", ")
    appendInterpolation(event.resource)
    appendLiteral(", ")
    appendInterpolation(event.scopes?.parameter)
    appendLiteral(", ")
    appendInterpolation(event.sourceAddress)
    appendLiteral(", ")
    appendInterpolation(event.detail)
    appendLiteral(")")
  }

  /// `UPDATE refresh_tokens … RETURNING 1` marking `mark`'s token rotated, guarded by
  /// `rotated_at IS NULL` (a token is rotated once).
  mutating func appendInterpolation(markRotated mark: RotationMark) {
    appendLiteral("UPDATE refresh_tokens SET rotated_at = ")
    appendInterpolation(mark.rotatedAt.millis)
    appendLiteral(", successor_hash = ")
    appendInterpolation(mark.successorHash)
    appendLiteral(" WHERE token_hash = ")
    appendInterpolation(mark.tokenHash)
    appendLiteral(" AND rotated_at IS NULL RETURNING 1")
  }
}
