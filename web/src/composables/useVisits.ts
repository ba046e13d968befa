import { reactive, ref, shallowRef } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage } from 'element-plus'
import { ApiError } from '@/api/http'
import { listProjects } from '@/api/projects'
import { createVisit, findingToProblem, getVisit, getVisitStats, listVisits, updateVisit, type VisitInput } from '@/api/visits'
import type { Problem, Visit, VisitFinding, VisitStats, VisitStop } from '@/api/types'
import { todayKey } from './format'
import { useErrorText } from './useErrorText'
import { useLookups } from './useLookups'

type Translate = (key: string, values?: Record<string, unknown>, plural?: number) => string

/** The findings of a visit, over all its stops. */
export function findingsCount(v: Pick<Visit, 'stops'>): number {
  return (v.stops ?? []).reduce((n, s) => n + (s.findings?.length ?? 0), 0)
}

/** "2024-03-12" for a one-day visit, "2024-03-12 ~ 2024-03-13" for longer ones. */
export function visitDates(v: Pick<Visit, 'start' | 'end'>): string {
  return !v.end || v.end === v.start ? v.start : `${v.start} ~ ${v.end}`
}

/** The visit form, as typed: members one per tag, a stop per project visited, its findings under it. */
export interface VisitForm {
  start: string
  end: string
  leader: string
  members: string[]
  note: string
  stops: FormStop[]
}

/** A stop as the form holds it: no project picked yet is null; `key` tells the rows apart while typing. */
export type FormStop = Omit<VisitStop, 'project_id'> & { project_id: number | null; key: number }

let keys = 0
export const emptyFinding = (): VisitFinding => ({ text: '', category: '', outcome: 'open' })
export const emptyStop = (): FormStop => ({ key: ++keys, project_id: null, seen: '', reported: '', on_schedule: true, findings: [] })

export function visitFormOf(v: Visit | null, today = todayKey()): VisitForm {
  if (!v) return { start: today, end: today, leader: '', members: [], note: '', stops: [emptyStop()] }
  return {
    start: v.start,
    end: v.end || v.start,
    leader: v.leader,
    members: [...v.members],
    note: v.note,
    stops: v.stops.map((s) => ({ ...s, key: ++keys, findings: s.findings.map((f) => ({ ...f })) })),
  }
}

/**
 * What the form sends: stops with a project, findings with text; the ids of stops and findings already saved
 * go back with them (a finding that became a problem keeps it). Names and codes are the server's, not sent.
 */
export function visitInputOf(f: VisitForm): VisitInput {
  return {
    start: f.start,
    end: f.end || f.start,
    leader: f.leader.trim(),
    members: f.members.map((m) => m.trim()).filter(Boolean),
    note: f.note,
    stops: f.stops
      .filter((s): s is FormStop & { project_id: number } => !!s.project_id)
      .map((s) => ({
        ...(s.id ? { id: s.id } : {}),
        project_id: s.project_id,
        seen: s.seen.trim(),
        reported: s.reported.trim(),
        on_schedule: s.on_schedule,
        findings: s.findings
          .filter((x) => x.text.trim())
          .map((x) => ({ ...(x.id ? { id: x.id } : {}), text: x.text.trim(), category: x.category, outcome: x.outcome, ...(x.problem_id ? { problem_id: x.problem_id } : {}) })),
      })),
  }
}

const pct = (v: string) => (v === '—' || v === '' ? '—' : `${v}%`)

/** "开展现场督导14次，督导项目N个，覆盖率X%，…" from the server's figures (the web adds nothing up). */
export function visitStatsLine(t: Translate, s: VisitStats | null): string {
  if (!s) return ''
  return t('visits.stats.line', {
    visits: s.visits,
    covered: s.projects_covered,
    total: s.projects_total,
    coverage: pct(s.display?.coverage_pct ?? (s.coverage_pct === null || s.coverage_pct === undefined ? '—' : String(s.coverage_pct))),
    onSchedule: s.on_schedule,
    withProblems: s.with_problems,
    findings: s.findings,
    solved: s.solved_on_spot,
    passedUp: s.passed_up,
  })
}

/** 1 January of this year: the start of the period the page opens with. */
export function yearStart(today = todayKey()): string {
  return `${today.slice(0, 4)}-01-01`
}

/** The period the page opens with: the bureau's current year (the settings'), up to today when that year is this one. */
export function defaultVisitRange(currentYear: number | null | undefined, today = todayKey()): [string, string] {
  if (!currentYear) return [yearStart(today), today]
  const end = `${currentYear}-12-31`
  return [`${currentYear}-01-01`, today < end ? today : end]
}

/** The 现场督导 page: the visits of a period and its figures, a visit's stops and findings, the form. */
export function useVisits() {
  const { t } = useI18n()
  const errorText = useErrorText()
  const lookups = useLookups()
  const range = ref<[string, string]>([yearStart(), todayKey()])
  const items = shallowRef<Visit[]>([])
  const stats = shallowRef<VisitStats | null>(null)
  const loading = ref(false)
  const error = ref('')
  let seq = 0

  async function load() {
    const mine = ++seq
    loading.value = true
    error.value = ''
    const [from, to] = range.value ?? ['', '']
    try {
      const [v, s] = await Promise.all([listVisits({ from, to }), getVisitStats({ from, to })])
      if (mine !== seq) return
      items.value = v.items
      stats.value = s
    } catch (e) {
      if (mine === seq) error.value = errorText(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  function setRange(r: [string, string] | null) {
    range.value = r ?? defaultVisitRange(lookups.settings.value?.current_year)
    void load()
  }
  /** Opens on the bureau's current year. */
  async function start() {
    await lookups.loadSettings()
    range.value = defaultVisitRange(lookups.settings.value?.current_year)
    return load()
  }

  // one visit, opened
  const current = shallowRef<Visit | null>(null)
  async function open(id: number) {
    try {
      current.value = await getVisit(id)
    } catch (e) {
      ElMessage.error(errorText(e))
    }
  }

  // the form
  const formOpen = ref(false)
  const editing = shallowRef<Visit | null>(null)
  const form = reactive<VisitForm>(visitFormOf(null))
  const fieldErrors = reactive<Record<string, string>>({})
  const formError = ref('')
  const saving = ref(false)
  const clearErrors = () => {
    formError.value = ''
    for (const k of Object.keys(fieldErrors)) delete fieldErrors[k]
  }
  function openForm(v: Visit | null) {
    clearErrors()
    editing.value = v
    Object.assign(form, visitFormOf(v))
    formOpen.value = true
  }
  async function saveForm() {
    clearErrors()
    saving.value = true
    try {
      const input = visitInputOf(form)
      const v = editing.value ? await updateVisit(editing.value.id, { ...input, version: editing.value.version }) : await createVisit(input)
      ElMessage.success(t('visits.saved'))
      formOpen.value = false
      current.value = v
      await load()
      return v
    } catch (e) {
      if (e instanceof ApiError && e.field) fieldErrors[e.field] = errorText(e)
      else formError.value = errorText(e)
      return null
    } finally {
      saving.value = false
    }
  }

  // project choices for a stop: searched by name or code; the stops' own projects kept as options
  const projectOptions = shallowRef<{ id: number; label: string }[]>([])
  async function searchProjects(q: string) {
    try {
      const r = await listProjects({ q: q || undefined, page: 1, page_size: 20 })
      const known = form.stops.filter((s) => s.project_id && s.project_name).map((s) => ({ id: s.project_id as number, label: `${s.project_code ?? ''} ${s.project_name}`.trim() }))
      const found = r.items.map((p) => ({ id: p.id, label: `${p.code} ${p.name}` }))
      projectOptions.value = [...known.filter((k) => !found.some((f) => f.id === k.id)), ...found]
    } catch {
      /* keep the choices there are */
    }
  }

  // a finding turned into a problem
  const toProblem = shallowRef<VisitFinding | null>(null)
  const toProblemForm = reactive({ lead_unit: '', deadline: '' })
  async function saveToProblem(): Promise<Problem | null> {
    const v = current.value
    const f = toProblem.value
    if (!v || !f?.id) return null
    try {
      const p = await findingToProblem(v.id, f.id, { lead_unit: toProblemForm.lead_unit || undefined, deadline: toProblemForm.deadline || undefined })
      ElMessage.success(t('visits.toProblemDone', { id: p.id }))
      toProblem.value = null
      await open(v.id)
      void load()
      return p
    } catch (e) {
      ElMessage.error(errorText(e))
      return null
    }
  }
  function openToProblem(f: VisitFinding) {
    toProblemForm.lead_unit = ''
    toProblemForm.deadline = ''
    toProblem.value = f
  }

  return {
    range, items, stats, loading, error, load, start, setRange,
    current, open,
    formOpen, editing, form, fieldErrors, formError, saving, openForm, saveForm,
    projectOptions, searchProjects,
    toProblem, toProblemForm, openToProblem, saveToProblem,
  }
}
