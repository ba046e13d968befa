import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { makeI18n } from '@/locales'
import type { NotificationList, Webhook } from '@/api/types'
import { badgeText, notificationTarget, useBell, withAllRead, withRead } from '@/composables/useBell'
import { webhookBody, webhookForm, webhookName } from '@/composables/useWebhooks'

const json = (status: number, body: unknown) => Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }))

const list = (): NotificationList => ({
  unread: 2,
  items: [
    { id: 3, kind: 'node_overdue', project_id: 7, title: '节点逾期', body: '「开工」逾期 5 天', created_at: '2024-03-31T08:00:00Z', read: false },
    { id: 2, kind: 'turned_red', project_id: null, title: '转为红灯', body: '', created_at: '2024-03-31T08:00:00Z', read: false },
    { id: 1, kind: 'report_due', project_id: 7, title: '月报将到期', body: '', created_at: '2024-03-30T08:00:00Z', read: true },
  ],
})

describe('the bell, as data', () => {
  it('shows nothing at 0 unread and caps the badge at 99+', () => {
    expect(badgeText(0)).toBe('')
    expect(badgeText(7)).toBe('7')
    expect(badgeText(99)).toBe('99')
    expect(badgeText(100)).toBe('99+')
  })
  it('counts one down when an unread one is read, and not again', () => {
    const once = withRead(list(), 3)
    expect(once.unread).toBe(1)
    expect(once.items.find((n) => n.id === 3)?.read).toBe(true)
    expect(withRead(once, 3).unread).toBe(1)
    expect(withRead(once, 1).unread).toBe(1)
  })
  it('marks every one read with mark all', () => {
    const all = withAllRead(list())
    expect(all.unread).toBe(0)
    expect(all.items.every((n) => n.read)).toBe(true)
  })
  it('leads to the project, or nowhere', () => {
    expect(notificationTarget(list().items[0])).toBe('/projects/7')
    expect(notificationTarget(list().items[1])).toBeNull()
    // a leader's instruction and its answer open the project's 批示 tab
    expect(notificationTarget({ ...list().items[0], kind: 'instruction' })).toBe('/projects/7?tab=instructions')
    expect(notificationTarget({ ...list().items[0], kind: 'instruction_answered' })).toBe('/projects/7?tab=instructions')
  })
})

describe('the bell, against the server', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    vi.useRealTimers()
  })
  it('asks now and every minute, marks one read and opens its project, marks all read', async () => {
    vi.useFakeTimers()
    setActivePinia(createPinia())
    const calls: string[] = []
    vi.stubGlobal('fetch', vi.fn((url: string, init?: RequestInit) => {
      calls.push(`${init?.method ?? 'GET'} ${url}`)
      if (url.startsWith('/api/notifications?')) return json(200, list())
      return json(200, { read: 1 })
    }))
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { render: () => null } }] })
    await router.push('/dashboard')
    let b!: ReturnType<typeof useBell>
    const C = defineComponent({ setup() { b = useBell(); return () => h('div') } })
    const m = mount(C, { global: { plugins: [makeI18n('zh-CN'), router] } })
    await flushPromises()
    expect(calls).toEqual(['GET /api/notifications?limit=30'])
    expect(b.list.value.unread).toBe(2)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(calls.filter((c) => c.startsWith('GET /api/notifications'))).toHaveLength(2)

    await b.open(b.list.value.items[0])
    await flushPromises()
    expect(calls).toContain('POST /api/notifications/3/read')
    expect(b.list.value.unread).toBe(1)
    expect(router.currentRoute.value.path).toBe('/projects/7')

    const before = calls.length
    await b.open(b.list.value.items[2]) // already read: no POST, still opens
    expect(calls.slice(before).filter((c) => c.startsWith('POST'))).toEqual([])

    await b.markAll()
    expect(calls).toContain('POST /api/notifications/read-all')
    expect(b.list.value.unread).toBe(0)

    m.unmount()
    const n = calls.length
    await vi.advanceTimersByTimeAsync(120_000)
    expect(calls.length).toBe(n) // no polling after the header is gone
  })
})

describe('group robots', () => {
  const hook: Webhook = { id: 4, name: '指挥部群', kind: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=x', signed: true, enabled: true, version: 3 }
  it('sends the secret only when typed on an edit, and the version it started from', () => {
    const f = webhookForm(hook)
    expect(f.secret).toBe('')
    expect(webhookBody(f, hook)).toEqual({ name: '指挥部群', kind: 'dingtalk', url: hook.url, enabled: true, version: 3 })
    f.secret = ' SECabc '
    expect(webhookBody(f, hook).secret).toBe('SECabc')
  })
  it('sends every field when adding, trimmed', () => {
    const f = webhookForm(null)
    f.name = ' 群 '
    f.url = ' https://open.feishu.cn/x '
    f.kind = 'feishu'
    expect(webhookBody(f, null)).toEqual({ name: '群', kind: 'feishu', url: 'https://open.feishu.cn/x', enabled: true, secret: '' })
  })
  it('names the robot of a delivery, or its id when deleted', () => {
    expect(webhookName([hook], 4)).toBe('指挥部群')
    expect(webhookName([hook], 9)).toBe('#9')
    expect(webhookName([hook], null)).toBe('')
  })
})
