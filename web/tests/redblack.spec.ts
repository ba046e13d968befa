import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { makeI18n } from '@/locales'
import type { RedBlackEntry, RedBlackList } from '@/api/redblack'
import { useRedBlack } from '@/composables/useRedBlack'

const json = (status: number, body: unknown) => Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }))
const entry = (over: Partial<RedBlackEntry>): RedBlackEntry => ({
  key: '永丰镇', group: '', rank: 1, from_bottom: 9, projects: 3, plan_wan: '100', completed_wan: '41.1', completion_rate_pct: 41.1, ahead_points: 16.1,
  display: { plan_wan: '100.00', completed_wan: '41.10', completion_rate_pct: '41.10', ahead_points: '+16.1' }, ...over,
})
const list: RedBlackList = {
  year: 2024, month: 3, by: 'region', schedule_pct: 25, target_pct: 25, ranked: 9, red: [entry({})], black: [], exempt: [],
  display: { schedule_pct: '25.00', target_pct: '25.00' },
}

describe('the 红黑榜 panel', () => {
  afterEach(() => vi.unstubAllGlobals())
  it('asks for the page’s month and levels, and again when the grouping or the month changes', async () => {
    const fetchMock = vi.fn((url: string) => (url.startsWith('/api/redblack-rule')
      ? json(200, { target: 'schedule', red: 5, black: 4, groups: [], exemptions: [] })
      : json(200, list)))
    vi.stubGlobal('fetch', fetchMock)
    const levels = ref(['省重点', '市重点'])
    const month = ref('2024-03')
    let rb!: ReturnType<typeof useRedBlack>
    const C = defineComponent({ setup() { rb = useRedBlack(levels, month); return () => h('div') } })
    const m = mount(C, { global: { plugins: [makeI18n('zh-CN')] } })
    await rb.start()
    await flushPromises()
    const urls = () => fetchMock.mock.calls.map((c) => (c as unknown[])[0] as string).filter((u) => u.startsWith('/api/redblack?'))
    expect(urls()).toEqual([`/api/redblack?by=region&levels=${encodeURIComponent('省重点,市重点')}&year=2024&month=3`])
    expect(rb.data.value?.red).toHaveLength(1)
    expect(rb.rule.value?.red).toBe(5)
    rb.by.value = 'unit'
    month.value = '2024-02'
    await flushPromises()
    expect(urls().at(-1)).toBe(`/api/redblack?by=unit&levels=${encodeURIComponent('省重点,市重点')}&year=2024&month=2`)
    m.unmount()
  })
  it('names a project by its name and code, a township by its name', () => {
    let rb!: ReturnType<typeof useRedBlack>
    const C = defineComponent({ setup() { rb = useRedBlack(ref([]), ref('')); return () => h('div') } })
    mount(C, { global: { plugins: [makeI18n('zh-CN')] } })
    expect(rb.name(entry({}))).toBe('永丰镇')
    expect(rb.name(entry({ key: 'S-001', label: '污水厂' }))).toBe('污水厂（S-001）')
  })
  it('shows the server’s error and no list when the question is refused', async () => {
    vi.stubGlobal('fetch', vi.fn(() => json(400, { error: { code: 'invalid_argument', message: 'by 应为 region、unit 或 project', field: 'by' } })))
    let rb!: ReturnType<typeof useRedBlack>
    const C = defineComponent({ setup() { rb = useRedBlack(ref([]), ref('2024-03')); return () => h('div') } })
    mount(C, { global: { plugins: [makeI18n('zh-CN')] } })
    await rb.load()
    expect(rb.data.value).toBeNull()
    expect(rb.error.value).toContain('by 应为')
  })
})

describe('the 红黑榜 rule form', () => {
  it('sends numbers as numbers, a month left empty as every month, and what is not a number as typed', async () => {
    const { redBlackRuleBody } = await import('@/composables/useRedBlackRule')
    const groups = [{ name: '园区', red: 2, black: 1, keys: ['a'] }]
    expect(redBlackRuleBody({ targetMode: 'schedule', rate: '30', red: '5', black: ' 4 ', exemptions: [] }, groups))
      .toEqual({ target: 'schedule', red: 5, black: 4, groups, exemptions: [] })
    expect(redBlackRuleBody({
      targetMode: 'rate', rate: ' 27.5 ', red: 'x', black: '4',
      exemptions: [{ by: 'region', key: ' 凯江镇 ', year: '2024', month: '', reason: '汛期' }, { by: 'unit', key: '县水利局', year: '2024', month: '3', reason: '' }],
    }, [])).toEqual({
      target: '27.5', red: 'x', black: 4, groups: [],
      exemptions: [{ by: 'region', key: '凯江镇', year: 2024, month: null, reason: '汛期' }, { by: 'unit', key: '县水利局', year: 2024, month: 3, reason: '' }],
    })
  })
})

describe('a 批示’s time', () => {
  it('is shown in Beijing time, to the minute', async () => {
    const { beijingTime } = await import('@/composables/useInstructions')
    expect(beijingTime('2024-03-28T02:15:09Z')).toBe('2024-03-28 10:15')
    expect(beijingTime('2024-03-31T16:00:00Z')).toBe('2024-04-01 00:00')
    expect(beijingTime(null)).toBe('')
    expect(beijingTime('not a time')).toBe('not a time')
  })
})
