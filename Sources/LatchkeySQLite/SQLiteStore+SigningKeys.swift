public import Foundation
import GRDB
public import LatchkeyCore

extension SQLiteStore {
  /// Every key, oldest first.
  public func signingKeys() async throws -> [SigningKeyRecord] {
    try read("key") { db in
      try db.rows(
        "SELECT * FROM signing_keys ORDER BY created_at, kid", [], SigningKeyRecord.init(columns:))
    }
  }

  /// Returns the active key, inserting `candidate` as active when there is none. The IMMEDIATE
  /// transaction serializes two processes starting at once, and the partial unique index
  /// `signing_keys_one_active` refuses a second active key whatever happens.
  public func activeKeyInsertingIfNone(_ candidate: SigningKeyRecord) async throws
    -> SigningKeyRecord
  {
    try await commit("key") { db in
      if let active = try db.row(
        "SELECT * FROM signing_keys WHERE state = 'active'", [], SigningKeyRecord.init(columns:))
      {
        return active
      }
      var key = candidate
      key.state = .active
      try SigningKeyRow.insert(key, db)
      return key
    }
  }

  /// Demotes the active key to `published` (deactivated at `time`) and stores `key` as active,
  /// in one transaction; `StoreError.conflict("key")` when the kid exists.
  public func rotateSigningKey(to key: SigningKeyRecord, at time: Date) async throws {
    try await commit("key") { db in
      if try db.row("SELECT kid FROM signing_keys WHERE kid = ?", [key.kid]) != nil {
        throw StoreError.conflict("key")
      }
      try db.run(
        "UPDATE signing_keys SET state = 'published', deactivated_at = ? WHERE state = 'active'",
        [time.millis])
      var active = key
      active.state = .active
      try SigningKeyRow.insert(active, db)
    }
  }

  /// Sets a key's state; leaving `active` stamps `deactivated_at` (once), `retired` stamps
  /// `retired_at`. `StoreError.notFound("key")` when absent; making a second key active is a
  /// `StoreError.conflict("key")` (one active key at a time).
  public func setSigningKeyState(kid: String, to state: SigningKeyState, at time: Date)
    async throws
  {
    try await commit("key") { db in
      guard
        var key = try db.row(
          "SELECT * FROM signing_keys WHERE kid = ?", [kid], SigningKeyRecord.init(columns:))
      else { throw StoreError.notFound("key") }
      key.state = state
      if state != .active, key.deactivatedAt == nil { key.deactivatedAt = time }
      if state == .retired { key.retiredAt = time }
      try db.run(
        "UPDATE signing_keys SET state = ?, deactivated_at = ?, retired_at = ? WHERE kid = ?",
        [key.state.rawValue, key.deactivatedAt?.millis, key.retiredAt?.millis, kid])
    }
  }
}

/// Row mapping of `signing_keys`.
enum SigningKeyRow {
  /// Inserts a key; a taken kid, or a second active key, is a UNIQUE violation.
  static func insert(_ key: SigningKeyRecord, _ db: Database) throws {
    try db.run(
      """
      INSERT INTO signing_keys (kid, algorithm, private_key_pem, state, created_at,
        deactivated_at, retired_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      """,
      [
        key.kid, key.algorithm, key.privateKeyPEM, key.state.rawValue, key.createdAt.millis,
        key.deactivatedAt?.millis, key.retiredAt?.millis,
      ])
  }
}
