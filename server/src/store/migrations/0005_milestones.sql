-- 挂图作战: milestone nodes of projects, and the templates they are made from.
-- A node's state (未到期, 临期, 逾期, 按期完成, 逾期完成) is derived from its dates, never stored.
CREATE TABLE node_templates (
  id @ID@,
  name TEXT NOT NULL UNIQUE,
  nodes TEXT NOT NULL,  -- JSON array of node names, in order
  version INTEGER NOT NULL DEFAULT 1,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);

CREATE TABLE project_nodes (
  id @ID@,
  project_id BIGINT NOT NULL REFERENCES projects(id),
  seq INTEGER NOT NULL,
  name TEXT NOT NULL,
  planned_date TEXT,
  actual_date TEXT,
  unit TEXT NOT NULL DEFAULT '',
  person TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  UNIQUE (project_id, name)
);
CREATE INDEX project_nodes_project ON project_nodes(project_id, seq);
