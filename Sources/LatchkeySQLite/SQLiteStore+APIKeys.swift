public import Foundation
import GRDB
public import LatchkeyCore

extension SQLiteStore {
  /// Inserts the key; `StoreError.conflict("api key")` when its id or hash is taken,
  /// `notFound("referenced row")` when its user or client does not exist.
  public func insertAPIKey(_ key: APIKey) async throws {
    try await commit("api key") { db in try APIKeyRow.insert(key, db) }
  }

  /// The key whose value hashes to `hash`, or nil.
  public func apiKey(hash: String) async throws -> APIKey? {
    try read("api key") { db in
      try db.row("SELECT * FROM api_keys WHERE key_hash = ?", [hash], APIKey.init(columns:))
    }
  }

  /// The key with this public id, or nil.
  public func apiKey(id: String) async throws -> APIKey? {
    try read("api key") { db in
      try db.row("SELECT * FROM api_keys WHERE id = ?", [id], APIKey.init(columns:))
    }
  }

  /// Every key, oldest first.
  public func apiKeys() async throws -> [APIKey] {
    try read("api key") { db in
      try db.rows("SELECT * FROM api_keys ORDER BY created_at, id", [], APIKey.init(columns:))
    }
  }

  /// Revokes a live key; false when absent or revoked already.
  public func revokeAPIKey(id: String, at time: Date) async throws -> Bool {
    try await commit("api key") { db in try APIKeyRow.revoke(id: id, at: time, db) }
  }

  /// Revokes `id` and inserts `replacement` in one savepoint: both or neither.
  public func rotateAPIKey(id: String, replacement: APIKey, at time: Date) async throws
    -> APIKeyRotation
  {
    try await commit("api key") { db in
      guard let key = try db.row("SELECT * FROM api_keys WHERE id = ?", [id], APIKey.init(columns:))
      else { return .notFound }
      guard key.revokedAt == nil, try APIKeyRow.revoke(id: id, at: time, db) else {
        return .alreadyRevoked
      }
      try APIKeyRow.insert(replacement, db)
      return .rotated
    }
  }

  /// Records a use unless one was recorded less than `interval` before.
  public func recordAPIKeyUse(id: String, at time: Date, interval: TimeInterval) async throws {
    let threshold = time.addingTimeInterval(-interval).millis
    try await commit("api key") { db in
      guard try db.row("SELECT id FROM api_keys WHERE id = ?", [id]) != nil else { return }
      try db.run(
        """
        UPDATE api_keys SET last_used_at = ?1
        WHERE id = ?2 AND (last_used_at IS NULL OR last_used_at <= ?3)
        """, [time.millis, id, threshold])
    }
  }
}

/// Row mapping of `api_keys`.
enum APIKeyRow {
  static func insert(_ key: APIKey, _ db: Database) throws {
    try db.run(
      """
      INSERT INTO api_keys (id, key_hash, name, user_id, client_id, resource, scopes,
        created_at, expires_at, last_used_at, revoked_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      """,
      [
        key.id, key.keyHash, key.name, key.owner.userID, key.owner.clientID, key.resource,
        key.scopes.parameter, key.createdAt.millis, key.expiresAt.millis, key.lastUsedAt?.millis,
        key.revokedAt?.millis,
      ])
  }

  /// Sets `revoked_at` on a live key; a lookup first, so an id holding NUL finds nothing.
  static func revoke(id: String, at time: Date, _ db: Database) throws -> Bool {
    guard try db.row("SELECT id FROM api_keys WHERE id = ?", [id]) != nil else { return false }
    return try db.run(
      "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", [time.millis, id])
      == 1
  }
}
