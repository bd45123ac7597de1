public import Foundation
public import LatchkeyCore
import PostgresNIO

extension PostgresStore {
  /// The advisory-lock key that serializes signing-key changes across instances and the CLI.
  static let signingKeyLock: Int64 = 0x6C6B_5F6B_6579_7321

  /// Every key, oldest first.
  public func signingKeys() async throws -> [SigningKeyRecord] {
    try await transaction("key") { db in
      try await db.rows("SELECT * FROM signing_keys ORDER BY created_at, kid COLLATE \"C\"")
        .map(SigningKeyRecord.init(columns:))
    }
  }

  /// Returns the active key, inserting `candidate` as active when there is none. The advisory
  /// lock serializes two instances starting at once; the partial unique index
  /// `signing_keys_one_active` refuses a second active key whatever happens.
  public func activeKeyInsertingIfNone(_ candidate: SigningKeyRecord) async throws
    -> SigningKeyRecord
  {
    try await transaction("key") { db in
      try await db.run("SELECT pg_advisory_xact_lock(\(Self.signingKeyLock))")
      if let active = try await db.row("SELECT * FROM signing_keys WHERE state = 'active'") {
        return try SigningKeyRecord(columns: active)
      }
      var key = candidate
      key.state = .active
      try await SigningKeyRow.insert(key, db)
      return key
    }
  }

  /// Demotes the active key to `published` and stores `key` as active, in one transaction;
  /// `StoreError.conflict("key")` when the kid exists.
  public func rotateSigningKey(to key: SigningKeyRecord, at time: Date) async throws {
    try await transaction("key") { db in
      try await db.run("SELECT pg_advisory_xact_lock(\(Self.signingKeyLock))")
      if try await db.row("SELECT kid FROM signing_keys WHERE kid = \(key.kid)") != nil {
        throw StoreError.conflict("key")
      }
      try await db.run(
        """
        UPDATE signing_keys SET state = 'published', deactivated_at = \(time.millis)
        WHERE state = 'active'
        """)
      var active = key
      active.state = .active
      try await SigningKeyRow.insert(active, db)
    }
  }

  /// Sets a key's state; leaving `active` stamps `deactivated_at` (once), `retired` stamps
  /// `retired_at`. `StoreError.notFound("key")` when absent; a second active key is a
  /// `StoreError.conflict("key")`.
  public func setSigningKeyState(kid: String, to state: SigningKeyState, at time: Date)
    async throws
  {
    try await transaction("key") { db in
      try await db.run("SELECT pg_advisory_xact_lock(\(Self.signingKeyLock))")
      guard
        var key = try await db.row("SELECT * FROM signing_keys WHERE kid = \(kid)")
          .map(SigningKeyRecord.init(columns:))
      else { throw StoreError.notFound("key") }
      key.state = state
      if state != .active, key.deactivatedAt == nil { key.deactivatedAt = time }
      if state == .retired { key.retiredAt = time }
      try await db.run(
        """
        UPDATE signing_keys SET state = \(key.state.rawValue),
          deactivated_at = \(key.deactivatedAt?.millis), retired_at = \(key.retiredAt?.millis)
        WHERE kid = \(kid)
        """)
    }
  }
}

/// Row mapping of `signing_keys`.
enum SigningKeyRow {
  static func insert(_ key: SigningKeyRecord, _ db: PostgresSession) async throws {
    try await db.run(
      """
      INSERT INTO signing_keys (kid, algorithm, private_key_pem, state, created_at,
        deactivated_at, retired_at)
      VALUES (\(key.kid), \(key.algorithm), \(key.privateKeyPEM), \(key.state.rawValue),
        \(key.createdAt.millis), \(key.deactivatedAt?.millis), \(key.retiredAt?.millis))
      """)
  }
}
