import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { makeI18n } from '@/locales'
import type { AssessmentResult } from '@/api/assessment'
import { useAssessment } from '@/composables/useAssessment'

const json = (status: number, body: unknown) => Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }))
const result: AssessmentResult = {
  year: 2024, month: 3, period: 'month', by: 'region', scheme: '2020年市重点项目考核办法', schedule_pct: 25, full_points: '90',
  items: [{ name: '计划完成', measure: 'completion', max: '40' }],
  scores: [{
    key: '永丰镇', rank: 1, total: 62.5,
    items: [{ name: '计划完成', measure: 'completion', points: 37.5, display: '37.50', basis: '完成率…' }],
    measures: { completion_rate_pct: 41.1, completion_rank: 1, projects: 3, starts_due: 1, started: 1, nodes_due: 2, nodes_on_time: 2, reports_due: 6, reports_in: 6, problems_raised: 1, problems_closed: 1 },
    display: { total: '62.50' },
  }],
  display: { schedule_pct: '25.00' },
}

function mountWith(levels = ref<string[]>(['省重点']), month = ref('2024-05')) {
  let a!: ReturnType<typeof useAssessment>
  const C = defineComponent({ setup() { a = useAssessment(levels, month); return () => h('div') } })
  const m = mount(C, { global: { plugins: [makeI18n('zh-CN')] } })
  return { a, m, levels, month }
}

describe('the 考核 panel', () => {
  afterEach(() => vi.unstubAllGlobals())
  it('asks for the month, its quarter by number, or its year, and again when the page’s month changes', async () => {
    const fetchMock = vi.fn(() => json(200, result))
    vi.stubGlobal('fetch', fetchMock)
    const { a, m, month } = mountWith()
    await a.start()
    await flushPromises()
    const urls = () => fetchMock.mock.calls.map((c) => (c as unknown[])[0] as string)
    const lv = encodeURIComponent('省重点')
    expect(urls()).toEqual([`/api/assessment?by=region&levels=${lv}&year=2024&month=5`])
    expect(a.data.value?.scores[0].display.total).toBe('62.50')
    a.period.value = 'quarter'
    await flushPromises()
    expect(urls().at(-1)).toBe(`/api/assessment?by=region&levels=${lv}&year=2024&quarter=2`)
    a.period.value = 'year'
    a.by.value = 'unit'
    await flushPromises()
    expect(urls().at(-1)).toBe(`/api/assessment?by=unit&levels=${lv}&year=2024&period=year`)
    a.period.value = 'quarter'
    month.value = '2024-12'
    await flushPromises()
    expect(urls().at(-1)).toBe(`/api/assessment?by=unit&levels=${lv}&year=2024&quarter=4`)
    m.unmount()
  })
  it('asks nothing without a month', async () => {
    const fetchMock = vi.fn(() => json(200, result))
    vi.stubGlobal('fetch', fetchMock)
    const { a } = mountWith(ref([]), ref(''))
    await a.load()
    expect(fetchMock).not.toHaveBeenCalled()
    expect(a.query()).toBeNull()
  })
  it('shows the server’s error and no scores when the question is refused', async () => {
    vi.stubGlobal('fetch', vi.fn(() => json(400, { error: { code: 'invalid_argument', message: 'quarter 应为 1-4', field: 'quarter' } })))
    const { a } = mountWith()
    await a.load()
    expect(a.data.value).toBeNull()
    expect(a.error.value).toContain('quarter 应为')
  })
})
