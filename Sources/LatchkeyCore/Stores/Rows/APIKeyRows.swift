import Foundation

// The `api_keys` row, decoded once for every SQL store (`ColumnReader`).

extension APIKey {
  /// A key from its `api_keys` row: exactly one of `user_id` and `client_id` is set.
  @inlinable package init(columns row: some ColumnReader) throws {
    let owner: APIKeyOwner
    switch (try row.optionalText("user_id"), try row.optionalText("client_id")) {
    case (let user?, nil): owner = .user(user)
    case (nil, let client?): owner = .client(client)
    default: throw StoreError.corrupt("api_keys owner")
    }
    self.init(
      id: try row.text("id"), keyHash: try row.text("key_hash"), name: try row.text("name"),
      owner: owner, resource: try row.text("resource"), scopes: try row.scopes("scopes"),
      createdAt: try row.date("created_at"), expiresAt: try row.date("expires_at"),
      lastUsedAt: try row.optionalDate("last_used_at"),
      revokedAt: try row.optionalDate("revoked_at"))
  }
}
