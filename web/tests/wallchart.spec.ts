import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { makeI18n } from '@/locales'
import type { WallChartProject, WallChartResult } from '@/api/types'
import {
  axisPercent, chartYear, distinct, monthColumns, nextAutoScroll, nodeMarkers, rowWindow, shownProjects,
  toWallChartApiQuery, useWallChart, wallChartFiltersFromQuery, wallChartQueryFromFilters,
} from '@/composables/useWallChart'
import { can } from '@/composables/permissions'

const json = (status: number, body: unknown) => Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }))

const project = (id: number, unit: string, nodes: WallChartProject['nodes'] = []): WallChartProject => ({
  id, code: `P${id}`, name: `项目${id}`, level: '县重点', region: '城关镇', unit, leader: id % 2 ? '李强' : '', colour: 'green', nodes,
})
const node = (id: number, planned: string | null, actual: string | null, state: WallChartProject['nodes'][number]['state']) =>
  ({ id, name: `节点${id}`, seq: id, planned, actual, state, state_label: '', days: null, colour: 'green' as const })

const result: WallChartResult = {
  as_of: '2024-03-31',
  counts: { red: 0, yellow: 0, green: 3 },
  nodes: ['开工'],
  projects: [
    project(1, '县水利局', [node(11, '2024-02-01', '2024-02-10', 'done_late'), node(12, '2024-06-30', null, 'not_due')]),
    project(2, '县交通局'),
    project(3, '县水利局', [node(31, '2023-12-01', '2023-12-01', 'done_on_time'), node(32, '2025-01-15', null, 'not_due')]),
  ],
}

describe('the wall chart axis', () => {
  it('puts a date at the middle of its day in the year, leap years counted', () => {
    expect(axisPercent('2024-01-01', 2024)).toBeCloseTo((0.5 / 366) * 100, 6)
    expect(axisPercent('2024-12-31', 2024)).toBeCloseTo((365.5 / 366) * 100, 6)
    expect(axisPercent('2023-12-31', 2023)).toBeCloseTo((364.5 / 365) * 100, 6)
    expect(axisPercent('2023-12-31', 2024)! < 0).toBe(true)
    expect(axisPercent(null, 2024)).toBeNull()
  })
  it('has twelve months that fill the width, February 29 days in 2024', () => {
    const m = monthColumns(2024)
    expect(m).toHaveLength(12)
    expect(m[0].left).toBe(0)
    expect(m[1].width).toBeCloseTo((29 / 366) * 100, 6)
    expect(m[11].left + m[11].width).toBeCloseTo(100, 6)
  })
  it('takes the year of the as-of date', () => {
    expect(chartYear('2024-03-31')).toBe(2024)
  })
})

describe('the markers of a row', () => {
  it('draws the planned date hollow and the actual date filled, once when they are the same day', () => {
    const m1 = nodeMarkers(result.projects[0], 2024)
    expect(m1.markers.map((m) => `${m.node.id}:${m.kind}:${m.state}`)).toEqual(['11:planned:done_late', '11:actual:done_late', '12:planned:not_due'])
    expect(m1.before.length + m1.after.length).toBe(0)
  })
  it('counts the nodes wholly before or after the year at its edges', () => {
    const m3 = nodeMarkers(result.projects[2], 2024)
    expect(m3.markers).toEqual([])
    expect(m3.before.map((n) => n.id)).toEqual([31])
    expect(m3.after.map((n) => n.id)).toEqual([32])
  })
})

describe('the window of rows', () => {
  it('draws the visible rows and a few either side, for 1,000 projects', () => {
    expect(rowWindow(0, 340, 34, 1000, 5)).toEqual({ start: 0, end: 15, offset: 0, height: 34000 })
    const w = rowWindow(34 * 500, 340, 34, 1000, 5)
    expect(w.start).toBe(495)
    expect(w.end).toBe(515)
    expect(w.offset).toBe(495 * 34)
    expect(rowWindow(34 * 999, 340, 34, 1000, 5).end).toBe(1000)
  })
  it('scrolls the big screen down a step at a time and back to the top after the end', () => {
    expect(nextAutoScroll(0, 500, 2000, 2)).toBe(2)
    expect(nextAutoScroll(1497, 500, 2000, 2)).toBe(1499)
    expect(nextAutoScroll(1499, 500, 2000, 2)).toBe(0)
    expect(nextAutoScroll(1500, 500, 2000, 2)).toBe(0)
    expect(nextAutoScroll(0, 500, 400, 2)).toBe(0)
  })
})

describe('the wall chart filters', () => {
  it('round-trips the address bar and narrows to a unit here', () => {
    const f = wallChartFiltersFromQuery({ levels: '省重点,市重点', colour: 'red', region_id: '3', unit: '县水利局', as_of: 'x' })
    expect(f).toEqual({ as_of: '', levels: ['省重点', '市重点'], region_id: 3, colour: 'red', leader: '', demo: '', unit: '县水利局' })
    expect(wallChartQueryFromFilters(f)).toEqual({ levels: '省重点,市重点', region_id: '3', colour: 'red', unit: '县水利局' })
    expect(shownProjects(result, '县水利局').map((p) => p.id)).toEqual([1, 3])
    expect(distinct(result.projects, 'unit')).toEqual(['县交通局', '县水利局'].sort((a, b) => a.localeCompare(b, 'zh-CN')))
    expect(distinct(result.projects, 'leader')).toEqual(['李强'])
  })
  it('asks the server for 示范项目 only, on the page and in the export', () => {
    const f = wallChartFiltersFromQuery({ demo: 'true', colour: 'yellow' })
    expect(f.demo).toBe('true')
    expect(wallChartQueryFromFilters(f)).toEqual({ colour: 'yellow', demo: 'true' })
    expect(toWallChartApiQuery(f)).toMatchObject({ demo: 'true', colour: 'yellow' })
    expect(wallChartFiltersFromQuery({ demo: 'yes' }).demo).toBe('')
    expect(toWallChartApiQuery(wallChartFiltersFromQuery({})).demo).toBeUndefined()
  })
  it('is on the menu of the roles the server lets read it', () => {
    expect(['admin', 'department', 'owner', 'leader', 'auditor'].every((r) => can(r as never, 'wallchart'))).toBe(true)
    expect(can('bank', 'wallchart')).toBe(false)
  })
})

describe('the wall chart page', () => {
  afterEach(() => vi.unstubAllGlobals())
  it('asks the server with the address filters, keeps the unit here, and opens a project or its 节点 tab', async () => {
    setActivePinia(createPinia())
    const fetchMock = vi.fn(() => json(200, result))
    vi.stubGlobal('fetch', fetchMock)
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { render: () => null } }] })
    await router.push('/wallchart?colour=green&unit=县水利局')
    let w!: ReturnType<typeof useWallChart>
    const C = defineComponent({ setup() { w = useWallChart(); return () => h('div') } })
    const m = mount(C, { global: { plugins: [makeI18n('zh-CN'), router] } })
    await w.load()
    await flushPromises()
    const urls = () => fetchMock.mock.calls.map((c) => (c as unknown[])[0] as string)
    expect(urls()).toEqual(['/api/wallchart?colour=green'])
    expect(w.projects.value.map((p) => p.id)).toEqual([1, 3])
    w.set({ unit: '' })
    await flushPromises()
    expect(urls()).toHaveLength(1) // the unit is narrowed here, not asked for
    expect(w.projects.value).toHaveLength(3)
    w.set({ levels: ['县重点'] })
    await flushPromises()
    expect(urls()[1]).toBe('/api/wallchart?levels=%E5%8E%BF%E9%87%8D%E7%82%B9&colour=green')
    await w.openNode(result.projects[0])
    expect(router.currentRoute.value.fullPath).toBe('/projects/1?tab=nodes')
    await w.openProject(result.projects[1])
    expect(router.currentRoute.value.fullPath).toBe('/projects/2')
    m.unmount()
  })
})
