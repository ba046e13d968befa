import { http } from './http'
import type { Colour, StatsResult, StatsRow } from './types'

/** One chaired (包抓) project on the leaders' page: every figure as the server computed it. */
export interface LeaderProject {
  id: number
  code: string
  name: string
  level: string
  unit: string
  owner: string
  leader: string
  /** null: no plan in the year (not coloured). */
  colour: Colour | null
  /** Completion and points ahead/behind 时序进度 (null: no plan in the year). */
  figures: StatsRow | null
  warnings: { rule: string; rule_label: string; colour: Colour; detail: string }[]
  overdue_nodes: { name: string; planned: string | null; days: number; colour: Colour }[]
  next_node: { name: string; planned: string } | null
  problems: { open: number; overdue: number; escalated: number; answered: number }
  financing: {
    demands: number
    stage: string | null
    stage_label: string | null
    demand_wan: number
    credit_wan: number
    disbursed_wan: number
    display: { demand_wan: string; credit_wan: string; disbursed_wan: string }
  } | null
  photos: { id: number; caption: string; taken_at: string | null; thumb: string; url: string }[]
  open_instructions: { id: number; text: string; given_by: string; given_by_name: string; given_at: string; version: number }[]
}

export interface LeaderOverview {
  year: number
  month: number
  as_of: string
  /** The leader whose projects these are (null: the bureau has not picked one). */
  leader: string | null
  names: string[]
  /** The county's figures: the very answer of GET /api/stats for the same question. */
  headline: StatsResult
  colours: Record<Colour, number>
  /** Red → yellow → green → uncoloured; the furthest behind first within a colour. */
  projects: LeaderProject[]
  /** The bureau only: every 包抓领导 to pick from. */
  leaders?: string[]
}

export interface LeaderQuery {
  year?: number | null
  month?: number | null
  levels?: string[]
  leader?: string
}

export const getLeaderOverview = (q: LeaderQuery) => http.get<LeaderOverview>('/api/leader/overview', { ...q })
