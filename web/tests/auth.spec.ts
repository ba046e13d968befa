import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import ElementPlus from 'element-plus'
import { makeI18n } from '@/locales'
import { interceptors } from '@/api/http'
import { useAuthStore } from '@/stores/auth'
import { afterSignIn, installGuards, routes } from '@/router'
import LoginView from '@/views/LoginView.vue'

function json(status: number, body: unknown) {
  return Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }))
}
const user = (role: string, extra: object = {}) => ({ id: 1, login: role, display_name: role, role, ...extra })

describe('the session store', () => {
  let fetchMock: ReturnType<typeof vi.fn>
  beforeEach(() => {
    setActivePinia(createPinia())
    interceptors.clear()
    fetchMock = vi.fn()
    vi.stubGlobal('fetch', fetchMock)
  })
  afterEach(() => vi.unstubAllGlobals())

  it('re-reads the user and the CSRF token after a reload', async () => {
    fetchMock.mockImplementation(() => json(200, { user: user('department', { unit: '县水利局' }), csrf_token: 'abc' }))
    const auth = useAuthStore()
    await auth.restore()
    expect(auth.role).toBe('department')
    expect(auth.csrfToken).toBe('abc')
    expect(auth.can('projects.edit')).toBe(true)
    expect(auth.can('settings')).toBe(false)
  })

  it('is signed out when /api/auth/me answers 401', async () => {
    fetchMock.mockImplementation(() => json(401, { error: { code: 'unauthenticated', message: 'x' } }))
    const auth = useAuthStore()
    await auth.restore()
    expect(auth.signedIn).toBe(false)
    expect(auth.restored).toBe(true)
  })

  it('acts as an administrator against a server without sign-in (404)', async () => {
    fetchMock.mockImplementation(() => json(404, { error: { code: 'not_found', message: 'no such endpoint' } }))
    const auth = useAuthStore()
    await auth.restore()
    expect(auth.role).toBe('admin')
    expect(auth.authAvailable).toBe(false)
    expect(auth.mustChangePassword).toBe(false)
  })

  it('sends pages the role cannot use to "no permission", and strangers to the sign-in page', async () => {
    const router = createRouter({ history: createMemoryHistory(), routes })
    installGuards(router)
    fetchMock.mockImplementation(() => json(401, { error: { code: 'unauthenticated' } }))
    await router.push('/stats')
    expect(router.currentRoute.value.name).toBe('login')
    expect(router.currentRoute.value.query.redirect).toBe('/stats')
    useAuthStore().setSession(user('owner') as never, 't')
    await router.push('/settings')
    expect(router.currentRoute.value.name).toBe('forbidden')
    await router.push('/')
    expect(router.currentRoute.value.path).toBe('/reports/fill')
  })
})

describe('the front door', () => {
  let fetchMock: ReturnType<typeof vi.fn>
  beforeEach(() => {
    setActivePinia(createPinia())
    interceptors.clear()
    fetchMock = vi.fn()
    vi.stubGlobal('fetch', fetchMock)
  })
  afterEach(() => vi.unstubAllGlobals())

  it('sends the plain address to the sign-in page with nothing to return to', async () => {
    const router = createRouter({ history: createMemoryHistory(), routes })
    installGuards(router)
    fetchMock.mockImplementation(() => json(401, { error: { code: 'unauthenticated' } }))
    await router.push('/')
    expect(router.currentRoute.value.name).toBe('login')
    expect(router.currentRoute.value.query.redirect).toBeUndefined()
    await router.push('/welcome')
    expect(router.currentRoute.value.query.redirect).toBeUndefined()
  })

  it.each([
    ['admin', '/dashboard'],
    ['leader', '/leader'],
    ['department', '/projects'],
    ['owner', '/reports/fill'],
    ['bank', '/financing'],
    ['auditor', '/audit'],
  ])('lands a signed-in %s on %s from the plain address', async (role, home) => {
    const router = createRouter({ history: createMemoryHistory(), routes })
    installGuards(router)
    const auth = useAuthStore()
    auth.setSession(user(role) as never, 't')
    auth.restored = true
    await router.push('/')
    expect(router.currentRoute.value.path).toBe(home)
    // the home is a page the role may open
    expect(router.currentRoute.value.name).not.toBe('forbidden')
  }, 30000) // the first push compiles the page's view

  it('returns after sign-in only to a page the role may use', () => {
    const router = createRouter({ history: createMemoryHistory(), routes })
    expect(afterSignIn(router, '/welcome', 'admin')).toBe('/dashboard')
    expect(afterSignIn(router, '/', 'auditor')).toBe('/audit')
    expect(afterSignIn(router, '/settings', 'leader')).toBe('/leader')
    expect(afterSignIn(router, '//evil.example/x', 'admin')).toBe('/dashboard')
    expect(afterSignIn(router, '/stats?by=region', 'leader')).toBe('/stats?by=region')
    expect(afterSignIn(router, undefined, 'bank')).toBe('/financing')
  })
})

describe('the sign-in page', () => {
  let fetchMock: ReturnType<typeof vi.fn>
  beforeEach(() => {
    setActivePinia(createPinia())
    interceptors.clear()
    fetchMock = vi.fn()
    vi.stubGlobal('fetch', fetchMock)
  })
  afterEach(() => {
    vi.unstubAllGlobals()
    document.body.innerHTML = ''
  })

  async function signInWith(answer: () => Promise<Response>) {
    const pinia = createPinia()
    setActivePinia(pinia)
    useAuthStore().restored = true
    const router = createRouter({ history: createMemoryHistory(), routes })
    await router.push('/login')
    fetchMock.mockImplementation(answer)
    const w = mount(LoginView, { global: { plugins: [pinia, router, makeI18n('zh-CN'), ElementPlus] }, attachTo: document.body })
    await w.find('input[data-test=login]').setValue('dept')
    await w.find('input[data-test=password]').setValue('wrong')
    await w.find('form').trigger('submit')
    await new Promise((r) => setTimeout(r, 30))
    await flushPromises()
    return { w, router }
  }

  it('shows the attempts left on a wrong password, in the current language', async () => {
    const { w } = await signInWith(() =>
      json(401, { error: { code: 'unauthenticated', message: '用户名或密码错误，还可尝试 3 次 (wrong login or password, 3 attempts left)' } }),
    )
    expect(w.find('[data-test=login-error]').text()).toContain('还可尝试 3 次')
    expect(w.find('[data-test=login-error]').text()).not.toContain('attempts left')
    expect((w.find('input[data-test=password]').element as HTMLInputElement).value).toBe('')
    w.unmount()
  })

  it('says to wait on 429 (too many failures from this address)', async () => {
    const { w } = await signInWith(() => json(429, { error: { code: 'too_many_requests', message: '此地址登录失败次数过多，请 15 分钟后再试' } }))
    expect(w.find('[data-test=login-locked]').text()).toContain('15 分钟后再试')
    w.unmount()
  })

  it('asks for the login and the password before asking the server, and loads no Element Plus', async () => {
    const pinia = createPinia()
    setActivePinia(pinia)
    useAuthStore().restored = true
    const router = createRouter({ history: createMemoryHistory(), routes })
    await router.push('/login')
    const w = mount(LoginView, { global: { plugins: [pinia, router, makeI18n('zh-CN')] }, attachTo: document.body })
    await w.find('form').trigger('submit')
    await flushPromises()
    expect(fetchMock).not.toHaveBeenCalled()
    expect(w.text()).toContain('请输入用户名')
    expect(w.text()).toContain('请输入密码')
    expect(w.html()).not.toContain('el-')
    await w.find('input[data-test=login]').setValue('dept')
    await w.find('input[data-test=login]').trigger('blur')
    expect(w.text()).not.toContain('请输入用户名')
    w.unmount()
  })

  it('goes to the role’s first page once signed in', async () => {
    const { w, router } = await signInWith(() => json(200, { user: user('owner', { unit: 'X' }), csrf_token: 'tok' }))
    expect(router.currentRoute.value.path).toBe('/reports/fill')
    expect(useAuthStore().csrfToken).toBe('tok')
    w.unmount()
  })
})
