-- Leaders' instructions (领导批示) on a project: given by a leader (or the bureau), sent to the project's owner
-- and responsible unit, kept in the project's record until answered (and after: nothing is deleted).
CREATE TABLE instructions (
  id @ID@,
  project_id BIGINT NOT NULL REFERENCES projects(id),
  text TEXT NOT NULL,
  given_by TEXT NOT NULL,          -- login
  given_by_name TEXT NOT NULL,     -- as shown (the leader's name)
  given_at TEXT NOT NULL,          -- UTC timestamp
  answer TEXT NOT NULL DEFAULT '', -- 落实情况: what the owner or unit did
  answered_by TEXT NOT NULL DEFAULT '',
  answered_at TEXT,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX instructions_project ON instructions(project_id, id);
CREATE INDEX instructions_open ON instructions(answered_at, project_id);
