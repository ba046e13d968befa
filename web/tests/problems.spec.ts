import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { makeI18n } from '@/locales'
import zhMessages from '@/locales/zh-CN'
import enMessages from '@/locales/en'
import type { Problem, ProblemStats, Visit, VisitStats } from '@/api/types'
import {
  actionBody, actionFormOf, emptyProblemFilters, figuresText, groupDisplay, newProblemBody, orderedActions, overdueText,
  problemFiltersFromQuery, problemQueryFromFilters, problemsLink, problemStatsLine, problemStep, toProblemApiQuery, useProblemDetail,
} from '@/composables/useProblems'
import { defaultVisitRange, findingsCount, visitDates, visitFormOf, visitInputOf, visitStatsLine, yearStart } from '@/composables/useVisits'

const json = (status: number, body: unknown) => Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }))

const problem = (p: Partial<Problem>): Problem => ({
  id: 1, project_id: 7, project_code: 'S-001', project_name: '甲', category: '用地', text: '用地指标未落实', source: '月报', report_month: null, visit_id: null,
  raised_by: 'admin', raised_on: '2024-01-10', lead_unit: '', co_units: [], person: '', deadline: null, state: 'pending', state_label: '待交办',
  answer: '', closed_on: null, close_note: '', escalation: 0, escalation_label: '', extension: null, overdue_days: null,
  version: 1, created_at: '', updated_at: '', updated_by: 'admin', allowed: [], ...p,
})

describe('the 问题清单 filters', () => {
  it('round-trip through the address bar, and a department opens on its own to-do', () => {
    const f = { ...emptyProblemFilters(), state: 'working' as const, overdue: true, unit: '县住建局', project_id: 7, q: '用地', page: 3 }
    const q = problemQueryFromFilters(f)
    expect(q).toEqual({ state: 'working', overdue: '1', unit: '县住建局', project_id: '7', q: '用地', page: '3' })
    expect(problemFiltersFromQuery(q)).toEqual(f)
    expect(problemFiltersFromQuery({}, 'department').mine).toBe(true)
    expect(problemFiltersFromQuery({}, 'admin').mine).toBe(false)
    // a department that asked for everything keeps it: mine=0 in the address
    const all = problemQueryFromFilters({ ...emptyProblemFilters(), mine: false }, 'department')
    expect(all).toEqual({ mine: '0' })
    expect(problemFiltersFromQuery(all, 'department').mine).toBe(false)
  })
  it('drop what is not a state, a number or a page', () => {
    const f = problemFiltersFromQuery({ state: 'lost', project_id: 'x', page: '-2', open: 'yes' })
    expect(f).toEqual(emptyProblemFilters())
  })
  it('ask the server for the filters set and the page as offset and limit', () => {
    const q = toProblemApiQuery({ ...emptyProblemFilters(), open: true, mine: true, page: 2 }, 50)
    expect(q).toMatchObject({ open: 1, mine: 1, offset: 50, limit: 50, state: undefined, overdue: undefined })
  })
  it('make the dashboard’s links: the awaiting-confirmation count is the 待销号 state', () => {
    expect(problemsLink('answered')).toEqual({ path: '/problems', query: { state: 'answered' } })
    expect(problemsLink('overdue')).toEqual({ path: '/problems', query: { overdue: '1' } })
  })
})

describe('a problem', () => {
  const t = makeI18n('zh-CN').global.t as never
  const en = makeI18n('en', { en: enMessages as never }).global.t as never
  it('shows its state as the step of 待交办 → 办理中 → 待销号 → 已销号, all passed once closed', () => {
    expect(['pending', 'working', 'answered', 'closed'].map((s) => problemStep(s as Problem['state']))).toEqual([0, 1, 2, 4])
  })
  it('says 逾期N天 only when the server counts it overdue', () => {
    expect(overdueText(t, { overdue_days: 12 })).toBe('逾期12天')
    expect(overdueText(en, { overdue_days: 1 })).toBe('1 day overdue')
    expect(overdueText(t, { overdue_days: null })).toBe('')
  })
  it('shows a button for exactly the actions allowed, forward moves first', () => {
    expect(orderedActions(['escalate', 'return', 'confirm'])).toEqual(['confirm', 'return', 'escalate'])
    expect(orderedActions([])).toEqual([])
    expect(orderedActions(['edit', 'assign'])).toEqual(['assign', 'edit'])
  })
  it('opens each action’s form with what it already knows', () => {
    const p = problem({ lead_unit: '县自然资源局', co_units: ['县住建局'], person: '张三', deadline: '2024-02-10', escalation: 1 })
    expect(actionFormOf('assign', p)).toMatchObject({ lead_unit: '县自然资源局', co_units: ['县住建局'], person: '张三', deadline: '2024-02-10' })
    expect(actionFormOf('confirm', p, '2024-03-01').date).toBe('2024-03-01')
    expect(actionFormOf('confirm', { ...p, raised_on: '2024-03-02' }, '2024-03-01').date).toBe('2024-03-02')
    expect(actionFormOf('escalate', p).level).toBe(2)
    expect(actionFormOf('edit', p)).toMatchObject({ category: '用地', source: '月报', text: '用地指标未落实', person: '张三', deadline: '2024-02-10' })
  })
  it('sends an action’s own fields only, with the version read', () => {
    const f = { lead_unit: ' 县自然资源局 ', co_units: [], person: '', deadline: '2024-02-10', note: 'x', date: '2024-03-01', level: 3, category: '用地', source: '月报', text: '…' }
    expect(actionBody('assign', f, 4)).toEqual({ version: 4, lead_unit: '县自然资源局', deadline: '2024-02-10' })
    expect(actionBody('answer', f, 2)).toEqual({ version: 2, note: 'x' })
    expect(actionBody('confirm', { ...f, note: '' }, 2)).toEqual({ version: 2, date: '2024-03-01' })
    expect(actionBody('extend', f, 2)).toEqual({ version: 2, deadline: '2024-02-10', note: 'x' })
    expect(actionBody('escalate', f, 2)).toEqual({ version: 2, level: 3, note: 'x' })
    // a required field left empty still goes, so the server names it
    expect(actionBody('object', { ...f, note: '' }, 2)).toEqual({ version: 2, note: '' })
  })
  it('from a monthly report sends the month and no text', () => {
    const base = { project_id: 7, category: '用地', source: '月报', text: '报告里的问题', lead_unit: '', deadline: '' }
    expect(newProblemBody({ ...base, report_month: '2024-03' })).toEqual({ project_id: 7, category: '用地', source: '月报', report_month: '2024-03' })
    expect(newProblemBody({ ...base, report_month: '', lead_unit: '县住建局', deadline: '2024-04-01' })).toEqual({
      project_id: 7, category: '用地', source: '月报', text: '报告里的问题', lead_unit: '县住建局', deadline: '2024-04-01',
    })
  })
})

describe('the problem figures', () => {
  const t = makeI18n('zh-CN').global.t as never
  // as the server sends them: counts as numbers, the rate and the average days formatted in each row's `display`
  const stats: ProblemStats = {
    as_of: '2024-03-31',
    total: { raised: 191, closed: 190, closure_rate_pct: 99.47, open: 1, overdue: 1, closed_on_time: 180, avg_days_to_close: 6.25, display: { closure_rate_pct: '99.5', avg_days_to_close: '6.3' } },
    groups: [{ key: '县住建局', raised: 3, closed: 2, closure_rate_pct: 66.67, open: 1, overdue: 0, closed_on_time: 2, avg_days_to_close: 4, display: { closure_rate_pct: '66.7', avg_days_to_close: '4.0' } }],
  }
  it('say the server’s line in its own strings (the rounding is the server’s)', () => {
    expect(problemStatsLine(t, stats)).toBe('提出问题191个，办结190个，办结率99.5%，逾期1个')
    const none = { ...stats, total: { ...stats.total, raised: 0, closed: 0, overdue: 0, closure_rate_pct: null, display: { closure_rate_pct: '—' } } }
    expect(problemStatsLine(t, none)).toBe('提出问题0个，办结0个，逾期0个')
    // a top-level `display` (the contract's first wording) is read the same way
    expect(problemStatsLine(t, { ...stats, total: { ...stats.total, display: undefined }, display: { closure_rate_pct: '99.5' } })).toContain('办结率99.5%')
  })
  it('show a group’s rate only as the server formats it, its counts as sent', () => {
    expect(figuresText(groupDisplay(stats, 0), stats.groups[0], 'closure_rate_pct')).toBe('66.7')
    expect(figuresText(groupDisplay(stats, 0), stats.groups[0], 'avg_days_to_close')).toBe('4.0')
    expect(figuresText(null, stats.groups[0], 'avg_days_to_close')).toBe('—')
    expect(figuresText(null, stats.groups[0], 'raised')).toBe('3')
  })
})

describe('the problem drawer', () => {
  afterEach(() => vi.unstubAllGlobals())
  it('sends the action with the version, reloads the problem, and shows the field the server names', async () => {
    setActivePinia(createPinia())
    const calls: { method: string; url: string; body?: unknown }[] = []
    let current = problem({ state: 'answered', version: 3, allowed: ['confirm', 'return'] })
    vi.stubGlobal('fetch', vi.fn((url: string, init: RequestInit) => {
      calls.push({ method: init.method ?? 'GET', url, body: init.body ? JSON.parse(String(init.body)) : undefined })
      if (url === '/api/problems/1') return json(200, { ...current, events: [] })
      if (url === '/api/problems/1/actions/confirm') {
        const b = JSON.parse(String(init.body))
        if (b.date > '2099-01-01') return json(400, { error: { code: 'invalid_argument', message: '办结日期不能晚于今天 (date is in the future)', field: 'date' } })
        current = { ...current, state: 'closed', state_label: '已销号', version: 4, allowed: ['reopen'], closed_on: b.date }
        return json(200, current)
      }
      return json(404, {})
    }))
    const changed = vi.fn()
    let d!: ReturnType<typeof useProblemDetail>
    const C = defineComponent({ setup() { d = useProblemDetail(changed); return () => h('div') } })
    const m = mount(C, { global: { plugins: [makeI18n('zh-CN')] } })
    await d.open(1)
    expect(d.actions.value).toEqual(['confirm', 'return'])

    d.openAction('confirm')
    d.form.date = '2100-01-01'
    expect(await d.submit()).toBe(false)
    expect(d.fieldErrors.date).toBe('办结日期不能晚于今天')
    expect(changed).not.toHaveBeenCalled()

    d.form.date = '2024-02-01'
    d.form.note = '已电话回访'
    expect(await d.submit()).toBe(true)
    await flushPromises()
    expect(calls.filter((c) => c.method === 'POST').at(-1)?.body).toEqual({ version: 3, note: '已电话回访', date: '2024-02-01' })
    expect(d.problem.value?.state).toBe('closed')
    expect(d.actions.value).toEqual(['reopen'])
    expect(d.action.value).toBeNull()
    expect(changed).toHaveBeenCalledTimes(1)
    m.unmount()
  })
})

describe('a supervision visit', () => {
  const t = makeI18n('zh-CN').global.t as never
  const visit: Visit = {
    id: 3, start: '2024-03-12', end: '2024-03-12', leader: '李四', members: ['王五'], note: '', version: 2, updated_at: '', updated_by: 'admin',
    stops: [
      { id: 5, project_id: 7, project_code: 'S-001', project_name: '甲', seen: '主体施工', reported: '主体施工', on_schedule: true,
        findings: [{ id: 9, text: '用地未清表', category: '用地', outcome: 'open', problem_id: 12 }, { id: 10, text: '', category: '', outcome: 'solved' }] },
    ],
  }
  it('counts its findings and shows its dates', () => {
    expect(findingsCount(visit)).toBe(2)
    expect(visitDates(visit)).toBe('2024-03-12')
    expect(visitDates({ start: '2024-03-12', end: '2024-03-13' })).toBe('2024-03-12 ~ 2024-03-13')
    expect(yearStart('2024-05-06')).toBe('2024-01-01')
    expect(defaultVisitRange(2024, '2026-12-01')).toEqual(['2024-01-01', '2024-12-31'])
    expect(defaultVisitRange(2026, '2026-12-01')).toEqual(['2026-01-01', '2026-12-01'])
    expect(defaultVisitRange(null, '2026-12-01')).toEqual(['2026-01-01', '2026-12-01'])
  })
  it('sends its stops and findings with their ids, a finding’s problem kept, blank ones and project-less stops left out', () => {
    const f = visitFormOf(visit)
    f.members.push(' ')
    f.stops.push({ ...f.stops[0], key: 99, id: undefined, project_id: 0 })
    const input = visitInputOf(f)
    expect(input.members).toEqual(['王五'])
    expect(input.stops).toEqual([
      { id: 5, project_id: 7, seen: '主体施工', reported: '主体施工', on_schedule: true, findings: [{ id: 9, text: '用地未清表', category: '用地', outcome: 'open', problem_id: 12 }] },
    ])
  })
  it('opens a new visit on today with one empty stop', () => {
    const f = visitFormOf(null, '2024-03-12')
    expect(f).toMatchObject({ start: '2024-03-12', end: '2024-03-12', leader: '', members: [] })
    expect(f.stops).toHaveLength(1)
  })
  it('says the period in one line from the server’s figures', () => {
    const s: VisitStats = { from: '2024-01-01', to: '2024-03-31', visits: 14, projects_covered: 57, projects_total: 60, coverage_pct: 95, on_schedule: 23, with_problems: 34, findings: 41, solved_on_spot: 17, passed_up: 7, display: { coverage_pct: '95.0' } }
    expect(visitStatsLine(t, { ...s, display: { coverage_pct: '—' } })).toContain('覆盖率—，')
    expect(visitStatsLine(t, s)).toBe('开展现场督导14次，督导项目57个（共60个），覆盖率95.0%，进度正常23个，存在问题34个，发现问题41个，现场解决17个，上报7个')
  })
})

describe('the messages', () => {
  const isMessage = (v: unknown) => typeof v !== 'object' || v === null || 'type' in (v as object)
  const keys = (o: object, prefix = ''): string[] =>
    Object.entries(o).flatMap(([k, v]) => (isMessage(v) ? [`${prefix}${k}`] : keys(v as object, `${prefix}${k}.`)))
  it('of problems, visits, the menu and the import page exist in both languages', () => {
    for (const section of ['problems', 'visits', 'nav', 'import'] as const) {
      expect(keys(enMessages[section]).sort()).toEqual(keys(zhMessages[section]).sort())
    }
  })
})
