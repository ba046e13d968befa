-- Reminders (挂图作战): each user's bell, the group robots' webhooks, and one small job queue
-- kept in the database (outbound messages: retried with backoff, never sent twice).
CREATE TABLE notifications (
  id @ID@,
  user_id BIGINT NOT NULL,
  kind TEXT NOT NULL,    -- node_due node_overdue report_due report_missing project_red
  dedupe TEXT NOT NULL,  -- one reminder per user, per thing, per day
  project_id BIGINT,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  read_at TEXT,
  UNIQUE (user_id, dedupe)
);
CREATE INDEX notifications_user ON notifications(user_id, id);

CREATE TABLE webhooks (
  id @ID@,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,  -- wecom dingtalk feishu
  url TEXT NOT NULL,
  secret TEXT NOT NULL DEFAULT '',
  enabled SMALLINT NOT NULL DEFAULT 1,
  version INTEGER NOT NULL DEFAULT 1,
  updated_at TEXT NOT NULL
);

CREATE TABLE jobs (
  id @ID@,
  kind TEXT NOT NULL,            -- webhook
  dedupe TEXT NOT NULL UNIQUE,   -- the same message is queued once
  target BIGINT,                 -- the webhook
  payload TEXT NOT NULL,         -- the message (JSON)
  state TEXT NOT NULL,           -- pending running done failed
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at BIGINT NOT NULL,       -- unix seconds: not before
  lease_until BIGINT NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  done_at TEXT
);
CREATE INDEX jobs_due ON jobs(state, next_at);
