-- Core register: regions, projects, annual plans, monthly reports, and their trails.
-- @ID@ is replaced by the dialect's auto-increment primary key.
CREATE TABLE regions (
  id @ID@,
  parent_id BIGINT REFERENCES regions(id),
  name TEXT NOT NULL,
  code TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);
CREATE INDEX regions_parent ON regions(parent_id);

CREATE TABLE projects (
  id @ID@,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  level SMALLINT NOT NULL,
  nature TEXT NOT NULL DEFAULT '',
  industry TEXT NOT NULL DEFAULT '',
  region_id BIGINT REFERENCES regions(id),
  total_investment_yuan BIGINT NOT NULL DEFAULT 0,
  owner TEXT NOT NULL DEFAULT '',
  unit TEXT NOT NULL DEFAULT '',
  person TEXT NOT NULL DEFAULT '',
  leader TEXT NOT NULL DEFAULT '',
  is_demo SMALLINT NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT '',
  planned_start TEXT,
  planned_end TEXT,
  content TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  deleted SMALLINT NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX projects_region ON projects(region_id);
CREATE INDEX projects_level ON projects(level);

-- One row per change: action is create/update/delete; changes is a JSON object
-- {"field": [before, after], ...}.
CREATE TABLE project_history (
  id @ID@,
  project_id BIGINT NOT NULL,
  changed_at TEXT NOT NULL,
  changed_by TEXT NOT NULL,
  action TEXT NOT NULL,
  changes TEXT NOT NULL
);
CREATE INDEX project_history_project ON project_history(project_id);

CREATE TABLE annual_plans (
  project_id BIGINT NOT NULL REFERENCES projects(id),
  year INTEGER NOT NULL,
  plan_yuan BIGINT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  PRIMARY KEY (project_id, year)
);

CREATE TABLE plan_revisions (
  id @ID@,
  project_id BIGINT NOT NULL,
  year INTEGER NOT NULL,
  old_plan_yuan BIGINT,
  new_plan_yuan BIGINT NOT NULL,
  changed_at TEXT NOT NULL,
  changed_by TEXT NOT NULL
);
CREATE INDEX plan_revisions_project ON plan_revisions(project_id, year);

CREATE TABLE monthly_reports (
  project_id BIGINT NOT NULL REFERENCES projects(id),
  year INTEGER NOT NULL,
  month INTEGER NOT NULL,
  completed_yuan BIGINT NOT NULL,
  progress TEXT NOT NULL DEFAULT '',
  problems TEXT NOT NULL DEFAULT '',
  submitted_at TEXT NOT NULL,
  submitted_by TEXT NOT NULL,
  PRIMARY KEY (project_id, year, month)
);

-- The replaced values of a re-submitted month.
CREATE TABLE report_history (
  id @ID@,
  project_id BIGINT NOT NULL,
  year INTEGER NOT NULL,
  month INTEGER NOT NULL,
  old_completed_yuan BIGINT NOT NULL,
  old_progress TEXT NOT NULL,
  old_problems TEXT NOT NULL,
  old_submitted_at TEXT NOT NULL,
  old_submitted_by TEXT NOT NULL,
  replaced_at TEXT NOT NULL,
  replaced_by TEXT NOT NULL
);
CREATE INDEX report_history_project ON report_history(project_id, year, month);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
