import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { makeI18n } from '@/locales'
import { useAuthStore } from '@/stores/auth'
import type { PublishedRedBlack, RedBlackChange } from '@/api/redblack'
import type { Role } from '@/api/types'
import { publishQuestion, usePublishedRedBlack } from '@/composables/usePublishedRedBlack'
import type { RedBlackBy } from '@/composables/useRedBlack'

const json = (status: number, body: unknown) => Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }))
const pub = (over: Partial<PublishedRedBlack> = {}): PublishedRedBlack => ({
  id: 7, kind: 'monthly', period: '2024-03', by: 'region', levels: [], year: 2024, issue: 1, issue_label: '第1期',
  published_by: 'admin', published_at: '2024-04-05T02:00:00Z', ...over,
})

function mountWith(role: Role, month = '2024-03') {
  setActivePinia(createPinia())
  useAuthStore().user = { id: 1, login: role, display_name: role, role, unit: '', region_id: null, must_change_password: false } as never
  const by = ref<RedBlackBy>('region')
  const levels = ref(['省重点', '市重点'])
  const m = ref(month)
  let p!: ReturnType<typeof usePublishedRedBlack>
  const C = defineComponent({ setup() { p = usePublishedRedBlack(by, levels, m); return () => h('div') } })
  const w = mount(C, { global: { plugins: [makeI18n('zh-CN')] } })
  return { p, by, levels, month: m, w }
}

describe('publishing a 红黑榜', () => {
  afterEach(() => vi.unstubAllGlobals())
  it('asks for the page’s month, or the quarter the month ends, with its grouping and levels', () => {
    expect(publishQuestion('monthly', '2024-03', 'unit', ['省重点'])).toEqual({ year: 2024, month: 3, by: 'unit', levels: ['省重点'] })
    expect(publishQuestion('quarterly', '2024-06', 'region', [])).toEqual({ year: 2024, quarter: 2, by: 'region', levels: [] })
    expect(publishQuestion('quarterly', '2024-05', 'region', [])).toBeNull()  // May ends no quarter
    expect(publishQuestion('monthly', '', 'region', [])).toBeNull()
  })
  it('shows the next number, posts the question, then lists the publication; a refusal stays in the dialog', async () => {
    const calls: { method: string; url: string; body?: unknown }[] = []
    let published: PublishedRedBlack[] = []
    vi.stubGlobal('fetch', vi.fn((url: string, init: RequestInit) => {
      calls.push({ method: init.method ?? 'GET', url, body: init.body ? JSON.parse(String(init.body)) : undefined })
      if (url.startsWith('/api/redblack/published?kind=')) return json(200, { items: published, next_issue: 2, next_issue_label: url.includes('quarterly') ? '第1期' : '第2期' })
      if (url === '/api/redblack/published') return json(200, { items: published })
      if (url === '/api/redblack/publish') {
        const b = JSON.parse(String(init.body))
        if (published.length) return json(409, { error: { code: 'conflict', message: '2024-03 的这份红黑榜已发布为第2期，不能重复发布 (already published as No. 2)' } })
        published = [pub({ id: 8, issue: 2, issue_label: '第2期', levels: b.levels.split(',') })]
        return json(201, published[0])
      }
      return json(404, {})
    }))
    const { p } = mountWith('admin')
    expect(p.canPublish.value).toBe(true)
    await p.openPublish()
    expect(p.publishOpen.value).toBe(true)
    expect(p.nextIssue.value).toBe('第2期')
    expect(calls.at(-1)?.url).toBe('/api/redblack/published?kind=monthly&year=2024')
    await p.setKind('quarterly')
    expect(p.nextIssue.value).toBe('第1期')
    await p.setKind('monthly')
    await p.publish()
    await flushPromises()
    const post = calls.find((c) => c.method === 'POST')
    expect(post?.body).toEqual({ year: 2024, month: 3, by: 'region', levels: '省重点,市重点' })
    expect(p.publishOpen.value).toBe(false)
    expect(p.items.value.map((i) => i.issue_label)).toEqual(['第2期'])
    // The same list again: the server's 409, in the dialog, in Chinese.
    await p.openPublish()
    await p.publish()
    expect(p.publishOpen.value).toBe(true)
    expect(p.publishError.value).toContain('已发布为第2期')
  })
  it('offers publishing to the bureau only, and the published lists to the roles that may read them', async () => {
    vi.stubGlobal('fetch', vi.fn(() => json(200, { items: [pub()] })))
    for (const [role, publish, read] of [['admin', true, true], ['department', false, true], ['leader', false, true], ['auditor', false, true], ['owner', false, false]] as const) {
      const { p } = mountWith(role)
      expect(p.canPublish.value).toBe(publish)
      expect(p.canRead.value).toBe(read)
      await p.loadPublished()
      expect(p.items.value.length).toBe(read ? 1 : 0)
    }
  })
  it('opens a publication with its frozen lists and what changed since, and words each change', async () => {
    const change = (over: Partial<RedBlackChange>): RedBlackChange => ({ key: '永丰镇', group: '', was: 'black', now: 'red', was_rank: 14, now_rank: 1, was_rate: '10.00', now_rate: '99.00', ...over })
    vi.stubGlobal('fetch', vi.fn((url: string) => {
      if (url === '/api/redblack/published/7') return json(200, { red: [], black: [], exempt: [], unlisted: [], issue_label: '第1期', rule: { red: 5, black: 4 } })
      if (url === '/api/redblack/published/7/changes') return json(200, { ...pub(), changes: [change({})], rule_changed: false, display: { published_target_pct: '25.00', live_target_pct: '25.00' } })
      return json(404, {})
    }))
    const { p } = mountWith('leader')
    await p.open(pub(), 'changes')
    expect(p.view.value).toBe('changes')
    expect(p.frozen.value?.issue_label).toBe('第1期')
    expect(p.changes.value?.changes).toHaveLength(1)
    expect(p.changeText(change({}))).toBe('黑榜 → 红榜')
    expect(p.changeText(change({ was: '', now: 'black' }))).toBe('未上榜 → 黑榜')
    expect(p.changeText(change({ was: '', now: '', was_rank: 4, now_rank: 3 }))).toBe('第4名 → 第3名')
    expect(p.changeText(change({ was: '', now: '', was_rank: 4, now_rank: null }))).toBe('第4名 → 不参评')
    expect(p.scopeText(pub({ period: '2024-Q1', by: 'unit', levels: ['省重点'] }))).toBe('2024年第1季度 · 责任单位 · 省重点')
    expect(p.scopeText(pub())).toBe('2024年3月 · 乡镇（地区） · 全部级别')
  })
  it('opens only the frozen lists for a department: what changed since is county-wide live data, not its own', async () => {
    const asked: string[] = []
    vi.stubGlobal('fetch', vi.fn((url: string) => {
      asked.push(url)
      if (url === '/api/redblack/published/7') return json(200, { red: [], black: [], exempt: [], unlisted: [], issue_label: '第1期', rule: { red: 5, black: 4 } })
      return json(403, { error: { code: 'forbidden', message: '无权限 (forbidden)' } })
    }))
    const { p } = mountWith('department')
    expect(p.canSeeChanges.value).toBe(false)
    await p.open(pub(), 'changes')
    expect(asked).toEqual(['/api/redblack/published/7'])
    expect(p.view.value).toBe('frozen')
    expect(p.frozen.value?.issue_label).toBe('第1期')
    expect(p.openError.value).toBe('')
    for (const role of ['admin', 'leader', 'auditor'] as const) expect(mountWith(role).p.canSeeChanges.value).toBe(true)
  })
})
