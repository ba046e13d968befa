// 挂图作战: node templates and a project's nodes.
import { http } from './http'
import type { ApplyTemplateResult, NodeTemplate, ProjectNode, ProjectNodeView } from './types'

/** The fields a node form sends (dates as YYYY-MM-DD, or null for none); `version` on update. */
export interface NodeInput {
  seq?: number
  name?: string
  planned?: string | null
  actual?: string | null
  unit?: string
  person?: string
  note?: string
  version?: number
}

export const listNodeTemplates = () => http.get<{ items: NodeTemplate[] }>('/api/node-templates')
export const createNodeTemplate = (t: { name: string; nodes: string[] }) => http.post<NodeTemplate>('/api/node-templates', t)
export const updateNodeTemplate = (id: number, t: { name: string; nodes: string[]; version: number }) =>
  http.put<NodeTemplate>(`/api/node-templates/${id}`, t)
export const deleteNodeTemplate = (id: number, version: number) => http.del<{ deleted: number }>(`/api/node-templates/${id}`, { version })
/** Creates the template's nodes on each project, planned dates spread between its planned start and end. */
export const applyNodeTemplate = (id: number, projectIds: number[]) =>
  http.post<ApplyTemplateResult>(`/api/node-templates/${id}/apply`, { project_ids: projectIds })

/** A project's nodes with their states as of `as_of` (default: today, Beijing time). */
export const listProjectNodes = (projectId: number | string, asOf?: string) =>
  http.get<{ as_of: string; items: ProjectNodeView[] }>(`/api/projects/${projectId}/nodes`, { as_of: asOf })
export const createProjectNode = (projectId: number | string, n: NodeInput) => http.post<ProjectNode>(`/api/projects/${projectId}/nodes`, n)
export const updateProjectNode = (projectId: number | string, nodeId: number, n: NodeInput & { version: number }) =>
  http.put<ProjectNode>(`/api/projects/${projectId}/nodes/${nodeId}`, n)
/** Marks a node done on `actual` (YYYY-MM-DD). */
export const completeProjectNode = (projectId: number | string, nodeId: number, body: { actual: string; note: string; version: number }) =>
  http.post<ProjectNode>(`/api/projects/${projectId}/nodes/${nodeId}/complete`, body)
/** Takes a done node back to not done (the bureau only). */
export const reopenProjectNode = (projectId: number | string, nodeId: number, body: { reason: string; version: number }) =>
  http.post<ProjectNode>(`/api/projects/${projectId}/nodes/${nodeId}/reopen`, body)
export const deleteProjectNode = (projectId: number | string, nodeId: number, version: number) =>
  http.del<{ deleted: number }>(`/api/projects/${projectId}/nodes/${nodeId}`, { version })
