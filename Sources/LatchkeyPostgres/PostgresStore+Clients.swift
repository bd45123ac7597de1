public import Foundation
public import LatchkeyCore
import PostgresNIO

extension PostgresStore {
  /// Inserts the client and its redirect URIs; `StoreError.conflict("client")` when the id, or
  /// (for idempotent DCR) the metadata fingerprint, is taken. An advisory lock on the
  /// fingerprint serializes two identical registrations racing on two instances.
  public func insertClient(_ client: Client) async throws {
    try await transaction("client") { db in
      if let fingerprint = client.metadataFingerprint {
        try await db.run("SELECT pg_advisory_xact_lock(hashtext(\(fingerprint)))")
        if try await db.row("SELECT id FROM clients WHERE metadata_fingerprint = \(fingerprint)")
          != nil
        {
          throw StoreError.conflict("client")
        }
      }
      try await db.run(
        """
        INSERT INTO clients (id, name, origin, grant_types, token_endpoint_auth_method,
          application_type, allowed_scopes, secret_hash, software_id, software_version,
          metadata_fingerprint, client_uri, logo_uri, created_at, last_used_at, jwks, jwks_uri,
          previous_secret_hash, previous_secret_expires_at)
        VALUES (\(client.id), \(client.name), \(client.origin.rawValue),
          \(try JSONColumn.encode(client.grantTypes)), \(client.tokenEndpointAuthMethod.rawValue),
          \(client.applicationType.rawValue), \(client.allowedScopes.parameter),
          \(client.secretHash), \(client.softwareID), \(client.softwareVersion),
          \(client.metadataFingerprint), \(client.clientURI), \(client.logoURI),
          \(client.createdAt.millis), \(client.lastUsedAt?.millis), \(client.jwks),
          \(client.jwksURI), \(client.previousSecretHash),
          \(client.previousSecretExpiresAt?.millis))
        """)
      try await ClientRow.insertRedirectURIs(of: client, db)
    }
  }

  /// The client with this id, or nil.
  public func client(id: String) async throws -> Client? {
    // One statement (the client with its redirect URIs in order) and no BEGIN/COMMIT: every
    // token request reads its client, and one round trip is a quarter of the four it took.
    try await transaction("client", explicit: false) { db in
      try await db.row(ClientByID(key: id)).map { row in
        try Client(
          columns: row, id: try row.text("id"), redirectURIs: try row.textArray("redirect_uri_list")
        )
      }
    }
  }

  /// The earliest client registered with this metadata fingerprint (idempotent DCR).
  public func client(metadataFingerprint: String) async throws -> Client? {
    try await transaction("client") { db in
      guard
        let row = try await db.row(
          """
          SELECT * FROM clients WHERE metadata_fingerprint = \(metadataFingerprint)
          ORDER BY created_at, id COLLATE "C" LIMIT 1
          """)
      else { return nil }
      return try await ClientRow.decode(row, db)
    }
  }

  /// Every client, oldest first.
  public func clients() async throws -> [Client] {
    try await transaction("client") { db in
      var result: [Client] = []
      for row in try await db.rows("SELECT * FROM clients ORDER BY created_at, id COLLATE \"C\"") {
        result.append(try await ClientRow.decode(row, db))
      }
      return result
    }
  }

  /// Replaces the client's fields and redirect URIs; `StoreError.notFound("client")` when absent.
  public func updateClient(_ client: Client) async throws {
    try await transaction("client") { db in
      let changed = try await db.run(
        """
        UPDATE clients SET name = \(client.name), origin = \(client.origin.rawValue),
          grant_types = \(try JSONColumn.encode(client.grantTypes)),
          token_endpoint_auth_method = \(client.tokenEndpointAuthMethod.rawValue),
          application_type = \(client.applicationType.rawValue),
          allowed_scopes = \(client.allowedScopes.parameter), secret_hash = \(client.secretHash),
          software_id = \(client.softwareID), software_version = \(client.softwareVersion),
          metadata_fingerprint = \(client.metadataFingerprint), client_uri = \(client.clientURI),
          logo_uri = \(client.logoURI), created_at = \(client.createdAt.millis),
          last_used_at = \(client.lastUsedAt?.millis), jwks = \(client.jwks),
          jwks_uri = \(client.jwksURI), previous_secret_hash = \(client.previousSecretHash),
          previous_secret_expires_at = \(client.previousSecretExpiresAt?.millis)
        WHERE id = \(client.id) RETURNING id
        """)
      guard changed == 1 else { throw StoreError.notFound("client") }
      try await db.run("DELETE FROM client_redirect_uris WHERE client_id = \(client.id)")
      try await ClientRow.insertRedirectURIs(of: client, db)
    }
  }

  /// Deletes the client; the foreign keys cascade to its grants (hence codes and refresh
  /// tokens), consents and redirect URIs. `StoreError.notFound("client")` when absent.
  public func deleteClient(id: String) async throws {
    try await transaction("client") { db in
      guard try await db.run("DELETE FROM clients WHERE id = \(id) RETURNING id") == 1 else {
        throw StoreError.notFound("client")
      }
    }
  }

  /// Records that the client was used; silently nothing when it does not exist.
  public func recordClientUse(id: String, at time: Date) async throws {
    try await transaction("client") { db in
      try await db.run("UPDATE clients SET last_used_at = \(time.millis) WHERE id = \(id)")
    }
  }

  /// Deletes dynamic clients unused since `idleSince` that hold no grant live at `now`;
  /// returns their ids, sorted. One statement, so a grant issued meanwhile keeps its client.
  public func deleteIdleDynamicClients(idleSince: Date, now: Date) async throws -> [String] {
    try await transaction("client") { db in
      try await db.rows(
        """
        DELETE FROM clients AS c
        WHERE origin = 'dynamic' AND COALESCE(last_used_at, created_at) < \(idleSince.millis)
          AND NOT EXISTS (
            SELECT 1 FROM grants AS g
            WHERE g.client_id = c.id AND g.revoked_at IS NULL AND g.expires_at > \(now.millis))
        RETURNING id
        """
      ).map { try $0.text("id") }.sorted()
    }
  }
}

/// Row mapping of `clients` and `client_redirect_uris`.
enum ClientRow {
  /// Stores the redirect URIs in their registered order.
  static func insertRedirectURIs(of client: Client, _ db: PostgresSession) async throws {
    for (position, uri) in client.redirectURIs.enumerated() {
      try await db.run(
        """
        INSERT INTO client_redirect_uris (client_id, position, uri)
        VALUES (\(client.id), \(position), \(uri))
        """)
    }
  }

  /// A client from its row plus its redirect URIs.
  static func decode(_ row: PostgresColumns, _ db: PostgresSession) async throws -> Client {
    let id = try row.text("id")
    let uris = try await db.rows(
      "SELECT uri FROM client_redirect_uris WHERE client_id = \(id) ORDER BY position"
    ).map { try $0.text("uri") }
    return try Client(columns: row, id: id, redirectURIs: uris)
  }
}
