import { http } from './http'
import type { Session } from './types'

export const login = (login: string, password: string) =>
  http.post<Session>('/api/auth/login', { login, password }, { quiet: true })
export const getMe = () => http.get<Session>('/api/auth/me', undefined, { quiet: true })
export const logout = () => http.post<unknown>('/api/auth/logout', {}, { quiet: true })
export const changePassword = (old_password: string, new_password: string) =>
  http.post<unknown>('/api/auth/password', { old_password, new_password })
