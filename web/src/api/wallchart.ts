// 作战图: the wall chart's rows (projects with their colours and nodes as of a date).
import { http, requestFile } from './http'
import type { Colour, WallChartResult } from './types'

export interface WallChartQuery {
  /** A date (YYYY-MM-DD) or a month (YYYY-MM); empty: the headline month's end. */
  as_of?: string
  levels?: string[]
  region_id?: number | null
  colour?: Colour | ''
  leader?: string
  /** 'true': 示范项目 only; 'false': the others. */
  demo?: 'true' | 'false'
}

export const getWallChart = (q: WallChartQuery = {}) => http.get<WallChartResult>('/api/wallchart', { ...q })
/** The wall chart as .xlsx (grouped by level, a column per node, cells filled by state), for the same question. */
export const exportWallChart = (q: WallChartQuery = {}) => requestFile('GET', '/api/export/wallchart', { query: { ...q } })
