import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import ElementPlus from 'element-plus'
import { makeI18n } from '@/locales'
import * as http from '@/api/http'
import * as transfer from '@/api/transfer'
import { useProjectDetail } from '@/composables/useProjectDetail'
import { resetLookups } from '@/composables/useLookups'
import { useAuthStore } from '@/stores/auth'
import SettingsView from '@/views/SettingsView.vue'

const file = (): http.DownloadedFile => ({ blob: new Blob(['PK']), filename: 'x.xlsx' })
const json = (status: number, body: unknown) => Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }))

describe('export requests', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    http.interceptors.clear()
  })
  it('ask for one table of a project, the year only for its reports, and the users list', async () => {
    const fetchMock = vi.fn(() => Promise.resolve(new Response('PK', { status: 200, headers: { 'Content-Disposition': `attachment; filename*=UTF-8''P-7-2024%E5%B9%B4%E6%9C%88%E6%8A%A5.xlsx` } })))
    vi.stubGlobal('fetch', fetchMock)
    const f = await transfer.exportProjectTable(7, 'reports', 2024)
    expect(f.filename).toBe('P-7-2024年月报.xlsx')
    await transfer.exportProjectTable('7', 'history', 2024)
    await transfer.exportProjectTable(7, 'plans')
    await transfer.exportUsers()
    const urls = fetchMock.mock.calls.map((c) => (c as unknown[])[0])
    expect(urls).toEqual(['/api/export/projects/7?table=reports&year=2024', '/api/export/projects/7?table=history', '/api/export/projects/7?table=plans', '/api/export/users'])
  })
})

describe('the project page’s export buttons', () => {
  afterEach(() => vi.restoreAllMocks())
  it('export the table they sit on, the reports of the year shown, one at a time', async () => {
    const save = vi.spyOn(http, 'saveFile').mockImplementation(() => {})
    let release!: () => void
    const exp = vi.spyOn(transfer, 'exportProjectTable').mockImplementationOnce(() => new Promise((resolve) => { release = () => resolve(file()) })).mockResolvedValue(file())
    let d!: ReturnType<typeof useProjectDetail>
    const C = defineComponent({ setup() { d = useProjectDetail('7'); return () => h('div') } })
    const w = mount(C, { global: { plugins: [makeI18n('zh-CN')] } })
    d.year.value = 2023
    const first = d.exportTable('reports')
    expect(d.exportingTable.value).toBe('reports')
    await d.exportTable('history') // ignored while the first runs
    release()
    await first
    expect(d.exportingTable.value).toBeNull()
    await d.exportTable('plan_revisions')
    expect(exp.mock.calls).toEqual([['7', 'reports', 2023], ['7', 'plan_revisions', null]])
    expect(save).toHaveBeenCalledTimes(2)
    w.unmount()
  })
})

describe('the users table', () => {
  beforeEach(() => {
    resetLookups()
    http.interceptors.clear()
  })
  afterEach(() => {
    vi.restoreAllMocks()
    vi.unstubAllGlobals()
  })
  it('has a button that downloads the users list', async () => {
    vi.stubGlobal('fetch', vi.fn((url: string) => {
      if (url.startsWith('/api/users')) return json(200, { items: [{ id: 1, login: 'admin', display_name: '管理员', role: 'admin', unit: '', region_id: null, must_change_password: false, disabled: false, locked_until: null, created_at: '' }] })
      if (url.startsWith('/api/regions')) return json(200, { items: [] })
      if (url.startsWith('/api/settings')) return json(200, { current_year: 2024, schedule: 'month', report_deadline_day: 5, home_region_id: null })
      return json(500, {})
    }))
    const save = vi.spyOn(http, 'saveFile').mockImplementation(() => {})
    const exp = vi.spyOn(transfer, 'exportUsers').mockResolvedValue(file())
    const pinia = createPinia()
    setActivePinia(pinia)
    useAuthStore().setSession({ id: 1, login: 'admin', display_name: 'A', role: 'admin' }, 'csrf')
    const w = mount(SettingsView, { global: { plugins: [pinia, makeI18n('zh-CN'), ElementPlus] }, attachTo: document.body })
    await flushPromises()
    const button = document.body.querySelector<HTMLButtonElement>('[data-test="user-export"]')
    expect(button?.textContent).toContain('导出 Excel')
    button!.click()
    await flushPromises()
    expect(exp).toHaveBeenCalledTimes(1)
    expect(save).toHaveBeenCalledWith(expect.objectContaining({ filename: 'x.xlsx' }))
    w.unmount()
  })
})
