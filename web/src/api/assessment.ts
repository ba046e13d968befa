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
