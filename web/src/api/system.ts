import { http } from './http'
import type { AuditEntry, ImportResult, Region, Settings, User } from './types'

export const listRegions = () => http.get<{ items: Region[] }>('/api/regions')
export const createRegion = (r: { parent_id: number | null; name: string; code: string }) => http.post<Region>('/api/regions', r)

export const getSettings = () => http.get<Settings>('/api/settings')
export const updateSettings = (s: Settings) => http.put<Settings>('/api/settings', s)

export const listUsers = () => http.get<{ items: User[] }>('/api/users')
export interface UserInput {
  login?: string
  display_name: string
  role: string
  unit?: string
  region_id?: number | null
  disabled?: boolean
  password?: string
}
export const createUser = (u: UserInput) => http.post<User>('/api/users', u)
export const updateUser = (id: number, u: UserInput) => http.put<User>(`/api/users/${id}`, u)

export interface AuditQuery {
  user?: string
  action?: string
  entity?: string
  from?: string
  to?: string
  page?: number
  page_size?: number
}
export const listAudit = (q: AuditQuery) => http.get<{ items: AuditEntry[]; total: number }>('/api/audit', { ...q })

export type ImportKind = 'projects' | 'reports'
/** Sends a CSV / .xlsx / .xls file as it is; `dryRun` only checks it and answers a preview. */
export const importFile = (kind: ImportKind, file: Blob, opts: { dryRun?: boolean; sheet?: string } = {}) =>
  http.post<ImportResult>(`/api/import/${kind}?${opts.dryRun ? 'dry_run=1' : ''}${opts.sheet ? `&sheet=${encodeURIComponent(opts.sheet)}` : ''}`, file)
