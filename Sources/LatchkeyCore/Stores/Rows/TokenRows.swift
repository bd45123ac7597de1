import Foundation

// The rows of the token tables, decoded once for every SQL store (`ColumnReader`). Column
// names are those of migrations/ and migrations/postgres/.

extension AuthorizationCode {
  /// A code from its `authorization_codes` row.
  @inlinable package init(columns row: some ColumnReader) throws {
    self.init(
      codeHash: try row.text("code_hash"), grantID: try row.text("grant_id"),
      clientID: try row.text("client_id"), userID: try row.text("user_id"),
      resource: try row.text("resource"), scopes: try row.scopes("scopes"),
      redirectURI: try row.text("redirect_uri"),
      redirectURIWasExplicit: try row.bool("redirect_uri_was_explicit"),
      codeChallenge: try row.text("code_challenge"),
      codeChallengeMethod: try row.text("code_challenge_method"),
      issuedAt: try row.date("issued_at"), expiresAt: try row.date("expires_at"),
      consumedAt: try row.optionalDate("consumed_at"))
  }
}

extension RefreshToken {
  /// A token from its `refresh_tokens` row.
  @inlinable package init(columns row: some ColumnReader) throws {
    self.init(
      tokenHash: try row.text("token_hash"), grantID: try row.text("grant_id"),
      clientID: try row.text("client_id"), scopes: try row.scopes("scopes"),
      resource: try row.text("resource"), issuedAt: try row.date("issued_at"),
      expiresAt: try row.date("expires_at"), parentHash: try row.optionalText("parent_hash"),
      rotatedAt: try row.optionalDate("rotated_at"),
      successorHash: try row.optionalText("successor_hash"),
      revokedAt: try row.optionalDate("revoked_at"))
  }
}

extension Grant {
  /// A grant from its `grants` row.
  @inlinable package init(columns row: some ColumnReader) throws {
    self.init(
      id: try row.text("id"), userID: try row.text("user_id"),
      clientID: try row.text("client_id"), resource: try row.text("resource"),
      scopes: try row.scopes("scopes"), createdAt: try row.date("created_at"),
      expiresAt: try row.date("expires_at"), revokedAt: try row.optionalDate("revoked_at"),
      revocationReason: try row.optionalText("revocation_reason"))
  }
}

extension Consent {
  /// A consent from its `consents` row.
  @inlinable package init(columns row: some ColumnReader) throws {
    self.init(
      userID: try row.text("user_id"), clientID: try row.text("client_id"),
      resource: try row.text("resource"), scopes: try row.scopes("scopes"),
      grantedAt: try row.date("granted_at"), updatedAt: try row.date("updated_at"))
  }
}

extension AuditEvent {
  /// An event from its `audit_events` row; a NULL `scopes` stays nil, an empty text is the
  /// empty set.
  @inlinable package init(columns row: some ColumnReader) throws {
    self.init(
      id: try row.int64("id"), time: try row.date("time"),
      type: try row.text("type"), outcome: try row.enumValue(AuditEvent.Outcome.self, "outcome"),
      userID: try row.optionalText("user_id"), clientID: try row.optionalText("client_id"),
      resource: try row.optionalText("resource"),
      scopes: try row.optionalText("scopes").map(ScopeSet.init(storedText:)),
      sourceAddress: try row.optionalText("source_address"), detail: try row.optionalText("detail"))
  }
}
