// 作战图: the wall chart's rows (projects with their colours and nodes as of a date).
import { http } from './http'
import type { Colour, WallChartResult } from './types'

export interface WallChartQuery {
  /** A date (YYYY-MM-DD) or a month (YYYY-MM); empty: the headline month's end. */
  as_of?: string
  levels?: string[]
  region_id?: number | null
  colour?: Colour | ''
  leader?: string
}

export const getWallChart = (q: WallChartQuery = {}) => http.get<WallChartResult>('/api/wallchart', { ...q })
