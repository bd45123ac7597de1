public import Foundation
import GRDB
public import LatchkeyCore

extension SQLiteStore {
  /// Inserts the client and its redirect URIs; `StoreError.conflict("client")` when the id is
  /// taken.
  public func insertClient(_ client: Client) async throws {
    try await commit("client") { db in
      // Idempotent DCR: the check and the insert share the write transaction, so two identical
      // registrations racing each other cannot both insert (the loser gets `conflict`).
      if let fingerprint = client.metadataFingerprint,
        try db.row("SELECT id FROM clients WHERE metadata_fingerprint = ?", [fingerprint]) != nil
      {
        throw StoreError.conflict("client")
      }
      try db.run(
        """
        INSERT INTO clients (id, name, origin, grant_types, token_endpoint_auth_method,
          application_type, allowed_scopes, secret_hash, software_id, software_version,
          metadata_fingerprint, client_uri, logo_uri, created_at, last_used_at, jwks, jwks_uri,
          previous_secret_hash, previous_secret_expires_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """, try ClientRow.arguments(client))
      try ClientRow.insertRedirectURIs(of: client, db)
    }
  }

  /// The client with this id, or nil. The token endpoint reads a client on every request, so
  /// this is one statement (the client joined with its redirect URIs) without BEGIN/COMMIT:
  /// a single SELECT reads one snapshot by itself (`readStatement`).
  public func client(id: String) async throws -> Client? {
    try readStatement("client") { db in try ClientRow.fetch(id: id, db) }
  }

  /// The earliest client registered with this metadata fingerprint (idempotent DCR).
  public func client(metadataFingerprint: String) async throws -> Client? {
    try read("client") { db in
      try db.row(
        "SELECT * FROM clients WHERE metadata_fingerprint = ? ORDER BY created_at, id LIMIT 1",
        [metadataFingerprint]
      ) { try ClientRow.decode($0, db) }
    }
  }

  /// Every client, oldest first.
  public func clients() async throws -> [Client] {
    try read("client") { db in
      try db.rows("SELECT * FROM clients ORDER BY created_at, id") {
        try ClientRow.decode($0, db)
      }
    }
  }

  /// Replaces the client's fields and redirect URIs; `StoreError.notFound("client")` when absent.
  public func updateClient(_ client: Client) async throws {
    try await commit("client") { db in
      let changed = try db.run(
        """
        UPDATE clients SET name = ?2, origin = ?3, grant_types = ?4,
          token_endpoint_auth_method = ?5, application_type = ?6, allowed_scopes = ?7,
          secret_hash = ?8, software_id = ?9, software_version = ?10,
          metadata_fingerprint = ?11, client_uri = ?12, logo_uri = ?13, created_at = ?14,
          last_used_at = ?15, jwks = ?16, jwks_uri = ?17, previous_secret_hash = ?18,
          previous_secret_expires_at = ?19
        WHERE id = ?1
        """, try ClientRow.arguments(client))
      guard changed == 1 else { throw StoreError.notFound("client") }
      try db.run("DELETE FROM client_redirect_uris WHERE client_id = ?", [client.id])
      try ClientRow.insertRedirectURIs(of: client, db)
    }
  }

  /// Deletes the client; the foreign keys cascade to its grants (hence codes and refresh
  /// tokens), consents and redirect URIs. `StoreError.notFound("client")` when absent.
  public func deleteClient(id: String) async throws {
    try await commit("client") { db in
      guard try db.run("DELETE FROM clients WHERE id = ?", [id]) == 1 else {
        throw StoreError.notFound("client")
      }
    }
  }

  /// Records that the client was used; silently nothing when it does not exist (as in memory).
  public func recordClientUse(id: String, at time: Date) async throws {
    try await commit("client") { db in
      try db.run("UPDATE clients SET last_used_at = ? WHERE id = ?", [time.millis, id])
    }
  }

  /// Deletes dynamic clients unused since `idleSince` that hold no grant live at `now`
  /// (live: not revoked and `now < expires_at`); returns their ids, sorted.
  public func deleteIdleDynamicClients(idleSince: Date, now: Date) async throws -> [String] {
    try await commit("client") { db in
      let ids = try String.fetchAll(
        db.cachedStatement(
          sql: """
            SELECT id FROM clients AS c
            WHERE origin = 'dynamic' AND COALESCE(last_used_at, created_at) < ?
              AND NOT EXISTS (
                SELECT 1 FROM grants AS g
                WHERE g.client_id = c.id AND g.revoked_at IS NULL AND g.expires_at > ?)
            ORDER BY id
            """), arguments: [idleSince.millis, now.millis])
      for id in ids { try db.run("DELETE FROM clients WHERE id = ?", [id]) }
      return ids
    }
  }
}

/// Row mapping of `clients` and `client_redirect_uris`.
enum ClientRow {
  /// Positional arguments in column order (id first), shared by INSERT and UPDATE.
  static func arguments(_ client: Client) throws -> SQLArguments {
    [
      client.id, client.name, client.origin.rawValue, try JSONColumn.encode(client.grantTypes),
      client.tokenEndpointAuthMethod.rawValue, client.applicationType.rawValue,
      client.allowedScopes.parameter, client.secretHash, client.softwareID,
      client.softwareVersion, client.metadataFingerprint, client.clientURI, client.logoURI,
      client.createdAt.millis, client.lastUsedAt?.millis, client.jwks, client.jwksURI,
      client.previousSecretHash, client.previousSecretExpiresAt?.millis,
    ]
  }

  /// Stores the redirect URIs in their registered order.
  static func insertRedirectURIs(of client: Client, _ db: Database) throws {
    for (position, uri) in client.redirectURIs.enumerated() {
      try db.run(
        "INSERT INTO client_redirect_uris (client_id, position, uri) VALUES (?, ?, ?)",
        [client.id, position, uri])
    }
  }

  /// The client with this id and its redirect URIs in their registered order, from one
  /// statement: a row per URI (or one row with a NULL URI).
  static func fetch(id: String, _ db: Database) throws -> Client? {
    var client: Client?
    var uris: [String] = []
    _ = try db.rows(
      """
      SELECT c.id, c.name, c.origin, c.grant_types, c.token_endpoint_auth_method,
        c.application_type, c.allowed_scopes, c.secret_hash, c.software_id, c.software_version,
        c.metadata_fingerprint, c.client_uri, c.logo_uri, c.created_at, c.last_used_at, c.jwks,
        c.jwks_uri, c.previous_secret_hash, c.previous_secret_expires_at,
        u.uri AS redirect_uri FROM clients AS c
      LEFT JOIN client_redirect_uris AS u ON u.client_id = c.id
      WHERE c.id = ? ORDER BY u.position
      """, [id]
    ) { row in
      if client == nil {
        client = try Client(columns: row, id: try row.text("id"), redirectURIs: [])
      }
      if let uri = try row.optionalText("redirect_uri") { uris.append(uri) }
    }
    client?.redirectURIs = uris
    return client
  }

  /// A client from its row plus its redirect URIs.
  static func decode(_ row: SQLiteColumns, _ db: Database) throws -> Client {
    let id = try row.text("id")
    let uris = try String.fetchAll(
      db.cachedStatement(
        sql: "SELECT uri FROM client_redirect_uris WHERE client_id = ? ORDER BY position"),
      arguments: [id])
    return try Client(columns: row, id: id, redirectURIs: uris)
  }
}
