// 产业招商: leads and their stages, conversion into a project, carrier suggestions, the funnel; the parks' carriers.
import { http, requestFile } from './http'

export const LEAD_STAGES = ['lead', 'talks', 'signed', 'landed', 'started', 'producing'] as const
export type LeadStage = (typeof LEAD_STAGES)[number]
export const LEAD_BYS = ['stage', 'industry', 'staff'] as const
export type LeadBy = (typeof LEAD_BYS)[number]

export interface Lead {
  id: number
  name: string
  investor: string
  industry: string
  investment_wan: number
  investment_yuan: number
  land_mu: string
  floor_m2: number
  output_wan: number
  tax_wan: number
  contact: string
  source: string
  staff: string
  note: string
  stage: LeadStage
  stage_label: string
  lead_on: string
  talks_on: string | null
  signed_on: string | null
  landed_on: string | null
  started_on: string | null
  producing_on: string | null
  project: { id: number; code: string; name: string; status: string } | null
  /** The hand moves the caller may make now: 'talks', 'signed', or 'convert'. */
  moves: string[]
  editable: boolean
  version: number
  updated_at: string
  updated_by: string
}

export interface LeadEvent {
  at: string
  on: string
  by: string
  action: string
  from_stage: string
  to_stage: string
  note: string
}

export interface LeadDetail extends Lead {
  events: LeadEvent[]
}

/** The fields a lead is recorded with (money in 万元, land in 亩 to one decimal). */
export interface LeadFields {
  name: string
  investor: string
  industry: string
  investment_wan: string | number
  land_mu?: string
  floor_m2?: number | null
  output_wan?: string | number | null
  tax_wan?: string | number | null
  contact?: string
  source?: string
  staff?: string
  note?: string
  lead_on?: string
}

export interface LeadQuery {
  stage?: LeadStage | ''
  industry?: string
  staff?: string
  q?: string
}

export interface Carrier {
  id: number
  park: string
  kind: 'land' | 'factory'
  kind_label: string
  parcel: string
  land_mu: string
  floor_m2: number
  price_yuan: number
  industries: string[]
  available: boolean
  version: number
  updated_at: string
}

export interface CarrierMatch extends Carrier {
  rank: number
  industry_fit: 'exact' | 'any'
  fit_pct: string
}

export interface CarrierFields {
  park: string
  kind: 'land' | 'factory'
  parcel: string
  land_mu?: string
  floor_m2?: number | null
  price_yuan?: number | null
  industries: string[]
  available: boolean
}

export interface LeadFigures {
  key?: string
  leads: number
  talks: number
  signed: number
  signed_yuan: number
  signed_wan: number
  landed: number
  started: number
  producing: number
  started_in_year: number
  producing_in_year: number
  start_rate_pct: string | null
  produce_rate_pct: string | null
  display: { signed_yi: string; start_rate: string; produce_rate: string; headline: string }
}

export interface LeadStats {
  year: number
  as_of: string
  by: LeadBy | ''
  total: LeadFigures
  groups: LeadFigures[]
}

/** Newest first, in the caller's scope (招商 staff: the leads they follow). */
export const listLeads = (q: LeadQuery = {}) => http.get<{ total: number; items: Lead[]; can_create: boolean }>('/api/leads', { ...q })
export const getLead = (id: number) => http.get<LeadDetail>(`/api/leads/${id}`)
export const createLead = (f: LeadFields) => http.post<Lead>('/api/leads', f)
export const updateLead = (id: number, f: LeadFields & { version: number }) => http.put<Lead>(`/api/leads/${id}`, f)
/** One step forward by hand (线索 → 洽谈 → 签约), dated. */
export const moveLead = (id: number, body: { version: number; to: LeadStage; on?: string; note?: string }) =>
  http.post<Lead>(`/api/leads/${id}/move`, body)
/** The signed lead becomes a register project (once). */
export const convertLead = (id: number, body: { version: number; code?: string; level?: string; on?: string }) =>
  http.post<Lead & { created_project: { id: number; code: string; name: string } }>(`/api/leads/${id}/convert`, body)
export const getCarrierMatches = (id: number) => http.get<{ lead_id: number; items: CarrierMatch[] }>(`/api/leads/${id}/carrier-matches`)
export const getLeadStats = (q: { year?: number; as_of?: string; by?: LeadBy } = {}) => http.get<LeadStats>('/api/leads/stats', { ...q })
export const exportLeads = (q: LeadQuery = {}) => requestFile('GET', '/api/leads/export', { query: { ...q } })
export const listCarriers = () => http.get<{ items: Carrier[] }>('/api/carriers')
export const createCarrier = (f: CarrierFields) => http.post<Carrier>('/api/carriers', f)
export const updateCarrier = (id: number, f: CarrierFields & { version: number }) => http.put<Carrier>(`/api/carriers/${id}`, f)
