-- Identity provider links (issue 23): a Latchkey user signed in through an upstream OpenID
-- provider is found by (provider id, upstream `sub`), never by email (OpenID Connect Core
-- §5.7). Deleting the user deletes its links.

CREATE TABLE user_identities (
  provider TEXT NOT NULL,
  subject TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (provider, subject)
) STRICT;

CREATE INDEX user_identities_by_user ON user_identities (user_id);
