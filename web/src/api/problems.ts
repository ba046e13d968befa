// 问题清单: problems, their actions and events, settings, figures.
import { http, requestFile } from './http'
import type { Problem, ProblemAction, ProblemDetail, ProblemSettings, ProblemState, ProblemStats, ProblemStatsBy, ProblemSummary } from './types'

/** The list's filters, as the server reads them (every one optional). */
export interface ProblemQuery {
  project_id?: number | null
  state?: ProblemState | ''
  open?: 1 | null
  overdue?: 1 | null
  escalated?: 1 | null
  unit?: string
  category?: string
  source?: string
  mine?: 1 | null
  q?: string
  as_of?: string
  offset?: number
  limit?: number
}

/** The fields of a new problem; with `report_month` and no `text` the server takes that month's 存在问题. */
export interface NewProblem {
  project_id: number
  category: string
  text?: string
  source: string
  lead_unit?: string
  co_units?: string[]
  person?: string
  deadline?: string | null
  raised_on?: string
  report_month?: string
}

export interface ProblemEdit {
  version: number
  category: string
  text: string
  source: string
  person: string
  deadline?: string | null
}

/** What an action sends beside `version`: only the fields that action reads. */
export interface ActionBody {
  note?: string
  date?: string
  deadline?: string
  lead_unit?: string
  co_units?: string[]
  person?: string
  level?: number
}

/** Open ones first by deadline (none last), then closed ones newest first; in the caller's scope. */
export const listProblems = (q: ProblemQuery = {}) => http.get<{ total: number; items: Problem[] }>('/api/problems', { ...q })
/** Open, overdue, awaiting confirmation (answered), escalated and pending extensions, in scope. */
export const getProblemSummary = () => http.get<ProblemSummary>('/api/problems/summary')
/** A problem with its events, oldest first. */
export const getProblem = (id: number | string) => http.get<ProblemDetail>(`/api/problems/${id}`)
export const createProblem = (p: NewProblem) => http.post<Problem>('/api/problems', p)
export const updateProblem = (id: number, p: ProblemEdit) => http.put<Problem>(`/api/problems/${id}`, p)
/** Moves a problem (assign, answer, confirm …); answers the problem as it now stands. */
export const actOnProblem = (id: number, action: ProblemAction, body: ActionBody & { version: number }) =>
  http.post<Problem>(`/api/problems/${id}/actions/${action}`, body)

export const getProblemSettings = () => http.get<ProblemSettings>('/api/problem-settings')
export const putProblemSettings = (s: ProblemSettings) => http.put<ProblemSettings>('/api/problem-settings', s)

export interface ProblemStatsQuery {
  as_of?: string
  levels?: string[]
  by?: ProblemStatsBy
}
/** 提出/办结/办结率/逾期 as of a date, in total and by a grouping. */
export const getProblemStats = (q: ProblemStatsQuery = {}) => http.get<ProblemStats>('/api/problems/stats', { ...q })

/** The list under the same filters, as .xlsx. */
export const exportProblems = (q: ProblemQuery = {}) => requestFile('GET', '/api/export/problems', { query: { ...q, offset: undefined, limit: undefined } })
