-- Problems closed off one by one (清单制 + 责任制 + 销号制) and on-site supervision (现场督导).
-- Nothing here is ever deleted: a problem's every move is a row of problem_events.
CREATE TABLE problems (
  id @ID@,
  project_id BIGINT NOT NULL REFERENCES projects(id),
  category TEXT NOT NULL,
  text TEXT NOT NULL,
  source TEXT NOT NULL,              -- 月报 现场督导 拉练 业主反映 领导交办
  report_month TEXT,                 -- YYYY-MM: raised from that monthly report's 存在问题
  visit_id BIGINT,                   -- raised from a supervision visit's finding
  raised_by TEXT NOT NULL,
  raised_on TEXT NOT NULL,           -- 提出日期
  lead_unit TEXT NOT NULL DEFAULT '',    -- 主办
  co_units TEXT NOT NULL DEFAULT '[]',   -- 协办: JSON array of unit names
  person TEXT NOT NULL DEFAULT '',
  deadline TEXT,                     -- 办结时限
  state TEXT NOT NULL,               -- pending working answered closed
  answer TEXT NOT NULL DEFAULT '',   -- 办理结果: what the lead unit did
  closed_on TEXT,                    -- 办结日期 (state closed)
  close_note TEXT NOT NULL DEFAULT '',
  escalation INTEGER NOT NULL DEFAULT 0,  -- 督办 level 0..4
  ext_deadline TEXT,                 -- an extension asked for, awaiting the bureau
  ext_reason TEXT NOT NULL DEFAULT '',
  ext_by TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);
CREATE INDEX problems_project ON problems(project_id);
CREATE INDEX problems_unit ON problems(lead_unit, state, deadline);
CREATE INDEX problems_state ON problems(state, deadline);

CREATE TABLE problem_events (
  id @ID@,
  problem_id BIGINT NOT NULL REFERENCES problems(id),
  at TEXT NOT NULL,        -- UTC timestamp
  on_date TEXT NOT NULL,   -- the Beijing date the move counts on (closure, reopening)
  by_login TEXT NOT NULL,
  action TEXT NOT NULL,    -- raise assign object answer return confirm extend approve_extension refuse_extension reopen escalate edit import
  from_state TEXT NOT NULL DEFAULT '',
  to_state TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  data TEXT NOT NULL DEFAULT '{}'  -- JSON: the fields the move set
);
CREATE INDEX problem_events_problem ON problem_events(problem_id, id);

CREATE TABLE visits (
  id @ID@,
  start_date TEXT NOT NULL,
  end_date TEXT NOT NULL,
  leader TEXT NOT NULL,
  members TEXT NOT NULL DEFAULT '[]',  -- JSON array of names
  note TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);
CREATE INDEX visits_dates ON visits(start_date);

-- A project seen on a visit: progress seen against reported, and what was found.
CREATE TABLE visit_stops (
  id @ID@,
  visit_id BIGINT NOT NULL REFERENCES visits(id),
  seq INTEGER NOT NULL,
  project_id BIGINT NOT NULL REFERENCES projects(id),
  seen TEXT NOT NULL DEFAULT '',        -- progress seen on site
  reported TEXT NOT NULL DEFAULT '',    -- progress as reported
  on_schedule SMALLINT NOT NULL DEFAULT 1,
  UNIQUE (visit_id, project_id)
);

CREATE TABLE visit_findings (
  id @ID@,
  stop_id BIGINT NOT NULL REFERENCES visit_stops(id),
  seq INTEGER NOT NULL,
  text TEXT NOT NULL,
  category TEXT NOT NULL DEFAULT '其他',
  outcome TEXT NOT NULL DEFAULT 'open',  -- open (followed up) solved (on the spot) passed_up (to city/province)
  problem_id BIGINT                      -- the problem it became
);
CREATE INDEX visit_findings_stop ON visit_findings(stop_id, seq);
