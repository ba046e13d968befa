import { http } from './http'
import type { AuditEntry, ImportResult, Region, Settings, User } from './types'

export const listRegions = () => http.get<{ items: Region[] }>('/api/regions')
export const createRegion = (r: { parent_id: number | null; name: string; code: string }) => http.post<Region>('/api/regions', r)
export const updateRegion = (id: number, r: { name: string; code: string }) => http.put<Region>(`/api/regions/${id}`, r)
export interface RegionMerge {
  id: number
  merged_into: number
  projects_moved: number
  regions_moved: number
  users_moved: number
}
export const mergeRegion = (id: number, intoId: number) => http.post<RegionMerge>(`/api/regions/${id}/merge`, { into_id: intoId })
export const retireRegion = (id: number) => http.post<{ id: number; retired: boolean }>(`/api/regions/${id}/retire`, {})

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
