-- API keys (issue 25 §2): personal access tokens acting as a user and service keys acting as
-- a client, for MCP clients that can only send a fixed Authorization header. Only the SHA-256
-- of a key is stored; `id` is the public id written inside the key. Deleting the user or the
-- client deletes its keys.

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY NOT NULL,
  key_hash TEXT NOT NULL UNIQUE, -- SHA-256 (hex) of the whole key, never the key
  name TEXT NOT NULL,
  user_id TEXT REFERENCES users (id) ON DELETE CASCADE,
  client_id TEXT REFERENCES clients (id) ON DELETE CASCADE,
  resource TEXT NOT NULL,
  scopes TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at INTEGER,
  CHECK ((user_id IS NULL) <> (client_id IS NULL))
) STRICT;

CREATE INDEX api_keys_by_user ON api_keys (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX api_keys_by_client ON api_keys (client_id) WHERE client_id IS NOT NULL;
