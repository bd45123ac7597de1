-- The token vault (issue 23 §4): an identity provider's access and refresh tokens, sealed with
-- AES-256-GCM by the server before they are written (`sealed`: base64url of version, nonce,
-- ciphertext and tag; `key_id` names the vault key), so this table alone never reveals them.
-- A record is pending for the interaction that signed in, then tied to the grant that
-- interaction created. Revoking the grant (by any path) or deleting the user deletes it.

CREATE TABLE upstream_tokens (
  id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  provider TEXT NOT NULL,
  grant_id TEXT UNIQUE REFERENCES grants (id) ON DELETE CASCADE,
  interaction_id TEXT UNIQUE,
  key_id TEXT NOT NULL,
  sealed TEXT NOT NULL,
  access_expires_at INTEGER,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE INDEX upstream_tokens_by_user ON upstream_tokens (user_id);

CREATE TRIGGER upstream_tokens_die_with_their_grant
AFTER UPDATE OF revoked_at ON grants
WHEN NEW.revoked_at IS NOT NULL
BEGIN
  DELETE FROM upstream_tokens WHERE grant_id = NEW.id;
END;
