// 拉练 (inspection tours): the tours, a rater's own scores at a stop, the results, and the score sheet.
import { http } from './http'

export type TourStatus = 'planning' | 'running' | 'ended'

export interface TourSheetItem {
  key: string
  name: string
  /** Full points as text ("30", "12.5"). */
  max: string
}

/** The caller's own scores at a stop: points as text by item key, and the set's version. */
export interface TourMine {
  version: number
  scored_at: string
  items: Record<string, string>
  /** The set's total, as the server adds it. */
  total: string
  comments?: Record<string, string>
}

export interface TourStop {
  id: number
  seq: number
  project_id: number
  project_code: string
  project_name: string
  region: string
  /** How many raters scored it (on one tour's page). */
  raters_scored?: number
  mine?: TourMine | null
}

export interface Tour {
  id: number
  name: string
  start: string
  end: string
  status: TourStatus
  status_label: string
  note: string
  sheet: TourSheetItem[]
  stops: TourStop[]
  raters: { login: string; name: string }[]
  is_rater: boolean
  can_score: boolean
  created_by: string
  version: number
  updated_at: string
  updated_by: string
}

export interface TourInput {
  name: string
  start: string
  end: string
  status?: TourStatus
  note?: string
  stops: number[]
  raters: string[]
  version?: number
}

export interface TourRaterTotal {
  rater: string
  name: string
  total: string
  dropped: 'high' | 'low' | null
}

export interface TourResults {
  tour: { id: number; name: string }
  sheet: TourSheetItem[]
  drop_from: number
  stops: {
    rank: number | null
    seq: number
    stop_id: number
    project_id: number
    code: string
    name: string
    group: string
    score: number | null
    counted: number
    raters: TourRaterTotal[]
    display: { score: string }
  }[]
  groups: { key: string; rank: number | null; score: number | null; stops: number[]; display: { score: string } }[]
}

export interface ScoreAnswer {
  stop_id: number
  version: number
  scored_at: string
  items: Record<string, string>
  total: string
}

export const listTours = () => http.get<{ items: Tour[]; can_create: boolean }>('/api/tours')
export const getTour = (id: number | string) => http.get<Tour>(`/api/tours/${id}`)
export const createTour = (t: TourInput) => http.post<Tour>('/api/tours', t)
export const updateTour = (id: number, t: TourInput & { version: number }) => http.put<Tour>(`/api/tours/${id}`, t)
/** The caller's own scores at a stop; version 0 the first time, then the saved set's version (stale: 409). */
export const saveTourScores = (id: number, stop: number, body: { version: number; items: { key: string; points: string; comment?: string }[] }) =>
  http.put<ScoreAnswer>(`/api/tours/${id}/stops/${stop}/scores`, body)
export const getTourResults = (id: number, by: 'region' | 'unit' = 'region') => http.get<TourResults>(`/api/tours/${id}/results`, { by })
export const getTourSheet = () => http.get<{ items: TourSheetItem[]; total: string }>('/api/tour-sheet')
export const saveTourSheet = (items: TourSheetItem[]) => http.put<{ items: TourSheetItem[]; total: string }>('/api/tour-sheet', { items })
