-- Inspection tours (拉练, PRACTICES.md §4): a route of stops (projects, in order) scored by raters against
-- the score sheet in force when the tour was made (kept with the tour, JSON). Points in tenths (27.5 = 275).
CREATE TABLE tours (
  id @ID@,
  name TEXT NOT NULL,
  start_date TEXT NOT NULL,
  end_date TEXT NOT NULL,
  status TEXT NOT NULL,                -- planning (筹备) running (进行中) ended (已结束)
  sheet TEXT NOT NULL,                 -- JSON: [{"key","name","max_tenths"}]
  note TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);
CREATE INDEX tours_end ON tours(status, end_date);

CREATE TABLE tour_stops (
  id @ID@,
  tour_id BIGINT NOT NULL REFERENCES tours(id),
  seq INTEGER NOT NULL,
  project_id BIGINT NOT NULL REFERENCES projects(id),
  UNIQUE (tour_id, project_id)
);

CREATE TABLE tour_raters (
  tour_id BIGINT NOT NULL REFERENCES tours(id),
  login TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (tour_id, login)
);

-- One row per item a rater scored at a stop; a rater's set for a stop is saved whole (version counts saves).
CREATE TABLE tour_scores (
  id @ID@,
  tour_id BIGINT NOT NULL REFERENCES tours(id),
  stop_id BIGINT NOT NULL REFERENCES tour_stops(id),
  rater TEXT NOT NULL,
  item TEXT NOT NULL,
  points_tenths INTEGER NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  scored_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  UNIQUE (tour_id, stop_id, rater, item)
);
CREATE INDEX tour_scores_stop ON tour_scores(stop_id, rater);
