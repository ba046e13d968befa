import { http } from './http'
import type { GroupBy, StatsLine, StatsResult } from './types'

export interface StatsQuery {
  year?: number | null
  month?: number | null
  levels?: string[]
  by?: GroupBy
  schedule?: 'month' | 'day' | ''
}

export const getStats = (q: StatsQuery) => http.get<StatsResult>('/api/stats', { ...q })
export const getStatsLine = (q: { year?: number | null; levels?: string[] }) => http.get<StatsLine>('/api/stats/line', { ...q })
