import { defineStore } from 'pinia'
import * as authApi from '@/api/auth'
import { ApiError } from '@/api/http'
import type { Role, User } from '@/api/types'
import { can as roleCan, type Permission } from '@/composables/permissions'

/** Who is signed in, and the CSRF token every write must carry. */
export const useAuthStore = defineStore('auth', {
  state: () => ({
    user: null as User | null,
    csrfToken: null as string | null,
    /** false when the server has no /api/auth yet (404): the app then acts as an admin. */
    authAvailable: true,
    restored: false,
  }),
  getters: {
    signedIn: (s) => s.user !== null,
    role: (s): Role | null => s.user?.role ?? null,
    mustChangePassword: (s) => !!s.user?.must_change_password && s.authAvailable,
  },
  actions: {
    can(perm: Permission) {
      return roleCan(this.role, perm)
    },
    setSession(user: User, csrf: string | null) {
      this.user = user
      this.csrfToken = csrf
    },
    clear() {
      this.user = null
      this.csrfToken = null
    },
    /** Re-reads the session after a reload (the cookie survives, the token is fetched again). */
    async restore() {
      try {
        const s = await authApi.getMe()
        this.authAvailable = true
        this.setSession(s.user, s.csrf_token)
      } catch (e) {
        // A sign-in finished while the old session was read (the sign-in page does not wait): keep it.
        if (this.restored) return
        if (e instanceof ApiError && e.status === 404) {
          // The server has no sign-in yet: develop against it as an administrator.
          this.authAvailable = false
          this.setSession({ id: 0, login: 'admin', display_name: '', role: 'admin' }, null)
        } else {
          this.clear()
        }
      } finally {
        this.restored = true
      }
    },
    async signIn(login: string, password: string) {
      const s = await authApi.login(login, password)
      this.authAvailable = true
      this.setSession(s.user, s.csrf_token)
      this.restored = true
      return s.user
    },
    async signOut() {
      try {
        if (this.authAvailable) await authApi.logout()
      } catch {
        /* signing out locally is enough */
      }
      this.clear()
    },
    async changePassword(oldPassword: string, newPassword: string) {
      await authApi.changePassword(oldPassword, newPassword)
      if (this.user) this.user = { ...this.user, must_change_password: false }
    },
  },
})
