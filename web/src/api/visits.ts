// 现场督导: supervision visits, their stops and findings, and the period's figures.
import { http } from './http'
import type { Problem, Visit, VisitStats } from './types'

/** A visit as the form sends it: no ids on the visit; stops and findings keep theirs when edited. */
export type VisitInput = Omit<Visit, 'id' | 'version' | 'updated_at' | 'updated_by'> & { version?: number }

export const listVisits = (q: { from?: string; to?: string } = {}) => http.get<{ items: Visit[] }>('/api/visits', q)
export const getVisit = (id: number | string) => http.get<Visit>(`/api/visits/${id}`)
export const createVisit = (v: VisitInput) => http.post<Visit>('/api/visits', v)
/** Replaces the stops and findings; findings that became problems keep their problem. */
export const updateVisit = (id: number, v: VisitInput & { version: number }) => http.put<Visit>(`/api/visits/${id}`, v)
/** Turns a finding into a problem (source 现场督导); 409 when it already is one. */
export const findingToProblem = (visitId: number, findingId: number, body: { lead_unit?: string; deadline?: string } = {}) =>
  http.post<Problem>(`/api/visits/${visitId}/findings/${findingId}/problem`, body)
export const getVisitStats = (q: { from?: string; to?: string; levels?: string[] } = {}) => http.get<VisitStats>('/api/visits/stats', q)
