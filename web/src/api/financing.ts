// 融资对接: financing demands, the bureau's review and pushes, the banks' answers, the funnel.
import { http, requestFile } from './http'

export const FINANCING_STAGES = ['registered', 'reviewed', 'pushed', 'matching', 'approving', 'credited', 'signed', 'disbursed', 'rejected'] as const
export type FinancingStage = (typeof FINANCING_STAGES)[number]
export const FINANCING_TYPES = ['中长期贷款', '流动资金贷款', '政策性开发性金融工具', '专项债', '产业基金', '其他'] as const
export const FINANCING_ACTIONS = ['review', 'reject', 'push', 'answer', 'credit', 'contract', 'loan'] as const
export type FinancingAction = (typeof FINANCING_ACTIONS)[number]
export const BANK_ANSWERS = ['interested', 'documents', 'ineligible', 'approving'] as const
export type BankAnswer = (typeof BANK_ANSWERS)[number]
export const FINANCING_BYS = ['bank', 'type', 'stage', 'level', 'region'] as const
export type FinancingBy = (typeof FINANCING_BYS)[number]

export interface Disbursement {
  date: string
  amount_wan: number
  amount_yuan: number
}

/** A demand as pushed to one bank, with that bank's answer (a bank user sees only its own). */
export interface BankPush {
  id: number
  bank: string
  pushed_on: string
  answer: BankAnswer | ''
  answer_note: string
  credit_wan: number | null
  credit_on: string | null
  contract_wan: number | null
  contract_on: string | null
  answered_by: string
  disbursements: Disbursement[]
}

export interface FinancingDemand {
  id: number
  project_id: number
  project_code: string
  project_name: string
  type: string
  amount_wan: number
  amount_yuan: number
  year_need_wan: number
  term_years: number
  purpose: string
  guarantee: string
  repayment: string
  capital_wan: number
  negative_list_ok: boolean
  contact: string
  stage: FinancingStage
  stage_label: string
  reject_reason: string
  registered_on: string
  pushes: BankPush[]
  version: number
  updated_at: string
  updated_by: string
  allowed: FinancingAction[]
}

export interface FinancingEvent {
  at: string
  on: string
  by: string
  action: string
  bank: string
  from_stage: string
  to_stage: string
  note: string
}

export interface FinancingDetail extends FinancingDemand {
  events: FinancingEvent[]
}

export interface FinancingQuery {
  project_id?: number | null
  stage?: FinancingStage | ''
  bank?: string
  type?: string
  q?: string
  offset?: number
  limit?: number
}

export interface NewFinancing {
  project_id: number
  type: string
  amount_wan: number | string
  year_need_wan: number | string
  term_years?: number
  purpose?: string
  guarantee?: string
  repayment?: string
  capital_wan?: number | string | null
  contact?: string
  negative_list_ok?: boolean
  registered_on?: string
}

/** What an action sends beside `version`: only the fields that action reads. */
export interface FinancingActionBody {
  note?: string
  banks?: string[]
  bank?: string
  answer?: BankAnswer
  amount_wan?: number | string
  date?: string
}

export interface FinancingFigures {
  key?: string
  projects: number
  demand_wan: number
  pushed_projects: number
  credit_projects: number
  credit_wan: number
  signed_projects: number
  signed_wan: number
  disbursed_projects: number
  disbursed_wan: number
  display: { demand_yi: string; credit_yi: string; signed_yi: string; disbursed_yi: string; demand_wan: string; credit_wan: string; signed_wan: string; disbursed_wan: string }
}

export interface FinancingStats {
  year: number
  month: number
  as_of: string
  levels: string[]
  by: FinancingBy | 'none'
  total: FinancingFigures
  groups: FinancingFigures[]
}

/** Newest first, in the caller's scope (a bank: what was pushed to it). */
export const listFinancing = (q: FinancingQuery = {}) => http.get<{ total: number; items: FinancingDemand[] }>('/api/financing', { ...q })
/** A demand with its steps, oldest first, and the moves the caller may make now. */
export const getFinancing = (id: number | string) => http.get<FinancingDetail>(`/api/financing/${id}`)
export const createFinancing = (d: NewFinancing) => http.post<FinancingDemand>('/api/financing', d)
/** Moves a demand (review, push, answer, credit …); answers the demand as it now stands. */
export const actOnFinancing = (id: number, action: FinancingAction, body: FinancingActionBody & { version: number }) =>
  http.post<FinancingDemand>(`/api/financing/${id}/actions/${action}`, body)
/** The funnel as of a month's end, in total and by a grouping. */
export const getFinancingStats = (q: { year?: number; month?: number; by?: FinancingBy } = {}) =>
  http.get<FinancingStats>('/api/financing/stats', { ...q })
/** The list under the same filters, as .xlsx. */
export const exportFinancing = (q: FinancingQuery = {}) => requestFile('GET', '/api/export/financing', { query: { ...q, offset: undefined, limit: undefined } })
