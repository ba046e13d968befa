import { computed, reactive, ref, shallowRef, watch } from 'vue'
import { useI18n } from 'vue-i18n'
import { useRoute, useRouter, type LocationQuery } from 'vue-router'
import { ElMessage } from 'element-plus'
import {
  actOnProblem, createProblem, exportProblems, updateProblem, getProblem, getProblemSettings, getProblemStats, getProblemSummary, listProblems,
  type ActionBody, type NewProblem, type ProblemQuery,
} from '@/api/problems'
import {
  PROBLEM_STATES, PROBLEM_STATS_BYS,
  type Problem, type ProblemAction, type ProblemDetail, type ProblemFigures, type ProblemFiguresDisplay, type ProblemSettings, type ProblemState,
  type ProblemStats, type ProblemStatsBy, type ProblemSummary, type Role,
} from '@/api/types'
import { useAuthStore } from '@/stores/auth'
import { todayKey } from './format'
import { useErrorText } from './useErrorText'
import { useFormErrors } from './useFormErrors'
import { useProjectSearch } from './useProjectSearch'
import { useExport } from './useExport'

type Translate = (key: string, values?: Record<string, unknown>, plural?: number) => string

export const PROBLEM_PAGE_SIZE = 50

/** The 问题清单 page's filters, as the address bar holds them (a dashboard click or a shared link opens the same list). */
export interface ProblemFilters {
  state: ProblemState | ''
  open: boolean
  overdue: boolean
  escalated: boolean
  mine: boolean
  unit: string
  category: string
  source: string
  project_id: number | null
  q: string
  page: number
}

export function emptyProblemFilters(): ProblemFilters {
  return { state: '', open: false, overdue: false, escalated: false, mine: false, unit: '', category: '', source: '', project_id: null, q: '', page: 1 }
}

const str = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '')
const posInt = (v: unknown) => {
  const n = Number(str(v))
  return Number.isInteger(n) && n > 0 ? n : null
}

/**
 * The filters of an address. A department opening the plain page sees its own to-do first (我的待办: mine=1);
 * `mine=0` in the address says it asked for everything.
 */
export function problemFiltersFromQuery(q: LocationQuery, role: Role | null = null): ProblemFilters {
  const f = emptyProblemFilters()
  const state = str(q.state)
  f.state = (PROBLEM_STATES as string[]).includes(state) ? (state as ProblemState) : ''
  f.open = str(q.open) === '1'
  f.overdue = str(q.overdue) === '1'
  f.escalated = str(q.escalated) === '1'
  f.mine = str(q.mine) === '1' || (role === 'department' && q.mine === undefined)
  f.unit = str(q.unit)
  f.category = str(q.category)
  f.source = str(q.source)
  f.project_id = posInt(q.project_id)
  f.q = str(q.q)
  f.page = posInt(q.page) ?? 1
  return f
}

export function problemQueryFromFilters(f: ProblemFilters, role: Role | null = null): Record<string, string> {
  const out: Record<string, string> = {}
  if (f.state) out.state = f.state
  if (f.open) out.open = '1'
  if (f.overdue) out.overdue = '1'
  if (f.escalated) out.escalated = '1'
  if (f.mine) out.mine = '1'
  else if (role === 'department') out.mine = '0'
  if (f.unit) out.unit = f.unit
  if (f.category) out.category = f.category
  if (f.source) out.source = f.source
  if (f.project_id !== null) out.project_id = String(f.project_id)
  if (f.q) out.q = f.q
  if (f.page > 1) out.page = String(f.page)
  return out
}

/** What the server is asked: the filters that are set, and the page as offset/limit. */
export function toProblemApiQuery(f: ProblemFilters, limit = PROBLEM_PAGE_SIZE): ProblemQuery {
  return {
    state: f.state || undefined,
    open: f.open ? 1 : undefined,
    overdue: f.overdue ? 1 : undefined,
    escalated: f.escalated ? 1 : undefined,
    mine: f.mine ? 1 : undefined,
    unit: f.unit || undefined,
    category: f.category || undefined,
    source: f.source || undefined,
    project_id: f.project_id,
    q: f.q || undefined,
    offset: (f.page - 1) * limit,
    limit,
  }
}

/** The 问题清单 address for a dashboard count: `open`, `overdue`, `answered` (awaiting 销号) or `escalated`. */
export function problemsLink(which: 'open' | 'overdue' | 'answered' | 'escalated'): { path: string; query: Record<string, string> } {
  const f = emptyProblemFilters()
  if (which === 'answered') f.state = 'answered'
  else f[which] = true
  return { path: '/problems', query: problemQueryFromFilters(f) }
}

/** The step of the bar 待交办 → 办理中 → 待销号 → 已销号 (0…3); a closed problem has passed every step (4). */
export function problemStep(state: ProblemState): number {
  return state === 'closed' ? 4 : Math.max(0, PROBLEM_STATES.indexOf(state))
}

/** "逾期N天" when the server counts the problem overdue, else ''. */
export function overdueText(t: Translate, p: Pick<Problem, 'overdue_days'>): string {
  return p.overdue_days === null || p.overdue_days === undefined ? '' : t('problems.overdueDays', { n: p.overdue_days }, p.overdue_days)
}

/** The tag of a state: 待交办 grey, 办理中 blue, 待销号 amber, 已销号 green. */
export function problemStateTag(s: ProblemState): 'info' | 'primary' | 'warning' | 'success' {
  return ({ pending: 'info', working: 'primary', answered: 'warning', closed: 'success' } as const)[s] ?? 'info'
}

/** The form of each action: the fields it sends and which of them the server requires. */
export type ActionField = 'lead_unit' | 'co_units' | 'person' | 'deadline' | 'note' | 'date' | 'level' | 'category' | 'source' | 'text'
export const ACTION_FIELDS: Record<ProblemAction, { fields: ActionField[]; required: ActionField[] }> = {
  assign: { fields: ['lead_unit', 'co_units', 'person', 'deadline'], required: ['lead_unit', 'deadline'] },
  object: { fields: ['note'], required: ['note'] },
  answer: { fields: ['note'], required: ['note'] },
  return: { fields: ['note'], required: ['note'] },
  confirm: { fields: ['note', 'date'], required: [] },
  extend: { fields: ['deadline', 'note'], required: ['deadline', 'note'] },
  approve_extension: { fields: ['note'], required: [] },
  refuse_extension: { fields: ['note'], required: [] },
  reopen: { fields: ['note'], required: ['note'] },
  escalate: { fields: ['level', 'note'], required: ['level'] },
  edit: { fields: ['category', 'source', 'text', 'person', 'deadline'], required: ['category', 'text'] },
}

/** The typed fields of an action's form. */
export interface ActionForm {
  lead_unit: string
  co_units: string[]
  person: string
  deadline: string
  note: string
  date: string
  level: number | null
  category: string
  source: string
  text: string
}

/** The form an action opens with: what the problem already says (assign: its unit and person; confirm: today). */
export function actionFormOf(action: ProblemAction, p: Problem, today = todayKey()): ActionForm {
  const f: ActionForm = { lead_unit: '', co_units: [], person: '', deadline: '', note: '', date: '', level: null, category: '', source: '', text: '' }
  if (action === 'edit') Object.assign(f, { category: p.category, source: p.source, text: p.text, person: p.person, deadline: p.deadline ?? '' })
  if (action === 'assign') Object.assign(f, { lead_unit: p.lead_unit, co_units: [...p.co_units], person: p.person, deadline: p.deadline ?? '' })
  // today, but never before the day it was raised (a browser whose clock is behind Beijing's)
  if (action === 'confirm') f.date = today < p.raised_on ? p.raised_on : today
  if (action === 'escalate') f.level = Math.min(4, p.escalation + 1)
  return f
}

/** The body of an action: its own fields only (empty optional ones left out), plus the version read. */
export function actionBody(action: ProblemAction, f: ActionForm, version: number): ActionBody & { version: number } {
  const body: ActionBody & { version: number } = { version }
  const { fields, required } = ACTION_FIELDS[action]
  for (const k of fields) {
    const v = f[k]
    const empty = v === null || v === '' || (Array.isArray(v) && !v.length)
    if (empty && !required.includes(k)) continue
    if (k === 'category' || k === 'source' || k === 'text') continue
    if (k === 'co_units') body.co_units = f.co_units
    else if (k === 'level') body.level = f.level ?? undefined
    else body[k] = typeof v === 'string' ? v.trim() : (v as never)
  }
  return body
}

/** The actions in the order their buttons show: the forward move first, the escalation and reopening last. */
export function orderedActions(allowed: readonly ProblemAction[]): ProblemAction[] {
  const order: ProblemAction[] = ['assign', 'answer', 'confirm', 'approve_extension', 'refuse_extension', 'return', 'extend', 'object', 'escalate', 'reopen', 'edit']
  return order.filter((a) => allowed.includes(a))
}

/** The server's display strings of one row of figures (its own `display`, or the total's); '' when absent. */
export function figuresText(d: ProblemFiguresDisplay | undefined | null, raw: ProblemFigures | undefined | null, k: keyof ProblemFigures): string {
  const s = d?.[k]
  if (s !== undefined && s !== null && s !== '') return s
  const v = raw?.[k]
  // counts are whole numbers the server sent: shown as they are; a rate or an average only as the server formats it
  if (typeof v === 'number' && Number.isInteger(v) && k !== 'closure_rate_pct' && k !== 'avg_days_to_close') return String(v)
  return k === 'closure_rate_pct' || k === 'avg_days_to_close' ? '—' : ''
}

/** The total's display strings: the total's own `display`, or `display.total`, or `display` itself. */
export function totalDisplay(s: ProblemStats | null): ProblemFiguresDisplay | null {
  if (!s) return null
  return s.total.display ?? s.display?.total ?? s.display ?? null
}

/** A group's display strings: its own `display`, or the server's list of them in the same order. */
export function groupDisplay(s: ProblemStats, i: number): ProblemFiguresDisplay | null {
  return s.groups[i]?.display ?? s.display?.groups?.[i] ?? null
}

/**
 * "提出问题N个，办结M个，办结率X%，逾期K个" from the server's strings; with nothing raised there is no rate
 * (the server's "—"), and the line leaves it out.
 */
export function problemStatsLine(t: Translate, s: ProblemStats | null): string {
  if (!s) return ''
  const d = totalDisplay(s)
  const v = (k: keyof ProblemFigures) => figuresText(d, s.total, k)
  const rate = v('closure_rate_pct')
  const values = { raised: v('raised'), closed: v('closed'), rate, overdue: v('overdue') }
  return rate === '—' || rate === '' ? t('problems.stats.lineNoRate', values) : t('problems.stats.line', values)
}

/** The 问题清单 page: filters in the address, a page of problems in the server's order, the export of the same filters. */
export function useProblemList() {
  const route = useRoute()
  const router = useRouter()
  const auth = useAuthStore()
  const errorText = useErrorText()
  const exp = useExport()
  const filters = reactive<ProblemFilters>(problemFiltersFromQuery(route.query, auth.role))
  const items = shallowRef<Problem[]>([])
  const total = ref(0)
  const loading = ref(false)
  const error = ref('')
  let seq = 0

  async function load() {
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const r = await listProblems(toProblemApiQuery(filters))
      if (mine !== seq) return
      items.value = r.items
      total.value = r.total
    } catch (e) {
      if (mine !== seq) return
      error.value = errorText(e)
      items.value = []
      total.value = 0
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  function apply() {
    return router.replace({ query: problemQueryFromFilters(filters, auth.role) })
  }
  /** Changes filters; any change but the page's goes back to page 1. */
  function set(patch: Partial<ProblemFilters>) {
    Object.assign(filters, patch)
    if (patch.page === undefined) filters.page = 1
    void apply()
  }
  function reset() {
    Object.assign(filters, emptyProblemFilters())
    void apply()
  }
  const filtered = computed(() => {
    const f = filters
    return !!(f.state || f.open || f.overdue || f.escalated || f.mine || f.unit || f.category || f.source || f.project_id !== null || f.q)
  })

  watch(
    () => route.query,
    (q) => {
      if (route.name !== 'problems') return
      Object.assign(filters, problemFiltersFromQuery(q, auth.role))
      void load()
    },
  )

  const exportXlsx = () => exp.run(() => exportProblems(toProblemApiQuery(filters)))
  return { filters, items, total, loading, error, filtered, load, set, reset, exportXlsx, exporting: exp.exporting }
}

/** The settings the pages pick from (categories, sources, the levels' names); loaded once per page load. */
const settingsRef = shallowRef<ProblemSettings | null>(null)
let settingsP: Promise<void> | null = null
export function useProblemSettings() {
  function load(force = false) {
    if (!settingsP || force) settingsP = getProblemSettings().then((s) => void (settingsRef.value = s)).catch(() => void (settingsP = null))
    return settingsP
  }
  function set(s: ProblemSettings) {
    settingsRef.value = s
  }
  return { settings: settingsRef, load, set }
}

/**
 * One problem: its fields and events, and the form of each action the server allows now.
 * `onChanged` runs after every move (the list and the figures reload).
 */
export function useProblemDetail(onChanged: (p: Problem) => void = () => {}) {
  const { t } = useI18n()
  const errorText = useErrorText()
  const problem = shallowRef<ProblemDetail | null>(null)
  const loading = ref(false)
  const error = ref('')
  const errs = useFormErrors()
  let seq = 0

  async function open(id: number) {
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const p = await getProblem(id)
      if (mine === seq) problem.value = p
    } catch (e) {
      if (mine === seq) error.value = errorText(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  function close() {
    seq++
    problem.value = null
    error.value = ''
  }

  const action = ref<ProblemAction | null>(null)
  const form = reactive<ActionForm>({ lead_unit: '', co_units: [], person: '', deadline: '', note: '', date: '', level: null, category: '', source: '', text: '' })
  const saving = ref(false)
  const actions = computed(() => orderedActions(problem.value?.allowed ?? []))
  function openAction(a: ProblemAction) {
    if (!problem.value) return
    errs.clear()
    Object.assign(form, actionFormOf(a, problem.value))
    action.value = a
  }
  async function submit() {
    const p = problem.value
    const a = action.value
    if (!p || !a) return false
    errs.clear()
    saving.value = true
    try {
      const next =
        a === 'edit'
          ? await updateProblem(p.id, { version: p.version, category: form.category, source: form.source, text: form.text.trim(), person: form.person.trim(), deadline: form.deadline || null })
          : await actOnProblem(p.id, a, actionBody(a, form, p.version))
      ElMessage.success(t('problems.done', { action: t(`problems.actions.${a}`) }))
      action.value = null
      await open(p.id)
      onChanged(next)
      return true
    } catch (e) {
      errs.show(e)
      return false
    } finally {
      saving.value = false
    }
  }
  return { problem, loading, error, open, close, actions, action, form, saving, openAction, submit, fieldErrors: errs.fieldErrors, formError: errs.formError }
}

/** The new-problem form, as typed. */
export interface NewProblemForm {
  project_id: number | null
  category: string
  source: string
  text: string
  lead_unit: string
  deadline: string
  /** YYYY-MM: the problem is that month's report's 存在问题 (the server takes the text). */
  report_month: string
}

export function newProblemBody(f: NewProblemForm): NewProblem {
  const b: NewProblem = { project_id: f.project_id ?? 0, category: f.category, source: f.source }
  if (f.report_month) b.report_month = f.report_month
  else b.text = f.text.trim()
  if (f.lead_unit.trim()) b.lead_unit = f.lead_unit.trim()
  if (f.deadline) b.deadline = f.deadline
  return b
}

/** The 新建问题 dialog: a project picked by name or code (or fixed: a project's page), and the problem's fields. */
export function useNewProblem(onCreated: (p: Problem) => void = () => {}) {
  const { t } = useI18n()
  const errs = useFormErrors()
  const ps = useProblemSettings()
  const visible = ref(false)
  const saving = ref(false)
  const form = reactive<NewProblemForm>({ project_id: null, category: '', source: '', text: '', lead_unit: '', deadline: '', report_month: '' })
  const { options: projectOptions, searching, search: searchProjects } = useProjectSearch()
  const projectFixed = ref(false)

  /** Opens the form; on a project's page the project is fixed, from a monthly report its 存在问题 too (`report`). */
  function open(project: { id: number; code: string; name: string } | null = null, report: { month: string; problems: string } | null = null) {
    errs.clear()
    Object.assign(form, { project_id: project?.id ?? null, category: '', source: '', text: report?.problems ?? '', lead_unit: '', deadline: '', report_month: report?.month ?? '' })
    projectFixed.value = !!project
    projectOptions.value = project ? [{ id: project.id, label: `${project.code} ${project.name}` }] : []
    visible.value = true
    void ps.load().then(() => {
      const sources = ps.settings.value?.sources ?? []
      if (!form.source) form.source = report && sources.includes('月报') ? '月报' : (sources[0] ?? '')
    })
  }
  async function save() {
    errs.clear()
    saving.value = true
    try {
      const p = await createProblem(newProblemBody(form))
      ElMessage.success(t('problems.created'))
      visible.value = false
      onCreated(p)
      return p
    } catch (e) {
      errs.show(e)
      return null
    } finally {
      saving.value = false
    }
  }
  return { visible, saving, form, projectOptions, projectFixed, searching, open, searchProjects, save, fieldErrors: errs.fieldErrors, formError: errs.formError, settings: ps.settings }
}

/** The 问题统计 panel: the server's figures as of a date, grouped one way. */
export function useProblemStats() {
  const errorText = useErrorText()
  const asOf = ref('')
  const by = ref<ProblemStatsBy>('unit')
  const stats = shallowRef<ProblemStats | null>(null)
  const loading = ref(false)
  const error = ref('')
  let seq = 0
  async function load() {
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const s = await getProblemStats({ as_of: asOf.value || undefined, by: by.value })
      if (mine === seq) stats.value = s
    } catch (e) {
      if (mine === seq) error.value = errorText(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  function setBy(b: string) {
    by.value = (PROBLEM_STATS_BYS as string[]).includes(b) ? (b as ProblemStatsBy) : 'unit'
    void load()
  }
  function setAsOf(d: string | null) {
    asOf.value = d ?? ''
    void load()
  }
  return { asOf, by, stats, loading, error, load, setBy, setAsOf }
}

/** The dashboard's problem counts, in the caller's scope. */
export function useProblemSummary() {
  const summary = shallowRef<ProblemSummary | null>(null)
  const error = ref('')
  const errorText = useErrorText()
  async function load() {
    try {
      summary.value = await getProblemSummary()
    } catch (e) {
      error.value = errorText(e)
    }
  }
  return { summary, error, load }
}
