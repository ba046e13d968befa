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

/** A published (frozen) 红黑榜: 第N期 of its kind (monthly | quarterly) and year. */
export interface PublishedRedBlack {
  id: number
  kind: 'monthly' | 'quarterly'
  period: string
  by: 'region' | 'unit' | 'project'
  levels: string[]
  year: number
  issue: number
  issue_label: string
  published_by: string
  published_at: string
}
export interface PublishedRedBlackList {
  items: PublishedRedBlack[]
  next_issue?: number
  next_issue_label?: string
}
/** The frozen copy: the lists as published (with the ranked entries on no list), the rule and the target. */
export interface FrozenRedBlackList extends RedBlackList {
  kind: 'monthly' | 'quarterly'
  period: string
  quarter: number | null
  levels: string[]
  issue: number
  issue_label: string
  published_by: string
  unlisted: RedBlackEntry[]
  rule: RedBlackRule
}
/** An entry whose list ('red' | 'black' | 'exempt' | '' for none) or rank differs now. */
export interface RedBlackChange {
  key: string
  label?: string
  group: string
  was: string
  now: string
  was_rank: number | null
  now_rank: number | null
  was_rate: string
  now_rate: string
}
export interface RedBlackChanges extends PublishedRedBlack {
  changes: RedBlackChange[]
  rule_changed: boolean
  display: { published_target_pct: string; live_target_pct: string }
}
export interface RedBlackPublishQuestion {
  year: number
  month?: number
  quarter?: number
  by: 'region' | 'unit' | 'project'
  levels: string[]
}

/** Publishes the list (admin); 409 when the same period, grouping and levels are already published. */
export const publishRedBlack = (q: RedBlackPublishQuestion) =>
  http.post<PublishedRedBlack>('/api/redblack/publish', { ...q, levels: q.levels.join(',') })
export const listPublishedRedBlack = (kind?: 'monthly' | 'quarterly', year?: number) =>
  http.get<PublishedRedBlackList>('/api/redblack/published', kind ? { kind, year } : {})
export const getPublishedRedBlack = (id: number) => http.get<FrozenRedBlackList>(`/api/redblack/published/${id}`)
export const getRedBlackChanges = (id: number) => http.get<RedBlackChanges>(`/api/redblack/published/${id}/changes`)
