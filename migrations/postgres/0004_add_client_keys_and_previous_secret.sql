-- Client authentication beyond a single shared secret (issue 25): the public keys of a
-- private_key_jwt client (RFC 7523; an inline JWKS or the URL of one), the hash of the
-- previous secret with the end of its overlap after `client rotate-secret --keep-old`, and the
-- client assertion ids already used (RFC 7523 §3 item 7: a `jti` is accepted once while the
-- assertion lives), shared by every instance.

ALTER TABLE clients ADD COLUMN jwks TEXT; -- the public JWKS (JSON), never a private key
ALTER TABLE clients ADD COLUMN jwks_uri TEXT;
ALTER TABLE clients ADD COLUMN previous_secret_hash TEXT;
ALTER TABLE clients ADD COLUMN previous_secret_expires_at BIGINT;

CREATE TABLE client_assertion_ids (
  assertion_hash TEXT PRIMARY KEY, -- SHA-256 of client_id and jti
  expires_at BIGINT NOT NULL
);

CREATE INDEX client_assertion_ids_by_expiry ON client_assertion_ids (expires_at);
