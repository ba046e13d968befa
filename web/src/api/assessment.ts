import { http, requestFile } from './http'

/** One item of a unit's score: the points (exact, shown to two decimals) and how they were reached. */
export interface AssessmentItemScore {
  name: string
  measure: string
  points: number
  display: string
  basis: string
}

/** A township's or unit's score under the scheme in the settings, with the figures it was scored from. */
export interface AssessmentScore {
  key: string
  rank: number
  total: number
  items: AssessmentItemScore[]
  measures: {
    completion_rate_pct: number | null
    completion_rank: number | null
    projects: number
    starts_due: number
    started: number
    nodes_due: number
    nodes_on_time: number
    reports_due: number
    reports_in: number
    problems_raised: number
    problems_closed: number
  }
  display: { total: string }
}

export interface AssessmentResult {
  year: number
  month: number
  period: AssessmentPeriod
  by: AssessmentBy
  scheme: string
  schedule_pct: number
  full_points: string
  items: { name: string; measure: string; max: string }[]
  scores: AssessmentScore[]
  display: { schedule_pct: string }
}

export type AssessmentBy = 'region' | 'unit'
export type AssessmentPeriod = 'month' | 'quarter' | 'year'

export interface AssessmentQuery {
  year?: number | null
  month?: number | null
  quarter?: number | null
  period?: AssessmentPeriod
  levels?: string[]
  by: AssessmentBy
}

export const getAssessment = (q: AssessmentQuery) => http.get<AssessmentResult>('/api/assessment', { ...q })
export const exportAssessment = (q: AssessmentQuery) => requestFile('GET', '/api/export/assessment', { query: { ...q } })

/** The measures an item can be scored from (the server's fixed set). */
export type AssessMeasure = 'completion' | 'starts' | 'nodes' | 'problems' | 'reports' | 'manual' | 'tour'
export const ASSESS_MEASURES: AssessMeasure[] = ['completion', 'starts', 'nodes', 'problems', 'reports', 'manual', 'tour']

/** One item of the scheme as the server keeps it: decimals as text ("0.1"), counts as integers. */
export interface AssessmentSchemeItem {
  name: string
  measure: AssessMeasure
  max: string
  // completion
  base?: string
  below?: string
  above?: string
  beyond_from?: string
  beyond?: string
  cap?: string
  rank_bonus?: { to_rank: number; points: string }[]
  // starts (base too)
  per_start?: string
  start_limit?: number
  rate_bonus?: string
  small_max?: number
  small_pct?: string
  large_pct?: string
  late_penalty?: string
}
/** The bureau's points for a township or unit, with the reason (a manual item's figure). */
export interface AssessmentAdjustment {
  by: 'region' | 'unit'
  key: string
  year: number
  month: number | null
  item: string
  points: string
  reason: string
}
export interface AssessmentScheme {
  name: string
  items: AssessmentSchemeItem[]
  adjustments: AssessmentAdjustment[]
}

export const getAssessmentScheme = () => http.get<AssessmentScheme>('/api/assessment-scheme')
/** Saves the scheme (admin); a bad value is refused naming its field ("items[0].max"). */
export const putAssessmentScheme = (s: unknown) => http.put<AssessmentScheme>('/api/assessment-scheme', s)
/** Back to the 2020 city scheme (admin). */
export const resetAssessmentScheme = () => http.post<AssessmentScheme>('/api/assessment-scheme/reset', {})
