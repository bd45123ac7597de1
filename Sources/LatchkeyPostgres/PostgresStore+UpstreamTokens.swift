public import Foundation
public import LatchkeyCore
import PostgresNIO

extension PostgresStore {
  /// Stores a pending record, replacing an earlier pending record of the same interaction.
  public func insertUpstreamToken(_ record: UpstreamTokenRecord) async throws {
    try await transaction("upstream token") { db in
      if let interactionID = record.interactionID {
        try await db.run("DELETE FROM upstream_tokens WHERE interaction_id = \(interactionID)")
      }
      try await db.run(
        """
        INSERT INTO upstream_tokens (id, user_id, provider, grant_id, interaction_id, key_id,
          sealed, access_expires_at, version, created_at, updated_at)
        VALUES (\(record.id), \(record.userID), \(record.provider), \(record.grantID),
          \(record.interactionID), \(record.keyID), \(record.sealed),
          \(record.accessExpiresAt?.millis), \(Int64(record.version)),
          \(record.createdAt.millis), \(record.updatedAt.millis))
        """)
    }
  }

  /// Ties the interaction's pending record to the grant, replacing the grant's older one;
  /// the grant row is locked so two attachments to one grant serialize.
  public func attachUpstreamToken(interactionID: String, grantID: String, at time: Date)
    async throws -> Bool
  {
    try await transaction("upstream token") { db in
      guard
        try await db.row("SELECT id FROM grants WHERE id = \(grantID) FOR UPDATE") != nil,
        try await db.row(
          "SELECT id FROM upstream_tokens WHERE interaction_id = \(interactionID) FOR UPDATE")
          != nil
      else { return false }
      try await db.run("DELETE FROM upstream_tokens WHERE grant_id = \(grantID)")
      return try await db.run(
        """
        UPDATE upstream_tokens SET grant_id = \(grantID), interaction_id = NULL,
          updated_at = \(time.millis)
        WHERE interaction_id = \(interactionID) RETURNING id
        """) == 1
    }
  }

  /// The record tied to the grant, or nil.
  public func upstreamToken(grantID: String) async throws -> UpstreamTokenRecord? {
    try await transaction("upstream token") { db in
      try await db.row("SELECT * FROM upstream_tokens WHERE grant_id = \(grantID)").map(
        UpstreamTokenRecord.init(columns:))
    }
  }

  /// Compare-and-set on `version`.
  public func updateUpstreamToken(_ record: UpstreamTokenRecord, at time: Date) async throws
    -> Bool
  {
    try await transaction("upstream token") { db in
      try await db.run(
        """
        UPDATE upstream_tokens SET key_id = \(record.keyID), sealed = \(record.sealed),
          access_expires_at = \(record.accessExpiresAt?.millis), version = version + 1,
          updated_at = \(time.millis)
        WHERE id = \(record.id) AND version = \(Int64(record.version)) RETURNING id
        """) == 1
    }
  }

  /// Deletes stale pending records and records of dead grants.
  public func purgeUpstreamTokens(pendingCreatedBefore: Date, now: Date) async throws -> Int {
    try await transaction("upstream token") { db in
      try await db.run(
        """
        DELETE FROM upstream_tokens
        WHERE (grant_id IS NULL AND created_at < \(pendingCreatedBefore.millis))
          OR grant_id IN (SELECT id FROM grants
            WHERE revoked_at IS NOT NULL OR expires_at <= \(now.millis))
        RETURNING id
        """)
    }
  }

  /// Deletes the user's records (of one provider, or all).
  public func deleteUpstreamTokens(userID: String, provider: String?) async throws -> Int {
    try await transaction("upstream token") { db in
      if let provider {
        return try await db.run(
          """
          DELETE FROM upstream_tokens WHERE user_id = \(userID) AND provider = \(provider)
          RETURNING id
          """)
      }
      return try await db.run(
        "DELETE FROM upstream_tokens WHERE user_id = \(userID) RETURNING id")
    }
  }
}
