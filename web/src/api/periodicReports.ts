import { http, requestFile, type DownloadedFile } from './http'

/** A block of a generated report: a drafted paragraph (its figures named), a table or a chart. */
export interface ReportBlock {
  type: 'paragraph' | 'table' | 'chart'
  id: string
  text?: string
  edited?: boolean
  figures?: { key: string; text: string }[]
  caption?: string
  unit?: string
  header?: string[]
  rows?: string[][]
  title?: string
  line_label?: string
  line_value?: number
  bars?: { label: string; value: number }[]
  /** 'bars' (against line_value) or 'curve' (series over labels, e.g. the cumulative rate by month). */
  shape?: 'bars' | 'curve'
  labels?: string[]
  series?: { name: string; values: number[] }[]
}

export interface ReportSection {
  id: string
  heading: string
  blocks: ReportBlock[]
}

/** The report model the server writes (GET /api/reports/monthly): the docx and PDF draw exactly this. */
export interface ReportModel {
  kind: ReportKind
  year: number
  month: number
  levels: string[]
  title: string
  issuer: string
  date: string
  /** A published report's number as written ("第3期"); absent on a draft. */
  issue?: string
  sections: ReportSection[]
}

export type ReportKind = 'monthly' | 'quarterly' | 'annual' | 'weekly'
export type ReportFormat = 'docx' | 'pdf' | 'xlsx'

export interface ReportQuestion {
  kind: ReportKind
  year: number
  month: number
  /** The weekly dispatch sheet's ISO week, "2024-W13". */
  week?: string
  levels: string[]
}

/** The period's parameters: ?month= for the monthly analysis, ?quarter= (the month's quarter) for the review, the year alone for the annual summary, ?week= for the weekly sheet. */
const period = (q: ReportQuestion) =>
  q.kind === 'weekly' ? { week: q.week ?? '' }
    : q.kind === 'annual' ? { year: q.year }
    : q.kind === 'quarterly' ? { year: q.year, quarter: Math.ceil(q.month / 3) } : { year: q.year, month: q.month }

export const getReport = (q: ReportQuestion) =>
  http.get<ReportModel>(`/api/reports/${q.kind}`, { ...period(q), levels: q.levels.join(','), format: 'json' })

/** The report as .docx or .pdf with the user's wording of paragraphs (the server refuses changed figures). */
export const renderReport = (q: ReportQuestion, format: ReportFormat, overrides: Record<string, string>): Promise<DownloadedFile> =>
  requestFile('POST', `/api/reports/${q.kind}/render`, {
    body: JSON.stringify({ ...period(q), levels: q.levels.join(','), format, overrides }),
    contentType: 'application/json',
  })

/** A publication (§4): the report frozen with its number 第N期 (per kind and year). */
export interface PublishedReport {
  id: number
  kind: ReportKind
  period: string
  year: number
  issue: number
  issue_label: string
  levels: string[]
  published_by: string
  published_at: string
}

export interface PublishedList {
  items: PublishedReport[]
  next_issue?: number
  next_issue_label?: string
}

/** A figure of a published report whose live value is now written differently. */
export interface FigureChange {
  paragraph: string
  key: string
  /** As a reader names it: "市重点 累计完成投资（亿元）". */
  name: string
  frozen: string
  live: string
}

/** Publishes the report with the user's wording (admin); 409 when the period is already published. */
export const publishReport = (q: ReportQuestion, overrides: Record<string, string>) =>
  http.post<PublishedReport>(`/api/reports/${q.kind}/publish`, { ...period(q), levels: q.levels.join(','), overrides })

/** Every publication, newest first; with kind and year also the number the next one would get. */
export const listPublished = (kind?: ReportKind, year?: number) =>
  http.get<PublishedList>('/api/reports/published', kind ? { kind, year } : {})

/** A published report's file, drawn from what was frozen at publication. */
export const downloadPublished = (id: number, format: ReportFormat) =>
  requestFile('GET', `/api/reports/published/${id}`, { query: { format } })

export const getPublishedChanges = (id: number) =>
  http.get<PublishedReport & { changes: FigureChange[] }>(`/api/reports/published/${id}/changes`)
