import { http } from './http'
import type { Colour, HistoryEntry, MonthlyReport, Page, Plan, PlanRevision, Project, ProjectDetail, ReportRevision } from './types'

export interface ProjectQuery {
  q?: string
  levels?: string[]
  region_id?: number | null
  industry?: string
  unit?: string
  leader?: string
  status?: string
  owner?: string
  nature?: string
  demo?: boolean | null
  /** Only projects of this warning colour (the server colours them), as of `as_of` (YYYY-MM: its last day). */
  colour?: Colour
  as_of?: string
  year?: number | null
  month?: number | null
  with_stats?: boolean
  sort?: string
  order?: 'asc' | 'desc'
  page?: number
  page_size?: number
}

/** The fields a project form sends; `version` on update. Amounts go as the canonical text of what was typed
 * ("1234.5"): the server reads them with the importer's parser (ParseWan), exactly. */
export type ProjectInput = Partial<Omit<Project, 'id' | 'created_at' | 'updated_at' | 'region_name' | 'stats' | 'total_investment_wan'>> & {
  total_investment_wan?: string | null
  plan_year?: number | null
  plan_wan?: string | null
}

export const listProjects = (query: ProjectQuery) =>
  http.get<Page<Project>>('/api/projects', {
    ...query,
    levels: query.levels,
    demo: query.demo === null || query.demo === undefined ? undefined : String(query.demo),
    with_stats: query.with_stats ? 1 : undefined,
  })
export const getProject = (id: number | string) => http.get<ProjectDetail>(`/api/projects/${id}`, undefined, { quiet: true })
export const createProject = (p: ProjectInput) => http.post<Project>('/api/projects', p)
export const updateProject = (id: number, p: ProjectInput) => http.put<Project>(`/api/projects/${id}`, p)
export const deleteProject = (id: number, version: number) => http.del<unknown>(`/api/projects/${id}`, { version })
export const getProjectHistory = (id: number | string) => http.get<{ items: HistoryEntry[] }>(`/api/projects/${id}/history`)
export const listPlans = (id: number | string) => http.get<{ items: Plan[]; revisions: PlanRevision[] }>(`/api/projects/${id}/plans`)
export const putPlan = (id: number | string, year: number, plan_wan: string) =>
  http.put<Plan>(`/api/projects/${id}/plans/${year}`, { plan_wan })
export const listProjectReports = (id: number | string) =>
  http.get<{ items: MonthlyReport[]; revisions: ReportRevision[] }>(`/api/projects/${id}/reports`)
export const putProjectReport = (id: number | string, month: string, r: { completed_wan: string; progress: string; problems: string }) =>
  http.put<MonthlyReport>(`/api/projects/${id}/reports/${month}`, r)
