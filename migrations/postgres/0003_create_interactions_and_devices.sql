-- Authorization interactions (one per GET /authorize, decided once) and trusted devices
-- (browsers that signed in to an account; exempt from that account's back-off). Both are
-- ephemeral state several instances must share; SQLite keeps them in process.

CREATE TABLE authorization_interactions (
  interaction_hash TEXT PRIMARY KEY, -- SHA-256 of the interaction id, never the id
  browser_hash TEXT NOT NULL, -- SHA-256 of the CSRF cookie of the browser that started it
  user_id TEXT,
  parameters TEXT NOT NULL, -- the validated authorization request, form-encoded
  expires_at BIGINT NOT NULL,
  completed BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE INDEX authorization_interactions_by_expiry ON authorization_interactions (expires_at);

CREATE TABLE trusted_devices (
  device_hash TEXT PRIMARY KEY, -- SHA-256 of the device cookie and the account
  expires_at BIGINT NOT NULL
);

CREATE INDEX trusted_devices_by_expiry ON trusted_devices (expires_at);
