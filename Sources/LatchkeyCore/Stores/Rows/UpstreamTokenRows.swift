import Foundation

// The `upstream_tokens` row, decoded once for every SQL store (`ColumnReader`).

extension UpstreamTokenRecord {
  @inlinable package init(columns row: some ColumnReader) throws {
    self.init(
      id: try row.text("id"), userID: try row.text("user_id"),
      provider: try row.text("provider"), grantID: try row.optionalText("grant_id"),
      interactionID: try row.optionalText("interaction_id"), keyID: try row.text("key_id"),
      sealed: try row.text("sealed"), accessExpiresAt: try row.optionalDate("access_expires_at"),
      version: try row.int("version"), createdAt: try row.date("created_at"),
      updatedAt: try row.date("updated_at"))
  }
}
