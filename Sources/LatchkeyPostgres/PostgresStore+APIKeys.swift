public import Foundation
public import LatchkeyCore
import PostgresNIO

extension PostgresStore {
  /// Inserts the key; `StoreError.conflict("api key")` when its id or hash is taken,
  /// `notFound("referenced row")` when its user or client does not exist.
  public func insertAPIKey(_ key: APIKey) async throws {
    try await transaction("api key") { db in try await APIKeyRow.insert(key, db) }
  }

  /// The key whose value hashes to `hash`, or nil.
  public func apiKey(hash: String) async throws -> APIKey? {
    try await transaction("api key") { db in
      try await db.row("SELECT * FROM api_keys WHERE key_hash = \(hash)").map(
        APIKey.init(columns:))
    }
  }

  /// The key with this public id, or nil.
  public func apiKey(id: String) async throws -> APIKey? {
    try await transaction("api key") { db in try await APIKeyRow.fetch(id: id, db) }
  }

  /// Every key, oldest first (ids in byte order, as SQLite).
  public func apiKeys() async throws -> [APIKey] {
    try await transaction("api key") { db in
      try await db.rows("SELECT * FROM api_keys ORDER BY created_at, id COLLATE \"C\"").map(
        APIKey.init(columns:))
    }
  }

  /// Revokes a live key; false when absent or revoked already.
  public func revokeAPIKey(id: String, at time: Date) async throws -> Bool {
    try await transaction("api key") { db in
      guard try await APIKeyRow.fetch(id: id, db) != nil else { return false }
      return try await db.run(
        """
        UPDATE api_keys SET revoked_at = \(time.millis)
        WHERE id = \(id) AND revoked_at IS NULL RETURNING id
        """) == 1
    }
  }

  /// Locks the key row, revokes it and inserts `replacement` in one transaction: two
  /// concurrent rotations of one key, on any instance, give one `rotated` and one
  /// `alreadyRevoked`.
  public func rotateAPIKey(id: String, replacement: APIKey, at time: Date) async throws
    -> APIKeyRotation
  {
    try await transaction("api key") { db in
      guard let key = try await APIKeyRow.fetch(id: id, lock: "FOR UPDATE", db) else {
        return .notFound
      }
      guard key.revokedAt == nil else { return .alreadyRevoked }
      try await db.run(
        "UPDATE api_keys SET revoked_at = \(time.millis) WHERE id = \(id) RETURNING id")
      try await APIKeyRow.insert(replacement, db)
      return .rotated
    }
  }

  /// Records a use unless one was recorded less than `interval` before.
  public func recordAPIKeyUse(id: String, at time: Date, interval: TimeInterval) async throws {
    let threshold = time.addingTimeInterval(-interval).millis
    try await transaction("api key") { db in
      guard try await APIKeyRow.fetch(id: id, db) != nil else { return }
      try await db.run(
        """
        UPDATE api_keys SET last_used_at = \(time.millis)
        WHERE id = \(id) AND (last_used_at IS NULL OR last_used_at <= \(threshold)) RETURNING id
        """)
    }
  }
}

/// Row mapping of `api_keys`.
enum APIKeyRow {
  static func insert(_ key: APIKey, _ db: PostgresSession) async throws {
    try await db.run(
      """
      INSERT INTO api_keys (id, key_hash, name, user_id, client_id, resource, scopes,
        created_at, expires_at, last_used_at, revoked_at)
      VALUES (\(key.id), \(key.keyHash), \(key.name), \(key.owner.userID),
        \(key.owner.clientID), \(key.resource), \(key.scopes.parameter),
        \(key.createdAt.millis), \(key.expiresAt.millis), \(key.lastUsedAt?.millis),
        \(key.revokedAt?.millis))
      """)
  }

  /// The key with this id, or nil; `lock` appends a row-lock clause (fixed text).
  static func fetch(id: String, lock: String = "", _ db: PostgresSession) async throws -> APIKey? {
    var query: PostgresQuery = "SELECT * FROM api_keys WHERE id = \(id) "
    query.sql += lock
    return try await db.row(query).map { try APIKey(columns: $0) }
  }
}
