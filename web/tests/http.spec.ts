import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError, buildQuery, http, interceptors } from '@/api/http'
import { installInterceptors } from '@/api/setup'

function reply(status: number, body: unknown) {
  return Promise.resolve(new Response(body === undefined ? '' : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }))
}

describe('the API client', () => {
  let fetchMock: ReturnType<typeof vi.fn>
  const wiring = { csrf: 'tok-1' as string | null, unauth: vi.fn(), forbidden: vi.fn() }

  beforeEach(() => {
    fetchMock = vi.fn()
    vi.stubGlobal('fetch', fetchMock)
    interceptors.clear()
    wiring.csrf = 'tok-1'
    wiring.unauth.mockReset()
    wiring.forbidden.mockReset()
    installInterceptors({ csrfToken: () => wiring.csrf, onUnauthenticated: wiring.unauth, onForbidden: wiring.forbidden })
  })
  afterEach(() => {
    vi.unstubAllGlobals()
    interceptors.clear()
  })

  it('sends the CSRF token on writes but not on reads', async () => {
    fetchMock.mockImplementation(() => reply(200, { ok: true }))
    await http.get('/api/projects')
    await http.put('/api/projects/1', { name: 'x' })
    await http.del('/api/projects/1', { version: 3 })
    const headers = fetchMock.mock.calls.map((c) => (c[1] as RequestInit).headers as Record<string, string>)
    expect(headers[0]['X-CSRF-Token']).toBeUndefined()
    expect(headers[1]['X-CSRF-Token']).toBe('tok-1')
    expect(headers[2]['X-CSRF-Token']).toBe('tok-1')
    expect(fetchMock.mock.calls[2][0]).toBe('/api/projects/1?version=3')
  })

  it('reads the token at the time of the request (after sign-in it changes)', async () => {
    fetchMock.mockImplementation(() => reply(200, {}))
    wiring.csrf = 'new-token'
    await http.post('/api/users', {})
    expect(((fetchMock.mock.calls[0][1] as RequestInit).headers as Record<string, string>)['X-CSRF-Token']).toBe('new-token')
  })

  it('turns a 401 into "go to the sign-in page"', async () => {
    fetchMock.mockImplementation(() => reply(401, { error: { code: 'unauthenticated', message: '请先登录 (sign in first)' } }))
    await expect(http.get('/api/stats')).rejects.toBeInstanceOf(ApiError)
    expect(wiring.unauth).toHaveBeenCalledTimes(1)
    expect(wiring.forbidden).not.toHaveBeenCalled()
  })

  it('leaves a quiet call (the sign-in itself) to its caller', async () => {
    fetchMock.mockImplementation(() => reply(401, { error: { code: 'unauthenticated', message: 'wrong' } }))
    await expect(http.post('/api/auth/login', {}, { quiet: true })).rejects.toMatchObject({ status: 401 })
    expect(wiring.unauth).not.toHaveBeenCalled()
  })

  it('turns a 403 into a "no permission" message', async () => {
    fetchMock.mockImplementation(() => reply(403, { error: { code: 'permission_denied', message: '无权访问 (your role may not do this)' } }))
    await expect(http.put('/api/settings', {})).rejects.toMatchObject({ status: 403, code: 'permission_denied' })
    expect(wiring.forbidden).toHaveBeenCalledWith('无权访问 (your role may not do this)')
    expect(wiring.unauth).not.toHaveBeenCalled()
  })

  it('does not show "no permission" while a first password must be changed', async () => {
    fetchMock.mockImplementation(() => reply(403, { error: { code: 'password_change_required', message: 'x' } }))
    await expect(http.get('/api/stats')).rejects.toMatchObject({ code: 'password_change_required' })
    expect(wiring.forbidden).not.toHaveBeenCalled()
  })

  it('keeps the server error code, message and field', async () => {
    fetchMock.mockImplementation(() => reply(400, { error: { code: 'invalid_argument', message: '项目编码不能为空 (code is required)', field: 'code' } }))
    const err = (await http.post('/api/projects', {}).catch((e) => e)) as ApiError
    expect(err).toBeInstanceOf(ApiError)
    expect(err.status).toBe(400)
    expect(err.code).toBe('invalid_argument')
    expect(err.field).toBe('code')
  })

  it('reports a network failure as status 0', async () => {
    fetchMock.mockImplementation(() => Promise.reject(new TypeError('Failed to fetch')))
    await expect(http.get('/api/stats')).rejects.toMatchObject({ status: 0, code: 'network' })
  })

  it('sends CSV text as text, not JSON', async () => {
    fetchMock.mockImplementation(() => reply(200, {}))
    await http.post('/api/import/projects', '项目编码,项目名称\nA,B')
    const init = fetchMock.mock.calls[0][1] as RequestInit
    expect(init.body).toBe('项目编码,项目名称\nA,B')
    expect((init.headers as Record<string, string>)['Content-Type']).toMatch(/text\/csv/)
  })
})

describe('buildQuery', () => {
  it('leaves out empty values and joins lists', () => {
    expect(buildQuery({ levels: ['省重点', '市重点'], q: '', page: 1, demo: undefined, x: null })).toBe(
      `?levels=${encodeURIComponent('省重点,市重点')}&page=1`,
    )
    expect(buildQuery({ levels: [] })).toBe('')
  })
})
