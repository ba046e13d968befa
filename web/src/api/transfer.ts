// Excel in and out: imports (dry run, commit, error workbook), import templates and .xlsx exports.
import { requestFile, upload, type Query } from './http'
import type { GroupBy, ImportResult } from './types'

export type ImportKind = 'projects' | 'reports' | 'nodes' | 'problems' | 'financing'

export interface ImportOptions {
  sheet?: string
  onProgress?: (sent: number, total: number) => void
  signal?: AbortSignal
}

/** Reads the file on the server and answers the preview with every bad cell; writes nothing. */
export const checkImport = (kind: ImportKind, file: Blob, opts: ImportOptions = {}) =>
  upload<ImportResult>(`/api/import/${kind}`, file, { query: { dry_run: 1, sheet: opts.sheet }, onProgress: opts.onProgress, signal: opts.signal })

/** Imports the file: all rows or none (a 400 with `rows` lists the bad cells). */
export const commitImport = (kind: ImportKind, file: Blob, opts: ImportOptions = {}) =>
  upload<ImportResult>(`/api/import/${kind}`, file, { query: { sheet: opts.sheet }, onProgress: opts.onProgress, signal: opts.signal })

/** The file back as an .xlsx with its bad cells in red and a reason column. */
export const downloadImportErrors = (kind: ImportKind, file: Blob, opts: { sheet?: string } = {}) =>
  requestFile('POST', `/api/import/${kind}/errors`, { body: file, query: { sheet: opts.sheet } })

/** 项目导入模板.xlsx / 月报导入模板.xlsx / the nodes' and the problems' (问题台账) templates: a note per column and drop-downs. */
export const downloadTemplate = (kind: ImportKind) => requestFile('GET', `/api/templates/${kind}`)

/** The project register as filtered on the list, with its figures for year/month. */
export const exportProjects = (query: Query) => requestFile('GET', '/api/export/projects', { query })

export interface StatsExportQuery {
  year?: number | null
  month?: number | null
  levels?: string[]
  by?: GroupBy
  schedule?: string
}
export const exportStats = (q: StatsExportQuery) => requestFile('GET', '/api/export/stats', { query: { ...q } })

/** A month's reports (`month` as YYYY-MM). */
export const exportReports = (month: string) => requestFile('GET', '/api/export/reports', { query: { month } })
/** Who has and has not reported a month (填报率), as .xlsx. */
export const exportReportStatus = (month: string) => requestFile('GET', '/api/export/status', { query: { month } })
/** The users list of the settings page, as .xlsx (admin only; never a password hash). */
export const exportUsers = () => requestFile('GET', '/api/export/users')

/** The tables of a project's page. */
export type ProjectTable = 'plans' | 'plan_revisions' | 'reports' | 'history'
/** One table of a project's page as .xlsx; `year` narrows the reports to one year. The server checks the project is in the user's scope. */
export const exportProjectTable = (id: string | number, table: ProjectTable, year?: number | null) =>
  requestFile('GET', `/api/export/projects/${encodeURIComponent(String(id))}`, { query: { table, year: table === 'reports' ? (year ?? undefined) : undefined } })

/** The audit log under the given filters, as .xlsx. */
export const exportAudit = (query: { user?: string; action?: string; entity?: string; from?: string; to?: string }) =>
  requestFile('GET', '/api/export/audit', { query })
