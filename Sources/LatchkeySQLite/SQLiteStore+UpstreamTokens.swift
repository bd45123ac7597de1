public import Foundation
import GRDB
public import LatchkeyCore

extension SQLiteStore {
  /// Stores a pending record, replacing an earlier pending record of the same interaction.
  public func insertUpstreamToken(_ record: UpstreamTokenRecord) async throws {
    try await commit("upstream token") { db in
      if let interactionID = record.interactionID {
        try db.run("DELETE FROM upstream_tokens WHERE interaction_id = ?", [interactionID])
      }
      try db.run(
        """
        INSERT INTO upstream_tokens (id, user_id, provider, grant_id, interaction_id, key_id,
          sealed, access_expires_at, version, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
          record.id, record.userID, record.provider, record.grantID, record.interactionID,
          record.keyID, record.sealed, record.accessExpiresAt?.millis, Int64(record.version),
          record.createdAt.millis, record.updatedAt.millis,
        ])
    }
  }

  /// Ties the interaction's pending record to the grant, replacing the grant's older one.
  public func attachUpstreamToken(interactionID: String, grantID: String, at time: Date)
    async throws -> Bool
  {
    try await commit("upstream token") { db in
      guard
        try db.row(
          "SELECT id FROM upstream_tokens WHERE interaction_id = ?", [interactionID], { _ in true }
        ) == true,
        try db.row("SELECT id FROM grants WHERE id = ?", [grantID], { _ in true }) == true
      else { return false }
      try db.run("DELETE FROM upstream_tokens WHERE grant_id = ?", [grantID])
      return try db.run(
        """
        UPDATE upstream_tokens SET grant_id = ?, interaction_id = NULL, updated_at = ?
        WHERE interaction_id = ?
        """, [grantID, time.millis, interactionID]) == 1
    }
  }

  /// The record tied to the grant, or nil.
  public func upstreamToken(grantID: String) async throws -> UpstreamTokenRecord? {
    try read("upstream token") { db in
      try db.row(
        "SELECT * FROM upstream_tokens WHERE grant_id = ?", [grantID],
        UpstreamTokenRecord.init(columns:))
    }
  }

  /// Compare-and-set on `version`.
  public func updateUpstreamToken(_ record: UpstreamTokenRecord, at time: Date) async throws
    -> Bool
  {
    try await commit("upstream token") { db in
      try db.run(
        """
        UPDATE upstream_tokens SET key_id = ?, sealed = ?, access_expires_at = ?,
          version = version + 1, updated_at = ?
        WHERE id = ? AND version = ?
        """,
        [
          record.keyID, record.sealed, record.accessExpiresAt?.millis, time.millis, record.id,
          Int64(record.version),
        ]) == 1
    }
  }

  /// Deletes stale pending records and records of dead grants, in pieces
  /// (`deleteInBatches`).
  public func purgeUpstreamTokens(pendingCreatedBefore: Date, now: Date) async throws -> Int {
    try await deleteInBatches(
      "upstream token", from: "upstream_tokens", key: "id",
      where: """
        (grant_id IS NULL AND created_at < ?)
          OR grant_id IN (SELECT id FROM grants WHERE revoked_at IS NOT NULL OR expires_at <= ?)
        """, [pendingCreatedBefore.millis, now.millis])
  }

  /// Deletes the user's records (of one provider, or all).
  public func deleteUpstreamTokens(userID: String, provider: String?) async throws -> Int {
    try await commit("upstream token") { db in
      if let provider {
        return try db.run(
          "DELETE FROM upstream_tokens WHERE user_id = ? AND provider = ?", [userID, provider])
      }
      return try db.run("DELETE FROM upstream_tokens WHERE user_id = ?", [userID])
    }
  }
}
