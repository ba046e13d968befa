import type { Router } from 'vue-router'
import { interceptors } from './http'

export interface HttpWiring {
  csrfToken: () => string | null
  /** A 401 outside the sign-in calls: the session is gone. */
  onUnauthenticated: () => void
  /** A 403: show "no permission". */
  onForbidden: (message: string) => void
}

/** Installs the app's interceptors on the one HTTP client. Returns a function that removes them. */
export function installInterceptors(w: HttpWiring) {
  const offReq = interceptors.request.use((req) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const token = w.csrfToken()
      if (token) req.headers['X-CSRF-Token'] = token
    }
  })
  const offErr = interceptors.error.use((err, req) => {
    if (req.options.quiet) return
    if (err.code === 'password_change_required') return // the forced change dialog is already up
    if (err.status === 401) w.onUnauthenticated()
    else if (err.status === 403) w.onForbidden(err.message)
  })
  return () => {
    offReq()
    offErr()
  }
}

/** Sends the browser to the sign-in page, remembering where it was. */
export function redirectToLogin(router: Router) {
  const current = router.currentRoute.value
  if (current.name === 'login') return
  const query: Record<string, string> = { expired: '1' }
  if (current.fullPath && current.fullPath !== '/') query.redirect = current.fullPath
  void router.push({ name: 'login', query })
}
