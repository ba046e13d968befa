import { describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { makeI18n } from '@/locales'
import zhMessages from '@/locales/zh-CN'
import enMessages from '@/locales/en'
import { useAuthStore } from '@/stores/auth'
import type { LeaderOverview } from '@/api/leader'

const asked: Record<string, unknown>[] = []
const given: { id: number; text: string }[] = []
vi.mock('@/api/leader', () => ({
  getLeaderOverview: vi.fn(async (q: Record<string, unknown>) => {
    asked.push(q)
    return overview()
  }),
}))
vi.mock('@/api/instructions', () => ({
  giveInstruction: vi.fn(async (id: number, text: string) => {
    given.push({ id, text })
    return {}
  }),
}))
vi.mock('element-plus', async (orig) => ({ ...(await orig<object>()), ElMessage: { success: vi.fn() } }))

const { useLeaderView } = await import('@/composables/useLeaderView')

function overview(): LeaderOverview {
  const row = (pct: string, ahead: number, points: string) => ({
    key: 'k', rank: null, projects: 1, plan_wan: 1, completed_wan: 1, completion_rate_pct: 1, ahead_points: ahead, spi: 1,
    display: { plan_wan: '', completed_wan: '', plan_yi: '', completed_yi: '49.50', completion_rate_pct: pct, ahead_points: points, spi: '' },
  })
  return {
    year: 2024, month: 3, as_of: '2024-03-31', leader: '王建国', names: ['王建国', 'leader'],
    headline: { year: 2024, month: 3, schedule: 'month', schedule_pct: 25, levels: ['省重点'], by: 'level', total: row('30.80', 5.8, '+5.8'), groups: [], reporting: { reported: 1, expected: 1 }, display: { schedule_pct: '25.00' } },
    colours: { red: 6, yellow: 17, green: 49 },
    projects: [{
      id: 31, code: 'C31', name: '龙台镇中心小学改扩建项目', level: '市重点', unit: 'u', owner: 'o', leader: '王建国', colour: 'red',
      figures: row('23.24', -1.76, '-1.8'), warnings: [], overdue_nodes: [{ name: '竣工验收', planned: '2024-02-10', days: 50, colour: 'red' }],
      next_node: { name: '投产/投用', planned: '2024-04-26' }, problems: { open: 1, overdue: 1, escalated: 1, answered: 0 },
      financing: null, photos: [], open_instructions: [],
    }],
  }
}

describe('领导视图', () => {
  it('asks the headline month with the dashboard’s levels, says ahead/behind from the server’s points, and gives a 批示 on the picked project', async () => {
    setActivePinia(createPinia())
    useAuthStore().setSession({ id: 4, login: 'leader', display_name: '王建国', role: 'leader' }, 'csrf')
    let v!: ReturnType<typeof useLeaderView>
    const C = defineComponent({
      setup() {
        v = useLeaderView()
        return () => h('div')
      },
    })
    const m = mount(C, { global: { plugins: [makeI18n('zh-CN')] } })
    await v.load()
    expect(asked[0]).toMatchObject({ year: undefined, month: undefined, levels: ['省重点', '市重点'], leader: undefined })
    expect(v.month.value).toBe('2024-03')
    expect(v.aheadText(v.total.value)).toBe('超时序进度 5.8 个百分点')
    expect(v.aheadText(v.data.value!.projects[0].figures)).toBe('落后时序进度 1.8 个百分点')
    v.openSheet(v.data.value!.projects[0])
    expect(v.sheetOpen.value).toBe(true)
    v.text.value = '请于月底前完成竣工验收'
    await v.give()
    await flushPromises()
    expect(given).toEqual([{ id: 31, text: '请于月底前完成竣工验收' }])
    expect(v.sheetOpen.value).toBe(false)
    expect(asked.length).toBe(2) // reloaded: the open instruction shows on the card
    m.unmount()
  })
  it('has every string in both languages', () => {
    const zh = (zhMessages as unknown as { leader: Record<string, string> }).leader
    const en = (enMessages as unknown as { leader: Record<string, string> }).leader
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort())
  })
})
