-- Short-lived state several instances must share (SQLite keeps it in process): login
-- sessions, the per-account login back-off and the registration rate windows. Losing a row is
-- harmless (a login starts again, a window starts over); housekeeping prunes old rows.

CREATE TABLE login_sessions (
  session_hash TEXT PRIMARY KEY, -- SHA-256 of the cookie value, never the value
  user_id TEXT NOT NULL,
  expires_at BIGINT NOT NULL
);

CREATE INDEX login_sessions_by_expiry ON login_sessions (expires_at);

CREATE TABLE login_backoffs (
  account TEXT PRIMARY KEY, -- lowercased submitted username
  failures INTEGER NOT NULL,
  refused_until BIGINT,
  updated_at BIGINT NOT NULL
);

CREATE TABLE rate_windows (
  key TEXT PRIMARY KEY,
  window_start BIGINT NOT NULL,
  count INTEGER NOT NULL,
  window_millis BIGINT NOT NULL
);
