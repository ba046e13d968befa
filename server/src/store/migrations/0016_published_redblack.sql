-- Published red/black lists (红黑榜, issue 13 §5): a list once published is frozen like a report — every entry
-- with the figures that put it there, the rule (target, N, groups, exemptions) and the target it was computed
-- with are kept here as JSON, and the list is served from that copy ever after, never from live data. One
-- publication per kind, period, grouping and levels: publishing it again is refused. The number 第N期 counts
-- the red/black lists of a kind within a year (the period's year), from 1, apart from the reports' numbers.
CREATE TABLE published_redblack (
  id @ID@,
  kind TEXT NOT NULL,              -- monthly | quarterly
  period TEXT NOT NULL,            -- 2024-03 | 2024-Q1
  group_by TEXT NOT NULL,          -- region | unit | project
  levels TEXT NOT NULL,            -- '' (every level) or the levels in their fixed order: 省重点,市重点
  year INTEGER NOT NULL,           -- the period's year
  issue INTEGER NOT NULL,          -- 第N期 within kind and year
  question TEXT NOT NULL,          -- JSON: what it was computed from (year, month, by, levels, red, black)
  list TEXT NOT NULL,              -- JSON: the frozen list (entries with their figures, the rule, the target)
  published_by TEXT NOT NULL,      -- login
  published_at TEXT NOT NULL,      -- UTC timestamp
  UNIQUE (kind, period, group_by, levels),
  UNIQUE (kind, year, issue)
);
