-- Users (argon2id hashes), and the append-only audit log of every write.
CREATE TABLE users (
  id @ID@,
  login TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL,
  unit TEXT NOT NULL DEFAULT '',
  region_id BIGINT,
  password_hash TEXT NOT NULL,
  must_change_password SMALLINT NOT NULL DEFAULT 1,
  disabled SMALLINT NOT NULL DEFAULT 0,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked_until BIGINT NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE audit_log (
  id @ID@,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  ip TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL DEFAULT '',
  before_json TEXT,
  after_json TEXT
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_actor ON audit_log(actor);
