-- Investment attraction (产业招商, issue 12 §4): leads followed by 招商 staff through 线索 → 洽谈 → 签约 →
-- 落地(立项) → 开工 → 投产, each stage dated; a signed lead becomes a register project (project_id) in one
-- transaction, and its later stages follow that project. Carriers (载体): parks' land parcels and standard
-- factories matched to leads. Money in yuan (exact); land in tenths of a 亩 (12.5亩 = 125); floor area in m².
CREATE TABLE leads (
  id @ID@,
  name TEXT NOT NULL,                     -- the project's name when it becomes one
  investor TEXT NOT NULL,                 -- 投资方 (the project's owner on conversion)
  industry TEXT NOT NULL,
  investment_yuan BIGINT NOT NULL,        -- 意向投资
  land_tenth_mu BIGINT NOT NULL DEFAULT 0,  -- 用地需求, 0.1 亩
  floor_m2 BIGINT NOT NULL DEFAULT 0,     -- 厂房需求
  output_yuan BIGINT NOT NULL DEFAULT 0,  -- 预计年产值
  tax_yuan BIGINT NOT NULL DEFAULT 0,     -- 预计年税收
  contact TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',        -- 线索来源
  staff TEXT NOT NULL,                    -- login of the 招商 staff member who follows it
  stage TEXT NOT NULL,                    -- lead talks signed landed (started/producing follow the project)
  lead_on TEXT NOT NULL,
  talks_on TEXT,
  signed_on TEXT,
  landed_on TEXT,
  project_id BIGINT UNIQUE REFERENCES projects(id),
  note TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);
CREATE INDEX leads_staff ON leads(staff, id);

CREATE TABLE lead_events (
  id @ID@,
  lead_id BIGINT NOT NULL REFERENCES leads(id),
  at TEXT NOT NULL,
  on_date TEXT NOT NULL,
  by_login TEXT NOT NULL,
  action TEXT NOT NULL,                   -- create update move convert import
  from_stage TEXT NOT NULL DEFAULT '',
  to_stage TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX lead_events_lead ON lead_events(lead_id, id);

CREATE TABLE carriers (
  id @ID@,
  park TEXT NOT NULL,                     -- 园区
  kind TEXT NOT NULL,                     -- land (土地) factory (标准厂房)
  parcel TEXT NOT NULL,                   -- 地块 / 厂房 name
  land_tenth_mu BIGINT NOT NULL DEFAULT 0,  -- a parcel's area, 0.1 亩
  floor_m2 BIGINT NOT NULL DEFAULT 0,     -- a factory's floor area
  price_yuan BIGINT NOT NULL DEFAULT 0,   -- per 亩 (land) or per m² a month (factory)
  industries TEXT NOT NULL DEFAULT '',    -- suited industries, separated by 、 ('' any)
  available SMALLINT NOT NULL DEFAULT 1,
  version INTEGER NOT NULL DEFAULT 1,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  UNIQUE (park, parcel)
);
