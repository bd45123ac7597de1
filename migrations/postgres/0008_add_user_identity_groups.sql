-- Scopes from upstream groups (issue 23 §3): the groups or roles the provider reported at the
-- user's last sign-in, space-joined, so an authorization without a new sign-in (a reused
-- session) is still limited by them.

ALTER TABLE user_identities ADD COLUMN groups TEXT NOT NULL DEFAULT '';
