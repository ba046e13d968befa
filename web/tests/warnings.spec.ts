import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { makeI18n } from '@/locales'
import zhMessages from '@/locales/zh-CN'
import enMessages from '@/locales/en'
import * as http from '@/api/http'
import type { Project, ProjectNodeView, WarningResult } from '@/api/types'
import { groupFilter, shownCounts, toWarningApiQuery, useWarnings, warningFiltersFromQuery, warningQueryFromFilters, warningRows, warningsLink } from '@/composables/useWarnings'
import { asOfAfterComplete, nodeDaysText, nodeFormOf, nodeInputOf, nodeStateTag, useProjectNodes } from '@/composables/useProjectNodes'
import { coloursAsOf } from '@/composables/useProjectList'
import { appliedText, nodeLines } from '@/composables/useNodeTemplates'
import { resetLookups } from '@/composables/useLookups'
import { rulesBody, useWarningRules } from '@/composables/useWarningRules'

const json = (status: number, body: unknown) => Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }))

const result: WarningResult = {
  as_of: '2024-03-31',
  rules: { invest_yellow_points: 10, invest_red_points: 30, start_red_months: 2, node_red_days: 30, report_red_months: 2, window_days: 15, deadline_day: 5, schedule: 'month' },
  schedule_pct: 25,
  levels: [],
  by: 'unit',
  counts: { red: 1, yellow: 1, green: 1 },
  projects: [
    {
      id: 7, code: 'P7', name: '甲', level: '市重点', region: '龙台镇', unit: '县水利局', person: '张伟', leader: '', colour: 'red',
      warnings: [
        { rule: 'node', rule_label: '节点', colour: 'red', detail: '节点「开工」逾期40天', unit: '县水利局', person: '张伟', node: '开工', days_overdue: 40 },
        { rule: 'report', rule_label: '月报', colour: 'yellow', detail: '2024年2月月报未报', unit: '县水利局', person: '张伟', missing: ['2024-02'] },
      ],
    },
    { id: 8, code: 'P8', name: '乙', level: '县重点', region: '仓山镇', unit: '县教育局', person: '李明', leader: '', colour: 'yellow', warnings: [{ rule: 'start', rule_label: '开工', colour: 'yellow', detail: '滞后1个月', unit: '县教育局', person: '李明', months_late: 1 }] },
    { id: 9, code: 'P9', name: '丙', level: '县重点', region: '仓山镇', unit: '县教育局', person: '李明', leader: '', colour: 'green', warnings: [] },
  ],
  groups: [{ key: '县教育局', red: 0, yellow: 1, green: 1 }, { key: '县水利局', red: 1, yellow: 0, green: 0 }],
  display: { schedule_pct: '25.0' },
}

describe('the 预警 list', () => {
  it('has a row per warning, in the server’s order, green projects none', () => {
    const rows = warningRows(result)
    expect(rows.map((r) => [r.project.code, r.warning.rule])).toEqual([['P7', 'node'], ['P7', 'report'], ['P8', 'start']])
    expect(new Set(rows.map((r) => r.key)).size).toBe(3)
    expect(warningRows(null)).toEqual([])
  })
  it('narrows to a unit, with that unit’s counts from the server’s group row', () => {
    expect(warningRows(result, '县教育局').map((r) => r.project.code)).toEqual(['P8'])
    expect(shownCounts(result, '县教育局')).toEqual({ red: 0, yellow: 1, green: 1 })
    expect(shownCounts(result, '')).toEqual(result.counts)
    expect(shownCounts(result, '没有的单位')).toEqual({ red: 0, yellow: 0, green: 0 })
  })
  it('reads its filters from the address bar and writes them back, dropping what is not valid', () => {
    const f = warningFiltersFromQuery({ as_of: '2024-03-31', levels: '省重点,市重点', by: 'project', colour: 'blue', region_id: '12', leader: '王', unit: '' })
    expect(f).toEqual({ as_of: '2024-03-31', levels: ['省重点', '市重点'], by: '', colour: '', region_id: 12, leader: '王', unit: '' })
    expect(warningQueryFromFilters(f)).toEqual({ as_of: '2024-03-31', levels: '省重点,市重点', region_id: '12', leader: '王' })
    expect(warningFiltersFromQuery({ as_of: '31/3/2024' }).as_of).toBe('')
  })
  it('groups by unit whenever a unit is picked (the server has no unit filter)', () => {
    const f = warningFiltersFromQuery({ unit: '县水利局' })
    expect(f.by).toBe('unit')
    expect(toWarningApiQuery(f)).toEqual({ as_of: undefined, levels: undefined, by: 'unit', colour: undefined, region_id: null, leader: undefined })
  })
  it('narrows to a group by the filter each grouping has (industry: none)', () => {
    const id = (name: string) => (name === '仓山镇' ? 3 : null)
    expect(groupFilter('region', '仓山镇', id)).toEqual({ region_id: 3 })
    expect(groupFilter('region', '不在册', id)).toBeNull()
    expect(groupFilter('level', '省重点', id)).toEqual({ levels: ['省重点'] })
    expect(groupFilter('unit', '县教育局', id)).toEqual({ unit: '县教育局' })
    expect(groupFilter('leader', '', id)).toBeNull()
    expect(groupFilter('industry', '水利', id)).toBeNull()
  })
  it('links a dashboard number to the page filtered to that group and colour, on the same date and levels', () => {
    const id = (name: string) => (name === '仓山镇' ? 3 : null)
    expect(warningsLink({ as_of: '2024-03-31', levels: ['省重点'] }, 'region', '仓山镇', 'red', id)).toEqual({
      path: '/warnings', query: { as_of: '2024-03-31', levels: '省重点', by: 'region', colour: 'red', region_id: '3' },
    })
    expect(warningsLink({ as_of: '2024-03-31' }, 'unit', '县水利局', 'yellow', id).query).toEqual({ as_of: '2024-03-31', by: 'unit', colour: 'yellow', unit: '县水利局' })
    expect(warningsLink({}, '', '', 'green', id).query).toEqual({ colour: 'green' })
  })
  it('asks for a page’s colours as of the month of its figures', () => {
    expect(coloursAsOf({ year: 2024, month: 3, schedule: 'month', schedule_pct: 25, display: { schedule_pct: '25.00' } })).toBe('2024-03')
    expect(coloursAsOf(null)).toBeUndefined()
  })
})

describe('the 预警 page', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    resetLookups()
  })
  it('loads with the filters of the address, and reloads when a group is picked', async () => {
    setActivePinia(createPinia())
    const fetchMock = vi.fn((url: string) => (url.startsWith('/api/regions') ? json(200, { items: [{ id: 3, parent_id: null, name: '仓山镇', code: '' }] }) : json(200, result)))
    vi.stubGlobal('fetch', fetchMock)
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/warnings', name: 'warnings', component: { render: () => null } }] })
    await router.push('/warnings?by=region&colour=red')
    let w!: ReturnType<typeof useWarnings>
    const C = defineComponent({ setup() { w = useWarnings(); return () => h('div') } })
    const m = mount(C, { global: { plugins: [makeI18n('zh-CN'), router] } })
    await w.start()
    await flushPromises()
    const urls = () => fetchMock.mock.calls.map((c) => (c as unknown[])[0] as string).filter((u) => u.startsWith('/api/warnings'))
    expect(urls()).toEqual(['/api/warnings?by=region&colour=red'])
    expect(w.rows.value).toHaveLength(3)
    w.openGroup('仓山镇')
    await flushPromises()
    expect(router.currentRoute.value.query).toEqual({ by: 'region', colour: 'red', region_id: '3' })
    expect(urls()[1]).toBe('/api/warnings?by=region&colour=red&region_id=3')
    expect(w.regionName.value).toBe('仓山镇')
    m.unmount()
  })
})

const node = (over: Partial<ProjectNodeView>): ProjectNodeView => ({
  id: 1, project_id: 7, seq: 1, name: '开工', planned: '2024-02-20', actual: null, unit: '县水利局', person: '张伟', note: '', version: 1,
  updated_at: '', updated_by: '', state: 'overdue', state_label: '逾期', days: 40, colour: 'red', ...over,
})

describe('a node’s state', () => {
  const t = makeI18n('zh-CN').global.t as never
  const en = makeI18n('en', { en: enMessages }).global.t as never
  it('says its days as the server counts them', () => {
    expect(nodeDaysText(t, node({}))).toBe('逾期 40 天')
    expect(nodeDaysText(en, node({}))).toBe('40 days overdue')
    expect(nodeDaysText(en, node({ state: 'done_late', days: 1 }))).toBe('1 day late')
    expect(nodeDaysText(t, node({ state: 'done_late', days: 3 }))).toBe('晚 3 天')
    expect(nodeDaysText(t, node({ state: 'due_soon', days: 0 }))).toBe('今日到期')
    expect(nodeDaysText(t, node({ state: 'not_due', days: 20 }))).toBe('剩 20 天')
    expect(nodeDaysText(t, node({ state: 'done_on_time', days: 0 }))).toBe('')
    expect(nodeDaysText(t, node({ state: 'not_due', days: null }))).toBe('')
  })
  it('is tagged red or amber when overdue as the node rule colours it, green when done', () => {
    expect(nodeStateTag(node({ colour: 'red' })).type).toBe('danger')
    expect(nodeStateTag(node({ colour: 'yellow' })).type).toBe('warning')
    expect(nodeStateTag(node({ state: 'done_on_time', colour: 'green' })).type).toBe('success')
    expect(nodeStateTag(node({ state: 'not_due', colour: 'green' })).type).toBe('info')
  })
  it('moves the states’ date to a later actual date, so the node shows done', () => {
    expect(asOfAfterComplete('2024-03-31', '2024-04-02')).toBe('2024-04-02')
    expect(asOfAfterComplete('2024-03-31', '2024-03-20')).toBeNull()
    expect(asOfAfterComplete('', '2024-03-20')).toBeNull()
  })
  it('fills a new node’s form with the next number and the project’s unit and person, and sends blank dates as none', () => {
    const f = nodeFormOf(null, 4, { unit: '县水利局', person: '张伟' } as Project)
    expect(f).toEqual({ seq: 4, name: '', planned: '', unit: '县水利局', person: '张伟', note: '' })
    expect(nodeInputOf({ ...f, name: ' 验收 ' })).toEqual({ seq: 4, name: '验收', planned: null, unit: '县水利局', person: '张伟', note: '' })
  })
})

describe('the 节点 tab', () => {
  afterEach(() => vi.unstubAllGlobals())
  it('shows the nodes as of the warnings’ date, the project’s warnings, and the field the server names on a bad save', async () => {
    setActivePinia(createPinia())
    const project = { id: 7, level: '市重点', leader: '', unit: '县水利局', person: '张伟' } as unknown as Project
    const calls: { method: string; url: string; body?: unknown }[] = []
    vi.stubGlobal('fetch', vi.fn((url: string, init: RequestInit) => {
      calls.push({ method: init.method ?? 'GET', url, body: init.body ? JSON.parse(String(init.body)) : undefined })
      if (url.startsWith('/api/warnings/colours')) return json(200, { as_of: '2024-03-31', colours: { 7: 'red' } })
      if (url.startsWith('/api/warnings')) return json(200, result)
      if (url.startsWith('/api/projects/7/nodes?')) return json(200, { as_of: '2024-03-31', items: [node({})] })
      if (url === '/api/projects/7/nodes/1/complete') {
        const b = JSON.parse(String(init.body))
        if (!b.actual) return json(400, { error: { code: 'invalid_argument', message: '请填写实际完成日期 (actual date is required)', field: 'actual' } })
        return json(200, { ...node({}), actual: b.actual, version: 2 })
      }
      return json(404, {})
    }))
    let n!: ReturnType<typeof useProjectNodes>
    const changed = vi.fn()
    const C = defineComponent({ setup() { n = useProjectNodes('7', () => project, changed); return () => h('div') } })
    const m = mount(C, { global: { plugins: [makeI18n('zh-CN')] } })
    await n.load()
    expect(calls.map((c) => c.url)).toEqual([
      '/api/warnings/colours?ids=7',
      `/api/warnings?as_of=2024-03-31&colour=red&levels=${encodeURIComponent('市重点')}`,
      '/api/projects/7/nodes?as_of=2024-03-31',
    ])
    expect(n.colour.value).toBe('red')
    expect(n.warnings.value.map((w) => w.rule)).toEqual(['node', 'report'])
    expect(n.items.value).toHaveLength(1)

    n.openComplete(n.items.value[0])
    n.completeForm.actual = ''
    await n.saveComplete()
    expect(n.fieldErrors.actual).toBe('请填写实际完成日期')
    expect(n.completeOpen.value).toBe(true)
    expect(changed).not.toHaveBeenCalled()

    n.completeForm.actual = '2024-03-20'
    n.completeForm.note = '已开工'
    await n.saveComplete()
    await flushPromises()
    expect(calls.find((c) => c.url.endsWith('/complete') && (c.body as { actual: string }).actual)?.body).toEqual({ actual: '2024-03-20', note: '已开工', version: 1 })
    expect(n.fieldErrors.actual).toBeUndefined()
    expect(n.completeOpen.value).toBe(false)
    expect(changed).toHaveBeenCalledTimes(1)
    m.unmount()
  })
})

describe('the messages', () => {
  // A message is a string, or (compiled at build time) an AST node with a `type`: a leaf either way.
  const isMessage = (v: unknown) => typeof v !== 'object' || v === null || 'type' in (v as object)
  const keys = (o: object, prefix = ''): string[] =>
    Object.entries(o).flatMap(([k, v]) => (isMessage(v) ? [`${prefix}${k}`] : keys(v as object, `${prefix}${k}.`)))
  it('of warnings, nodes and templates exist in both languages', () => {
    for (const section of ['warnings', 'nodes', 'templates'] as const) {
      expect(keys(enMessages[section]).sort()).toEqual(keys(zhMessages[section]).sort())
    }
  })
})

describe('node templates', () => {
  const t = makeI18n('zh-CN').global.t as never
  it('take node names one a line, trimmed, blank lines dropped', () => {
    expect(nodeLines(' 开工 \r\n\n基础完工\n  \n竣工验收')).toEqual(['开工', '基础完工', '竣工验收'])
  })
  it('say what applying did, and which projects got no dates', () => {
    expect(appliedText(t, { projects: 2, nodes_added: 12, without_dates: [] })).toBe('已为 2 个项目新增 12 个节点')
    expect(appliedText(t, { projects: 2, nodes_added: 12, without_dates: ['P1', 'P2'] })).toContain('P1、P2')
  })
})

describe('the warning rules editor', () => {
  afterEach(() => vi.unstubAllGlobals())
  it('sends whole numbers as numbers and anything else as typed, so the server names the field', () => {
    const form = { invest_yellow_points: '10', invest_red_points: ' 30 ', start_red_months: '2', node_red_days: '3a', report_red_months: '', window_days: '15' }
    expect(rulesBody(form)).toEqual({ invest_yellow_points: 10, invest_red_points: 30, start_red_months: 2, node_red_days: '3a', report_red_months: '', window_days: 15 })
  })
  it('shows the server’s message under the field it names', async () => {
    setActivePinia(createPinia())
    const rules = { invest_yellow_points: 10, invest_red_points: 30, start_red_months: 2, node_red_days: 30, report_red_months: 2, window_days: 15, deadline_day: 5, schedule: 'month' }
    const puts: unknown[] = []
    vi.stubGlobal('fetch', vi.fn((url: string, init?: RequestInit) => {
      if (init?.method === 'PUT') {
        puts.push(JSON.parse(String(init.body)))
        return json(400, { error: { code: 'invalid_argument', message: '投资预警红灯阈值应不小于黄灯阈值且不大于 100 (invest_red_points out of range)', field: 'invest_red_points' } })
      }
      return json(200, rules)
    }))
    let r!: ReturnType<typeof useWarningRules>
    const C = defineComponent({ setup() { r = useWarningRules(); return () => h('div') } })
    const m = mount(C, { global: { plugins: [makeI18n('zh-CN')] } })
    await r.load()
    expect(r.form.node_red_days).toBe('30')
    expect(r.fixed.value).toEqual({ deadline_day: 5, schedule: 'month' })
    r.form.invest_red_points = '5'
    await r.save()
    expect(puts[0]).toMatchObject({ invest_red_points: 5 })
    expect(r.errors.invest_red_points).toContain('投资预警红灯阈值')
    expect(r.alert.value).toBe('')
    m.unmount()
  })
})
