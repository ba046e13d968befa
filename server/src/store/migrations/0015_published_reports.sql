-- Published periodic reports (issue 13 §4): a report once published is frozen — its figures and final text
-- (staff's wording included) are kept here as the report model's JSON and every later download is drawn from
-- it, never from live data. One publication per kind and period: publishing the same period again is refused
-- (a correction, 更正, is not a re-publication; it would be a new kind of document). The number 第N期 counts
-- publications of a kind within a year (the period's year), from 1.
CREATE TABLE published_reports (
  id @ID@,
  kind TEXT NOT NULL,              -- monthly | quarterly | annual
  period TEXT NOT NULL,            -- 2024-03 | 2024-Q1 | 2024
  year INTEGER NOT NULL,           -- the period's year
  issue INTEGER NOT NULL,          -- 第N期 within kind and year
  question TEXT NOT NULL,          -- JSON: what it was built from (year, month, levels, date, overrides)
  model TEXT NOT NULL,             -- JSON: the frozen report model (figures and final text)
  published_by TEXT NOT NULL,      -- login
  published_at TEXT NOT NULL,      -- UTC timestamp
  UNIQUE (kind, period),
  UNIQUE (kind, year, issue)
);
