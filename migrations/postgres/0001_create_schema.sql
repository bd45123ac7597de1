-- Latchkey schema for PostgreSQL, version 1: migrations/0001_create_schema.sql in PostgreSQL's
-- dialect (same tables, columns, keys and indexes). Forward-only: once landed this file is never
-- edited. Dates are BIGINT milliseconds since 1970, as in SQLite, so both stores round-trip
-- the same values. Scope sets are space-joined text. Only hashes of codes, tokens and secrets.

CREATE TABLE clients (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  origin TEXT NOT NULL CHECK (origin IN ('preregistered', 'dynamic', 'metadata_document')),
  grant_types TEXT NOT NULL, -- JSON array of strings, in registration order
  token_endpoint_auth_method TEXT NOT NULL,
  application_type TEXT NOT NULL,
  allowed_scopes TEXT NOT NULL,
  secret_hash TEXT,
  software_id TEXT,
  software_version TEXT,
  metadata_fingerprint TEXT,
  client_uri TEXT,
  logo_uri TEXT,
  created_at BIGINT NOT NULL,
  last_used_at BIGINT
);

CREATE INDEX clients_by_fingerprint ON clients (metadata_fingerprint)
  WHERE metadata_fingerprint IS NOT NULL;
CREATE INDEX clients_by_origin_use ON clients (origin, last_used_at);

CREATE TABLE client_redirect_uris (
  client_id TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  uri TEXT NOT NULL,
  PRIMARY KEY (client_id, position)
);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  disabled BOOLEAN NOT NULL DEFAULT FALSE,
  created_at BIGINT NOT NULL
);

CREATE TABLE resources (
  url TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  default_scopes TEXT NOT NULL,
  tool_scopes TEXT NOT NULL -- JSON object: tool name -> array of scopes
);

CREATE TABLE resource_scopes (
  resource_url TEXT NOT NULL REFERENCES resources (url) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  PRIMARY KEY (resource_url, position)
);

CREATE TABLE grants (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  client_id TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
  resource TEXT NOT NULL,
  scopes TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT,
  revocation_reason TEXT
);

CREATE INDEX grants_by_user ON grants (user_id, created_at);
CREATE INDEX grants_by_client ON grants (client_id, created_at);

CREATE TABLE authorization_codes (
  code_hash TEXT PRIMARY KEY,
  grant_id TEXT NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
  client_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  resource TEXT NOT NULL,
  scopes TEXT NOT NULL,
  redirect_uri TEXT NOT NULL,
  redirect_uri_was_explicit BOOLEAN NOT NULL,
  code_challenge TEXT NOT NULL,
  code_challenge_method TEXT NOT NULL,
  issued_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  consumed_at BIGINT
);

CREATE INDEX authorization_codes_by_grant ON authorization_codes (grant_id);
CREATE INDEX authorization_codes_by_expiry ON authorization_codes (expires_at);

CREATE TABLE refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  grant_id TEXT NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
  client_id TEXT NOT NULL,
  scopes TEXT NOT NULL,
  resource TEXT NOT NULL,
  issued_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  parent_hash TEXT,
  rotated_at BIGINT,
  successor_hash TEXT,
  revoked_at BIGINT
);

CREATE INDEX refresh_tokens_by_grant ON refresh_tokens (grant_id);
CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens (expires_at);

CREATE TABLE consents (
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  client_id TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
  resource TEXT NOT NULL,
  scopes TEXT NOT NULL,
  granted_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, client_id, resource)
);

CREATE INDEX consents_by_client ON consents (client_id);

CREATE TABLE signing_keys (
  kid TEXT PRIMARY KEY,
  algorithm TEXT NOT NULL,
  private_key_pem TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('active', 'published', 'retired')),
  created_at BIGINT NOT NULL,
  deactivated_at BIGINT,
  retired_at BIGINT
);

-- At most one active key, even when two instances start at once.
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (state) WHERE state = 'active';

CREATE TABLE audit_events (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  time BIGINT NOT NULL,
  type TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure')),
  user_id TEXT,
  client_id TEXT,
  resource TEXT,
  scopes TEXT,
  source_address TEXT,
  detail TEXT
);

CREATE INDEX audit_events_by_time ON audit_events (time);
CREATE INDEX audit_events_by_type ON audit_events (type, time);
CREATE INDEX audit_events_by_user ON audit_events (user_id, time);
