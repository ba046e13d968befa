import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { mount } from '@vue/test-utils'
import { makeI18n } from '@/locales'
import type { AssessmentScheme } from '@/api/assessment'
import { itemRow, schemeBody, useAssessmentScheme } from '@/composables/useAssessmentScheme'

const json = (status: number, body: unknown) => Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }))
// The 2020 city scheme as the server gives it (GET /api/assessment-scheme).
const city: AssessmentScheme = {
  name: '2020年市重点项目考核办法',
  items: [
    { name: '计划完成', measure: 'completion', max: '40', base: '25', below: '0.1', above: '0.2', beyond_from: '130', beyond: '0.1', cap: '10',
      rank_bonus: [{ to_rank: 3, points: '7' }, { to_rank: 6, points: '5' }, { to_rank: 10, points: '3' }] },
    { name: '项目开工', measure: 'starts', max: '25', base: '10', per_start: '1', start_limit: 10, rate_bonus: '5', small_max: 5, small_pct: '80', large_pct: '70', late_penalty: '3' },
    { name: '节点按期', measure: 'nodes', max: '5' },
    { name: '加减分', measure: 'manual', max: '10' },
  ],
  adjustments: [{ by: 'region', key: '永丰镇', year: 2024, month: 3, item: '加减分', points: '-2', reason: '安全生产事故' }],
}

function mountScheme() {
  let s!: ReturnType<typeof useAssessmentScheme>
  const C = defineComponent({ setup() { s = useAssessmentScheme(); return () => h('div') } })
  mount(C, { global: { plugins: [makeI18n('zh-CN')] } })
  return s
}

describe('the 考核 scheme form', () => {
  afterEach(() => vi.unstubAllGlobals())
  it('gives back what it loaded, each item with only its measure’s parameters', () => {
    const form = { name: city.name, items: city.items.map(itemRow), adjustments: [] }
    expect(schemeBody(form)).toEqual({ ...city, adjustments: [] })
  })
  it('sends counts as numbers, decimals as typed text, an empty month as every month, and what is not a number as typed', () => {
    const row = itemRow(city.items[1])
    row.start_limit = ' 8 '
    row.small_max = 'x'
    row.per_start = ' 1.5 '
    const body = schemeBody({ name: ' 办法 ', items: [row], adjustments: [
      { by: 'unit', key: ' 县水利局 ', year: '2024', month: '', item: '加减分', points: ' 3 ', reason: '表彰' },
      { by: 'region', key: '永丰镇', year: '二〇二四', month: '3', item: '加减分', points: '-1', reason: '' },
    ] }) as { name: string; items: Record<string, unknown>[]; adjustments: Record<string, unknown>[] }
    expect(body.name).toBe('办法')
    expect(body.items[0]).toMatchObject({ start_limit: 8, small_max: 'x', per_start: '1.5' })
    expect(body.items[0]).not.toHaveProperty('cap')
    expect(body.adjustments).toEqual([
      { by: 'unit', key: '县水利局', year: 2024, month: null, item: '加减分', points: '3', reason: '表彰' },
      { by: 'region', key: '永丰镇', year: '二〇二四', month: 3, item: '加减分', points: '-1', reason: '' },
    ])
  })
  it('gives a new measure its starting parameters without overwriting typed ones', () => {
    const s = mountScheme()
    s.addItem()
    s.form.items[0].cap = '8'
    s.setMeasure(0, 'completion')
    expect(s.form.items[0]).toMatchObject({ measure: 'completion', base: '25', below: '0.1', cap: '8' })
  })
  it('shows the field the server names under that field, and anything else above the buttons', async () => {
    let answer = { status: 400, body: { error: { code: 'invalid_argument', message: 'items[0].max 应为最多 4 位小数的数 (a decimal as text)', field: 'items[0].max' } } as unknown }
    const puts: unknown[] = []
    vi.stubGlobal('fetch', vi.fn((url: string, init: RequestInit) => {
      if (init.method === 'PUT') {
        puts.push(JSON.parse(String(init.body)))
        return json(answer.status, answer.body)
      }
      return json(200, city)
    }))
    const s = mountScheme()
    await s.load()
    expect(s.form.items).toHaveLength(4)
    expect(s.form.adjustments[0].reason).toBe('安全生产事故')
    s.form.items[0].max = 'abc'
    await s.save()
    expect((puts[0] as { items: { max: string }[] }).items[0].max).toBe('abc')
    expect(s.err('items[0].max')).toBe('应为最多 4 位小数的数')  // under its field, without the field's path
    expect(s.alert.value).toBe('')
    answer = { status: 400, body: { error: { code: 'invalid_argument', message: 'items 应为 1-20 个考核项目 (1 to 20 items)', field: 'items' } } }
    await s.save()
    expect(s.err('items[0].max')).toBe('')  // the previous error is cleared
    expect(s.alert.value).toContain('items 应为 1-20')
  })
})
