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
  sections: ReportSection[]
}

export type ReportKind = 'monthly' | 'quarterly' | 'annual'

export interface ReportQuestion {
  kind: ReportKind
  year: number
  month: number
  levels: string[]
}

/** The period's parameters: ?month= for the monthly analysis, ?quarter= (the month's quarter) for the review, the year alone for the annual summary. */
const period = (q: ReportQuestion) =>
  q.kind === 'annual' ? { year: q.year }
    : q.kind === 'quarterly' ? { year: q.year, quarter: Math.ceil(q.month / 3) } : { year: q.year, month: q.month }

export const getReport = (q: ReportQuestion) =>
  http.get<ReportModel>(`/api/reports/${q.kind}`, { ...period(q), levels: q.levels.join(','), format: 'json' })

/** The report as .docx or .pdf with the user's wording of paragraphs (the server refuses changed figures). */
export const renderReport = (q: ReportQuestion, format: 'docx' | 'pdf', overrides: Record<string, string>): Promise<DownloadedFile> =>
  requestFile('POST', `/api/reports/${q.kind}/render`, {
    body: JSON.stringify({ ...period(q), levels: q.levels.join(','), format, overrides }),
    contentType: 'application/json',
  })
