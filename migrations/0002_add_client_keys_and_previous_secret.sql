-- Client authentication beyond a single shared secret (issue 25): the public keys of a
-- private_key_jwt client (RFC 7523; an inline JWKS or the URL of one), and the hash of the
-- previous secret with the end of its overlap after `client rotate-secret --keep-old`.

ALTER TABLE clients ADD COLUMN jwks TEXT; -- the public JWKS (JSON), never a private key
ALTER TABLE clients ADD COLUMN jwks_uri TEXT;
ALTER TABLE clients ADD COLUMN previous_secret_hash TEXT;
ALTER TABLE clients ADD COLUMN previous_secret_expires_at INTEGER;
