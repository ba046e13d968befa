// Shapes of the server's JSON, as the server sends them.

export type Level = '省重点' | '市重点' | '县重点'
export const LEVELS: Level[] = ['省重点', '市重点', '县重点']
export const STATUSES = ['前期', '新开工', '续建', '在建', '竣工', '投产', '停缓建'] as const
// 建设性质 as the bureau's registers use them (free text on the server; these are the usual choices)
export const NATURES = ['新建', '续建', '改扩建', '扩建', '改建', '迁建'] as const

export type Role = 'admin' | 'department' | 'owner' | 'leader' | 'bank' | 'auditor' | 'investment'
export const ROLES: Role[] = ['admin', 'department', 'owner', 'leader', 'bank', 'auditor', 'investment']

export interface User {
  id: number
  login: string
  display_name: string
  role: Role
  unit?: string | null
  region_id?: number | null
  must_change_password?: boolean
  disabled?: boolean
  locked?: boolean
  /** Locked after wrong passwords until this time (unix seconds), or null. */
  locked_until?: number | null
  last_login_at?: string | null
}

export interface Session {
  user: User
  csrf_token: string
}

export interface StatsDisplay {
  plan_wan: string
  completed_wan: string
  plan_yi: string
  completed_yi: string
  completion_rate_pct: string
  ahead_points: string
  spi: string
}

export interface StatsRow {
  key: string
  label?: string
  rank: number | null
  projects: number
  plan_wan: number
  completed_wan: number
  completion_rate_pct: number | null
  ahead_points: number | null
  spi: number | null
  display: StatsDisplay
}

export type GroupBy = 'level' | 'region' | 'industry' | 'unit' | 'leader' | 'demo' | 'status' | 'project'
export const GROUP_BYS: GroupBy[] = ['level', 'region', 'industry', 'unit', 'leader', 'demo', 'status', 'project']

export interface StatsResult {
  year: number
  month: number
  schedule: 'month' | 'day'
  schedule_pct: number
  levels: string[]
  by: GroupBy
  total: StatsRow
  groups: StatsRow[]
  /** The as-of month's reporting among the total's projects: how complete the figures are. */
  reporting: { reported: number; expected: number }
  display: { schedule_pct: string }
}

export interface StatsLine {
  year: number
  plan_wan: number
  months: {
    month: number
    completed_wan: number
    completion_rate_pct: number | null
    schedule_pct: number
    /** The same figures as the server formats them for display. */
    display?: { completed_wan: string; completion_rate_pct: string; schedule_pct: string }
  }[]
}

export interface ProjectStats {
  plan_wan: number
  completed_wan: number
  completion_rate_pct: number | null
  ahead_points: number | null
  display: Partial<StatsDisplay>
}

export interface Project {
  id: number
  code: string
  name: string
  level: Level
  nature: string
  industry: string
  region_id: number | null
  region_name?: string
  total_investment_wan: number | null
  owner: string
  unit: string
  person: string
  leader: string
  is_demo: boolean
  status: string
  planned_start: string | null
  planned_end: string | null
  content: string
  version: number
  created_at: string
  updated_at: string
  stats?: ProjectStats | null
}

export interface Plan {
  project_id?: number
  year: number
  plan_wan: number
  updated_at?: string
  updated_by?: string
}

export interface PlanRevision {
  year: number
  old_plan_wan: number | null
  new_plan_wan: number | null
  changed_at: string
  changed_by: string
}

export interface ProjectDetail extends Project {
  plans: Plan[]
}

export interface MonthlyReport {
  project_id?: number
  month: string
  completed_wan: number
  progress: string
  problems: string
  submitted_at?: string
  submitted_by?: string
}

export interface ReportRevision {
  month: string
  old_completed_wan?: number | null
  new_completed_wan?: number | null
  changed_at: string
  changed_by: string
  [k: string]: unknown
}

export interface HistoryEntry {
  changed_at: string
  changed_by: string
  action: string
  changes: Record<string, [unknown, unknown]>
}

export interface Page<T> {
  items: T[]
  total: number
  page: number
  page_size: number
  /** With `with_stats=1`: the month the figures are as of. */
  stats_as_of?: StatsAsOf
}

export interface StatsAsOf {
  year: number
  month: number
  schedule: 'month' | 'day'
  schedule_pct: number
  display: { schedule_pct: string }
}

export interface Region {
  id: number
  parent_id: number | null
  name: string
  code: string
  /** Retired regions are kept for history and hidden from pickers. */
  retired?: boolean
  /** The region it was merged into, when retired by a merge. */
  merged_into?: number | null
}

export interface Settings {
  current_year: number
  schedule: 'month' | 'day'
  report_deadline_day: number
  home_region_id: number | null
  /** 填报率 (%) a month needs before figures open on it by default. */
  headline_threshold_pct: number
  /** 'YYYY-MM' when the bureau pinned the current period, else null. */
  pinned_month: string | null
  /** The hour (0-23, Beijing time) from which the server makes the day's reminders. */
  reminder_hour: number
  /** Decimals (0-4) of rates written in generated reports (trailing zeros dropped). */
  report_pct_decimals: number
}

export interface ReportStatusItem {
  project_id: number
  code: string
  name: string
  owner: string
  unit: string
  reported: boolean
  submitted_at: string | null
  late: boolean
  level?: string
  completed_wan?: number | null
}

export interface ReportStatus {
  month: string
  deadline: string
  total: number
  reported: number
  late?: number
  rate_pct: number | null
  display: { rate_pct: string }
  items: ReportStatusItem[]
}

export interface AuditEntry {
  at: string
  user: string
  ip: string
  action: string
  entity: string
  entity_id: string | number | null
  before: unknown
  after: unknown
}

export interface ImportRowError {
  sheet?: string
  row: number
  column?: string
  col?: number
  reason?: string
  message?: string
}

/** What a committed import wrote. */
export interface ImportSummary {
  rows?: number
  projects_created?: number
  projects_updated?: number
  projects_unchanged?: number
  plans_written?: number
  reports_created?: number
  reports_replaced?: number
  reports_unchanged?: number
  nodes_created?: number
  nodes_updated?: number
  nodes_unchanged?: number
  /** An import of the 问题台账: problems added, and rows left out as already there (same project, text and date raised). */
  problems_added?: number
  problems_skipped?: number
  /** Demands written by an import of the 融资需求 list (the server counts them under projects_created). */
  demands_written?: number
  regions_created?: string[]
}

/** The answer of an import (dry run: a preview; otherwise the preview plus `summary` of what was written). */
export interface ImportResult {
  ok: boolean
  encoding?: string
  sheet?: string
  header_row?: number
  header?: string[]
  total_rows?: number
  rows?: { row: number; cells: string[] }[]
  ignored_columns?: string[]
  errors?: ImportRowError[]
  summary?: ImportSummary
}

// 挂图作战: node templates, a project's nodes, warning colours.

export type Colour = 'red' | 'yellow' | 'green'
export const COLOURS: Colour[] = ['red', 'yellow', 'green']
export type NodeState = 'not_due' | 'due_soon' | 'overdue' | 'done_on_time' | 'done_late'
export type WarningRuleName = 'investment' | 'start' | 'node' | 'report'
export type WarningGroupBy = 'level' | 'region' | 'industry' | 'unit' | 'leader'
export const WARNING_GROUP_BYS: WarningGroupBy[] = ['level', 'region', 'industry', 'unit', 'leader']

export interface NodeTemplate {
  id: number
  name: string
  nodes: string[]
  version: number
  updated_at: string
  updated_by: string
}

export interface ProjectNode {
  id: number
  project_id: number
  seq: number
  name: string
  planned: string | null
  actual: string | null
  unit: string
  person: string
  note: string
  version: number
  updated_at: string
  updated_by: string
}

/** A node with its state as of a date, as the server derives it. */
export interface ProjectNodeView extends ProjectNode {
  state: NodeState
  /** 未到期 临期 逾期 按期完成 逾期完成 */
  state_label: string
  /** overdue: days past the planned date; done late: days late; due soon / not due: days left; null without a planned date. */
  days: number | null
  colour: Colour
}

export interface WarningRules {
  invest_yellow_points: number
  invest_red_points: number
  start_red_months: number
  node_red_days: number
  report_red_months: number
  window_days: number
  deadline_day: number
  schedule: 'month' | 'day'
}

export interface Warning {
  rule: WarningRuleName
  rule_label: string
  colour: Colour
  detail: string
  unit: string
  person: string
  // investment
  plan_wan?: number
  completed_wan?: number
  completion_pct?: number | null
  schedule_pct?: number | null
  behind_points?: number | null
  display?: { completion_pct: string; behind_points: string }
  // start
  planned_start?: string | null
  months_late?: number
  // node
  node?: string
  planned?: string | null
  days_overdue?: number
  // report
  missing?: string[]
}

export interface ColourCounts {
  red: number
  yellow: number
  green: number
}

export interface ProjectColour {
  id: number
  code: string
  name: string
  level: Level
  region: string
  unit: string
  person: string
  leader: string
  colour: Colour
  warnings: Warning[]
}

export interface WarningResult {
  as_of: string
  rules: WarningRules
  schedule_pct: number
  levels: string[]
  by: WarningGroupBy | 'none' | string
  counts: ColourCounts
  projects: ProjectColour[]
  groups: (ColourCounts & { key: string })[]
  display: { schedule_pct: string }
}

export interface ApplyTemplateResult {
  projects: number
  nodes_added: number
  /** Codes of projects without planned start/end: their nodes have no planned dates. */
  without_dates: string[]
}

/** One notification of the bell (the signed-in user's own). */
export interface Notification {
  id: number
  kind: string
  project_id: number | null
  title: string
  body: string
  created_at: string
  read: boolean
}

export interface NotificationList {
  unread: number
  items: Notification[]
}

export type WebhookKind = 'wecom' | 'dingtalk' | 'feishu'
export const WEBHOOK_KINDS: WebhookKind[] = ['wecom', 'dingtalk', 'feishu']

/** A group robot; the secret is write-only (`signed` says whether one is kept). */
export interface Webhook {
  id: number
  name: string
  kind: WebhookKind
  url: string
  signed: boolean
  enabled: boolean
  version: number
  updated_at?: string
}

export interface WebhookInput {
  name?: string
  kind?: WebhookKind
  url?: string
  secret?: string
  enabled?: boolean
  version?: number
}

/** One message to a robot, as the job queue keeps it. */
export interface WebhookDelivery {
  id: number
  webhook_id: number | null
  state: string
  attempts: number
  next_at?: string
  last_error: string
  created_at: string
  done_at: string
}

/** One node on the wall chart, with its state as of the chart's date. */
export interface WallChartNode {
  id: number
  name: string
  seq: number
  planned: string | null
  actual: string | null
  state: NodeState
  state_label: string
  days: number | null
  colour: Colour
}

export interface WallChartProject {
  id: number
  code: string
  name: string
  level: string
  region: string
  unit: string
  leader: string
  colour: Colour
  planned_start?: string | null
  planned_end?: string | null
  nodes: WallChartNode[]
}

/** GET /api/wallchart: the counted projects of the as-of year with their colours and nodes. */
export interface WallChartResult {
  as_of: string
  counts: ColourCounts
  /** The node names in column order (the default templates' order first). */
  nodes: string[]
  projects: WallChartProject[]
}

// 问题清单 (清单制 + 责任制 + 销号制) and 现场督导: as /work/problems-api.md describes them.

export type ProblemState = 'pending' | 'working' | 'answered' | 'closed'
export const PROBLEM_STATES: ProblemState[] = ['pending', 'working', 'answered', 'closed']
export type ProblemAction =
  | 'assign' | 'object' | 'answer' | 'return' | 'confirm' | 'extend' | 'approve_extension' | 'refuse_extension' | 'reopen' | 'escalate'
  /** Not a move: the fields edited (PUT), by the bureau, or by the raiser while 待交办. */
  | 'edit'
export const PROBLEM_ACTIONS: ProblemAction[] = ['assign', 'answer', 'confirm', 'return', 'object', 'extend', 'approve_extension', 'refuse_extension', 'escalate', 'reopen', 'edit']

export interface Problem {
  id: number
  project_id: number
  project_code: string
  project_name: string
  category: string
  text: string
  source: string
  report_month: string | null
  visit_id: number | null
  raised_by: string
  raised_on: string
  lead_unit: string
  co_units: string[]
  person: string
  deadline: string | null
  state: ProblemState
  state_label: string
  answer: string
  closed_on: string | null
  close_note: string
  escalation: number
  escalation_label: string
  extension: { deadline: string; reason: string; by: string } | null
  /** Days past the deadline as of today (or the list's as_of); null when not overdue. */
  overdue_days: number | null
  version: number
  created_at: string
  updated_at: string
  updated_by: string
  /** The actions the caller may take now. */
  allowed: ProblemAction[]
}

export interface ProblemEvent {
  at: string
  on: string
  by: string
  action: string
  /** The server's name of the action, when it sends one. */
  action_label?: string
  from_state: ProblemState | null
  to_state: ProblemState | null
  note: string
  data?: Record<string, unknown>
}

export interface ProblemDetail extends Problem {
  events: ProblemEvent[]
}

export interface ProblemSummary {
  open: number
  overdue: number
  answered: number
  escalated: number
  pending_extensions: number
}

export interface ProblemLevel {
  level: number
  name: string
  logins: string[]
}

export interface ProblemSettings {
  categories: string[]
  sources: string[]
  escalation_days: number
  levels: ProblemLevel[]
}

export type ProblemStatsBy = 'unit' | 'category' | 'level' | 'region' | 'source'
export const PROBLEM_STATS_BYS: ProblemStatsBy[] = ['unit', 'category', 'level', 'region', 'source']

export interface ProblemFigures {
  raised: number
  closed: number
  closure_rate_pct: number | null
  open: number
  overdue: number
  closed_on_time: number
  avg_days_to_close: number | null
  /** The figures the web may not format itself (rate, average days), as the server formats them. */
  display?: ProblemFiguresDisplay
}

/** The same figures as strings, as the server formats them for showing. */
export type ProblemFiguresDisplay = { [K in keyof ProblemFigures]?: string | null }

export interface ProblemStats {
  as_of: string
  total: ProblemFigures
  groups: (ProblemFigures & { key: string })[]
  display?: ProblemFiguresDisplay & { total?: ProblemFiguresDisplay; groups?: ProblemFiguresDisplay[] }
  /** The headline in Chinese, as the server words it. */
  sentence?: string
}

export type FindingOutcome = 'open' | 'solved' | 'passed_up'
export const FINDING_OUTCOMES: FindingOutcome[] = ['open', 'solved', 'passed_up']

export interface VisitFinding {
  id?: number
  text: string
  category: string
  outcome: FindingOutcome
  problem_id?: number | null
}

export interface VisitStop {
  id?: number
  project_id: number
  project_code?: string
  project_name?: string
  seen: string
  reported: string
  on_schedule: boolean
  findings: VisitFinding[]
}

export interface Visit {
  id: number
  start: string
  end: string
  leader: string
  members: string[]
  note: string
  stops: VisitStop[]
  version: number
  updated_at: string
  updated_by: string
}

export interface VisitStats {
  from: string
  to: string
  visits: number
  projects_covered: number
  projects_total: number
  coverage_pct: number | null
  on_schedule: number
  with_problems: number
  findings: number
  solved_on_spot: number
  passed_up: number
  /** Stops made, findings made problems (as the server counts them, when it does). */
  stops?: number
  problems_raised?: number
  /** The coverage as the server formats it ("—" with no project to cover). */
  display?: { coverage_pct?: string }
}
