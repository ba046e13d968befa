import { http } from './http'

/** One entry of a 红黑榜: the engine's figures of a township, unit or project, and its rank in its rule group. */
export interface RedBlackEntry {
  key: string
  label?: string
  group: string
  rank: number
  from_bottom: number
  projects: number
  plan_wan: string
  completed_wan: string
  completion_rate_pct: number | null
  ahead_points: number | null
  reason?: string
  display: { plan_wan: string; completed_wan: string; completion_rate_pct: string; ahead_points: string }
}

export interface RedBlackList {
  year: number
  month: number
  by: 'region' | 'unit' | 'project'
  schedule_pct: number
  target_pct: number
  ranked: number
  red: RedBlackEntry[]
  black: RedBlackEntry[]
  exempt: RedBlackEntry[]
  display: { schedule_pct: string; target_pct: string }
}

export interface RedBlackQuery {
  year?: number | null
  month?: number | null
  levels?: string[]
  by: 'region' | 'unit' | 'project'
}

export const getRedBlack = (q: RedBlackQuery) => http.get<RedBlackList>('/api/redblack', { ...q })

/** The rule in the settings (as PUT takes it): target "schedule" or a rate text, N, rule groups, exemptions. */
export interface RedBlackRule {
  target: string
  red: number
  black: number
  groups: { name: string; red: number; black: number; keys: string[] }[]
  exemptions: { by: string; key: string; year: number; month: number | null; reason: string }[]
}
export const getRedBlackRule = () => http.get<RedBlackRule>('/api/redblack-rule')
export const putRedBlackRule = (r: RedBlackRule) => http.put<RedBlackRule>('/api/redblack-rule', r)
