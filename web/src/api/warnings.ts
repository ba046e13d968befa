// Warning colours: the published list, the colours of a page of projects, and the rules' thresholds.
import { http, requestFile } from './http'
import type { Colour, WarningGroupBy, WarningResult, WarningRules } from './types'

export interface WarningQuery {
  /** A date (YYYY-MM-DD) or a month (YYYY-MM: its last day); empty: the headline month's end. */
  as_of?: string
  levels?: string[]
  by?: WarningGroupBy | ''
  colour?: Colour | ''
  region_id?: number | null
  leader?: string
}

export const getWarnings = (q: WarningQuery = {}) => http.get<WarningResult>('/api/warnings', { ...q })
/** The colour of each project id (null: not counted, e.g. no plan in the as-of year). */
export const getWarningColours = (ids: number[], asOf?: string) =>
  http.get<{ as_of: string; colours: Record<string, Colour | null> }>('/api/warnings/colours', { ids, as_of: asOf })
/** The 预警 list as .xlsx: the same question as getWarnings (a row per project, its warnings, the colour counts). */
export const exportWarnings = (q: WarningQuery = {}) => requestFile('GET', '/api/export/warnings', { query: { ...q } })
export const getWarningRules = () => http.get<WarningRules>('/api/warnings/rules')
export const putWarningRules = (r: Partial<WarningRules>) => http.put<WarningRules>('/api/warnings/rules', r)
