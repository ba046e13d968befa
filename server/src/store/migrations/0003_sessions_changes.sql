-- Sessions live in the database, shared by every server and surviving restarts. The token is
-- stored as its SHA-256 (hex): a copy of the table signs nobody in.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  csrf TEXT NOT NULL,
  user_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- One row per committed write that changes the figures, in commit order: every server (and a
-- server after a CLI import) reads the rows after the last one it applied and reloads what they
-- name. kind: 'project' (project_id set) or 'all'. origin: the writing process's random id.
CREATE TABLE change_log (
  seq @ID@,
  origin TEXT NOT NULL,
  kind TEXT NOT NULL,
  project_id BIGINT,
  at TEXT NOT NULL
);
