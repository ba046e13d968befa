import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import ElementPlus from 'element-plus'
import { makeI18n } from '@/locales'
import { interceptors } from '@/api/http'
import ProjectFormDialog from '@/components/ProjectFormDialog.vue'
import { resetLookups } from '@/composables/useLookups'
import { useAuthStore } from '@/stores/auth'
import type { Project } from '@/api/types'

const project: Project = {
  id: 7, code: 'P-7', name: '旧名称', level: '市重点', nature: '新建', industry: '水利', region_id: null, region_name: '', total_investment_wan: 100,
  owner: 'O', unit: 'U', person: 'P', leader: 'L', is_demo: false, status: '在建', planned_start: null, planned_end: null, content: '',
  version: 3, created_at: '', updated_at: '',
}

function json(status: number, body: unknown) {
  return Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }))
}

async function mountDialog() {
  const pinia = createPinia()
  setActivePinia(pinia)
  useAuthStore().setSession({ id: 1, login: 'admin', display_name: 'A', role: 'admin' }, 'csrf')
  const wrapper = mount(ProjectFormDialog, { global: { plugins: [pinia, makeI18n('zh-CN'), ElementPlus] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

const input = (testId: string) => document.body.querySelector<HTMLInputElement>(`input[data-test="${testId}"]`)!
async function type(testId: string, value: string) {
  const el = input(testId)
  el.value = value
  el.dispatchEvent(new Event('input'))
  await flushPromises()
}
const save = () => document.body.querySelector<HTMLButtonElement>('[data-test="project-save"]')!

describe('the project dialog', () => {
  let fetchMock: ReturnType<typeof vi.fn>
  beforeEach(() => {
    resetLookups()
    interceptors.clear()
    sessionStorage.clear()
    fetchMock = vi.fn((url: string) => {
      if (url.startsWith('/api/regions')) return json(200, { items: [] })
      if (url.startsWith('/api/settings')) return json(200, { current_year: 2024, schedule: 'month', report_deadline_day: 5, home_region_id: null })
      if (url.startsWith('/api/stats')) return json(200, { groups: [] })
      return json(500, {})
    })
    vi.stubGlobal('fetch', fetchMock)
  })
  afterEach(() => {
    vi.unstubAllGlobals()
    document.body.innerHTML = ''
  })

  // (that the message shows while typing is checked in the browser journeys)
  it('refuses 5 decimals and a missing code before any request', async () => {
    const w = await mountDialog()
    ;(w.vm as unknown as { open: (p: Project | null) => void }).open(null)
    await new Promise((r) => setTimeout(r, 10)) // the dialog clears old messages once open
    await type('f-total', '1.23456')
    save().click()
    await new Promise((r) => setTimeout(r, 30))
    await flushPromises()
    expect(document.body.textContent).toContain('请先修正标红的字段')
    expect(fetchMock.mock.calls.some((c) => String(c[0]).startsWith('/api/projects'))).toBe(false)
    w.unmount()
  })

  it('asks before × drops an invalid draft, and a discarded draft does not come back', async () => {
    const w = await mountDialog()
    const open = () => (w.vm as unknown as { open: (p: Project | null) => void }).open(project)
    open()
    await new Promise((r) => setTimeout(r, 10))
    await type('f-total', '1.23456')
    save().click() // invalid: refused, and the draft is kept
    await new Promise((r) => setTimeout(r, 30))
    await flushPromises()
    expect(sessionStorage.getItem('kp.draft.project.7')).not.toBeNull()
    const close = () => document.body.querySelector<HTMLButtonElement>('[data-test="project-dialog"] .el-dialog__headerbtn, .kp-project-dialog .el-dialog__headerbtn')!
    const box = async () => {
      await new Promise((r) => setTimeout(r, 50))
      await flushPromises()
      const all = document.body.querySelectorAll('.el-message-box')
      return all[all.length - 1] // the newest (a closed one may linger in jsdom)
    }
    close().click()
    expect((await box())?.textContent).toContain('放弃未保存的修改')
    // keep editing: the dialog stays, the draft too
    ;(await box())!.querySelector<HTMLButtonElement>('.el-message-box__btns .el-button:not(.el-button--primary)')!.click()
    await new Promise((r) => setTimeout(r, 400))
    expect(input('f-total').value).toBe('1.23456')
    close().click()
    ;(await box())!.querySelector<HTMLButtonElement>('.el-message-box__btns .el-button--primary')!.click()
    await new Promise((r) => setTimeout(r, 400))
    await flushPromises()
    expect(sessionStorage.getItem('kp.draft.project.7')).toBeNull()
    open()
    await new Promise((r) => setTimeout(r, 10))
    expect(input('f-total').value).toBe('100')
    w.unmount()
  })

  it('shows the server field error on its field and keeps what was typed', async () => {
    const w = await mountDialog()
    ;(w.vm as unknown as { open: (p: Project | null) => void }).open(null)
    await flushPromises()
    fetchMock.mockImplementation((url: string, init?: RequestInit) => {
      if (url === '/api/projects' && init?.method === 'POST')
        return json(409, { error: { code: 'already_exists', message: '项目编码已存在 (code exists)', field: 'code' } })
      return json(200, { items: [], groups: [] })
    })
    await type('f-code', 'DUP-1')
    await type('f-name', '新项目')
    // choose a level through the model: selects are not typed into
    const vm = w.findComponent({ name: 'ElForm' }).props('model') as Record<string, unknown>
    vm.level = '省重点'
    await flushPromises()
    save().click()
    await new Promise((r) => setTimeout(r, 30))
    await flushPromises()
    const post = fetchMock.mock.calls.find((c) => c[0] === '/api/projects')
    expect(post).toBeTruthy()
    expect(((post![1] as RequestInit).headers as Record<string, string>)['X-CSRF-Token']).toBeUndefined() // no interceptor installed here
    expect(document.body.textContent).toContain('项目编码已存在')
    expect(input('f-code').value).toBe('DUP-1')
    expect(input('f-name').value).toBe('新项目')
    w.unmount()
  })

  it('on a stale version (409) keeps the input and offers the latest version, keeping the changed fields', async () => {
    const w = await mountDialog()
    ;(w.vm as unknown as { open: (p: Project | null) => void }).open(project)
    await flushPromises()
    let puts = 0
    fetchMock.mockImplementation((url: string, init?: RequestInit) => {
      if (url === '/api/projects/7' && init?.method === 'PUT') {
        puts++
        const body = JSON.parse(String(init.body))
        if (body.version === 3) return json(409, { error: { code: 'conflict', message: '项目已被他人修改 (changed by someone else)' } })
        return json(200, { ...project, ...body, version: 5 })
      }
      if (url === '/api/projects/7') return json(200, { ...project, version: 4, unit: '别人改的单位', plans: [] })
      return json(200, { items: [], groups: [] })
    })
    await type('f-name', '我改的名称')
    save().click()
    await new Promise((r) => setTimeout(r, 30))
    await flushPromises()
    expect(puts).toBe(1)
    expect(document.body.textContent).toContain('该项目已被他人修改')
    expect(input('f-name').value).toBe('我改的名称')
    document.body.querySelector<HTMLButtonElement>('[data-test="reload-latest"]')!.click()
    await flushPromises()
    expect(input('f-name').value).toBe('我改的名称')
    const model = w.findComponent({ name: 'ElForm' }).props('model') as Record<string, unknown>
    expect(model.unit).toBe('别人改的单位')
    save().click()
    await new Promise((r) => setTimeout(r, 30))
    await flushPromises()
    expect(puts).toBe(2)
    const body = JSON.parse(String(fetchMock.mock.calls.filter((c) => (c[1] as RequestInit | undefined)?.method === 'PUT')[1][1].body))
    expect(body.version).toBe(4)
    expect(body.name).toBe('我改的名称')
    w.unmount()
  })
})
