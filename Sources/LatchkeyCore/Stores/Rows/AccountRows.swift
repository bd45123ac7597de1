import Foundation

// The rows of the registration tables, decoded once for every SQL store (`ColumnReader`).
// Child rows (redirect URIs, scope definitions) are read by the store and handed in.

extension Client {
  /// A client from its `clients` row and its `client_redirect_uris`, in order.
  @inlinable package init(columns row: some ColumnReader, id: String, redirectURIs: [String])
    throws
  {
    self.init(
      id: id, name: try row.text("name"), origin: try row.enumValue(ClientOrigin.self, "origin"),
      redirectURIs: redirectURIs,
      grantTypes: try JSONColumn.grantTypes(from: try row.text("grant_types")),
      tokenEndpointAuthMethod: try row.enumValue(
        TokenEndpointAuthMethod.self, "token_endpoint_auth_method"),
      applicationType: try row.enumValue(ApplicationType.self, "application_type"),
      allowedScopes: try row.scopes("allowed_scopes"),
      secretHash: try row.optionalText("secret_hash"),
      softwareID: try row.optionalText("software_id"),
      softwareVersion: try row.optionalText("software_version"),
      metadataFingerprint: try row.optionalText("metadata_fingerprint"),
      clientURI: try row.optionalText("client_uri"), logoURI: try row.optionalText("logo_uri"),
      jwks: try row.optionalText("jwks"), jwksURI: try row.optionalText("jwks_uri"),
      previousSecretHash: try row.optionalText("previous_secret_hash"),
      previousSecretExpiresAt: try row.optionalDate("previous_secret_expires_at"),
      createdAt: try row.date("created_at"), lastUsedAt: try row.optionalDate("last_used_at"))
  }
}

extension User {
  /// A user from its `users` row.
  @inlinable package init(columns row: some ColumnReader) throws {
    self.init(
      id: try row.text("id"), username: try row.text("username"),
      passwordHash: try row.text("password_hash"), disabled: try row.bool("disabled"),
      createdAt: try row.date("created_at"))
  }
}

extension Resource {
  /// A resource from its `resources` row and its `resource_scopes`, in order.
  @inlinable package init(columns row: some ColumnReader, url: String, scopes: [ScopeDefinition])
    throws
  {
    let toolScopes = try JSONColumn.decode(
      [String: [String]].self, from: try row.text("tool_scopes"), column: "tool_scopes")
    self.init(
      url: url, name: try row.text("name"), scopes: scopes,
      defaultScopes: try row.scopes("default_scopes"),
      toolScopes: toolScopes.mapValues { ScopeSet($0) })
  }
}

extension ScopeDefinition {
  /// A scope definition from its `resource_scopes` row.
  @inlinable package init(columns row: some ColumnReader) throws {
    self.init(name: try row.text("name"), description: try row.text("description"))
  }
}

extension SigningKeyRecord {
  /// A key from its `signing_keys` row.
  @inlinable package init(columns row: some ColumnReader) throws {
    self.init(
      kid: try row.text("kid"), algorithm: try row.text("algorithm"),
      privateKeyPEM: try row.text("private_key_pem"),
      state: try row.enumValue(SigningKeyState.self, "state"),
      createdAt: try row.date("created_at"), deactivatedAt: try row.optionalDate("deactivated_at"),
      retiredAt: try row.optionalDate("retired_at"))
  }
}
