import Foundation

// The `user_identities` row, decoded once for every SQL store (`ColumnReader`).

extension UserIdentity {
  @inlinable package init(columns row: some ColumnReader) throws {
    self.init(
      provider: try row.text("provider"), subject: try row.text("subject"),
      userID: try row.text("user_id"), createdAt: try row.date("created_at"))
  }
}
