public import Foundation
public import LatchkeyCore
import PostgresNIO

/// Authorization interactions and trusted devices in the database, so every instance sees the
/// same ones: a browser may post its consent form to another instance than the one that showed
/// it, and a completed interaction is completed everywhere.
extension PostgresStore {
  public func startInteraction(hash: String, interaction: StoredInteraction) async throws {
    try await transaction("interaction") { db in
      try await db.run(
        """
        INSERT INTO authorization_interactions
          (interaction_hash, browser_hash, user_id, parameters, expires_at, completed)
        VALUES (\(hash), \(interaction.browserHash), \(interaction.userID),
          \(interaction.parameters), \(interaction.expiresAt.millis), FALSE)
        """)
    }
  }

  public func interaction(hash: String, at now: Date) async throws -> InteractionStatus {
    try await transaction("interaction") { db in
      guard
        let row = try await db.row(
          """
          SELECT browser_hash, user_id, parameters, expires_at, completed
          FROM authorization_interactions
          WHERE interaction_hash = \(hash) AND expires_at > \(now.millis)
          """)
      else { return .expired }
      if try row.bool("completed") { return .completed }
      return .pending(
        StoredInteraction(
          browserHash: try row.text("browser_hash"), userID: try row.optionalText("user_id"),
          parameters: try row.text("parameters"), expiresAt: try row.date("expires_at")))
    }
  }

  public func bindInteraction(hash: String, userID: String, at now: Date) async throws -> Bool {
    try await transaction("interaction") { db in
      try await db.row(
        """
        UPDATE authorization_interactions SET user_id = \(userID)
        WHERE interaction_hash = \(hash) AND NOT completed AND expires_at > \(now.millis)
        RETURNING interaction_hash
        """) != nil
    }
  }

  /// One conditional UPDATE: of concurrent decisions on any instance, exactly one finds the
  /// row still pending.
  public func completeInteraction(hash: String, at now: Date) async throws -> Bool {
    try await transaction("interaction") { db in
      try await db.row(
        """
        UPDATE authorization_interactions SET completed = TRUE
        WHERE interaction_hash = \(hash) AND NOT completed AND expires_at > \(now.millis)
        RETURNING interaction_hash
        """) != nil
    }
  }

  public func trustDevice(hash: String, expiresAt: Date) async throws {
    try await transaction("trusted device") { db in
      try await db.run(
        """
        INSERT INTO trusted_devices (device_hash, expires_at)
        VALUES (\(hash), \(expiresAt.millis))
        ON CONFLICT (device_hash) DO UPDATE SET expires_at = excluded.expires_at
        """)
    }
  }

  public func isTrustedDevice(hash: String, at now: Date) async throws -> Bool {
    try await transaction("trusted device") { db in
      try await db.row(
        """
        SELECT device_hash FROM trusted_devices
        WHERE device_hash = \(hash) AND expires_at > \(now.millis)
        """) != nil
    }
  }

  /// One INSERT that succeeds only when no live row holds the hash: of concurrent replays on
  /// any instance exactly one is first.
  public func recordClientAssertion(hash: String, expiresAt: Date, at now: Date) async throws
    -> Bool
  {
    try await transaction("client assertion") { db in
      try await db.run(
        "DELETE FROM client_assertion_ids WHERE assertion_hash = \(hash) AND expires_at <= \(now.millis)"
      )
      return try await db.row(
        """
        INSERT INTO client_assertion_ids (assertion_hash, expires_at)
        VALUES (\(hash), \(expiresAt.millis))
        ON CONFLICT (assertion_hash) DO NOTHING
        RETURNING assertion_hash
        """) != nil
    }
  }
}
