-- Financing matched with banks (融资对接, PRACTICES.md §6): a project's financing demand, pushed to
-- banks, each bank's answer, credit, contract and disbursements. Every step is an event; nothing is
-- deleted.
CREATE TABLE financing_demands (
  id @ID@,
  project_id BIGINT NOT NULL REFERENCES projects(id),
  kind TEXT NOT NULL,               -- 中长期贷款 流动资金贷款 政策性开发性金融工具 专项债 产业基金 其他
  amount_yuan BIGINT NOT NULL,      -- 融资金额
  year_need_yuan BIGINT NOT NULL,   -- 年内需求
  term_years INTEGER NOT NULL DEFAULT 0,
  purpose TEXT NOT NULL DEFAULT '',
  guarantee TEXT NOT NULL DEFAULT '',
  repayment TEXT NOT NULL DEFAULT '',
  capital_yuan BIGINT NOT NULL DEFAULT 0,  -- 资本金到位
  negative_list_ok SMALLINT NOT NULL DEFAULT 1,  -- 负面清单核查: 1 = not on it
  contact TEXT NOT NULL DEFAULT '',
  stage TEXT NOT NULL,              -- registered reviewed pushed matching approving credited signed disbursed rejected
  reject_reason TEXT NOT NULL DEFAULT '',
  registered_on TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);
CREATE INDEX financing_demands_project ON financing_demands(project_id);

-- A demand pushed to one bank, and that bank's answer.
CREATE TABLE financing_pushes (
  id @ID@,
  demand_id BIGINT NOT NULL REFERENCES financing_demands(id),
  bank TEXT NOT NULL,
  pushed_on TEXT NOT NULL,
  answer TEXT NOT NULL DEFAULT '',  -- '' interested documents ineligible
  answer_note TEXT NOT NULL DEFAULT '',
  credit_yuan BIGINT,               -- 授信金额
  credit_on TEXT,
  contract_yuan BIGINT,             -- 签约金额
  contract_on TEXT,
  answered_at TEXT,
  answered_by TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  UNIQUE (demand_id, bank)
);
CREATE INDEX financing_pushes_bank ON financing_pushes(bank, demand_id);

CREATE TABLE financing_disbursements (
  id @ID@,
  push_id BIGINT NOT NULL REFERENCES financing_pushes(id),
  on_date TEXT NOT NULL,
  amount_yuan BIGINT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
);
CREATE INDEX financing_disbursements_push ON financing_disbursements(push_id);

CREATE TABLE financing_events (
  id @ID@,
  demand_id BIGINT NOT NULL REFERENCES financing_demands(id),
  at TEXT NOT NULL,
  on_date TEXT NOT NULL,
  by_login TEXT NOT NULL,
  action TEXT NOT NULL,
  bank TEXT NOT NULL DEFAULT '',
  from_stage TEXT NOT NULL DEFAULT '',
  to_stage TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  data TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX financing_events_demand ON financing_events(demand_id, id);
