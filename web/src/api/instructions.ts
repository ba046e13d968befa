import { http } from './http'

/** A leader's instruction (领导批示) on a project and its answer (落实情况). */
export interface Instruction {
  id: number
  project_id: number
  project_code: string
  project_name: string
  text: string
  given_by: string
  given_by_name: string
  given_at: string
  answer: string
  answered_by: string
  /** The answerer's display name (answered_by is the login). */
  answered_by_name: string
  answered_at: string | null
  open: boolean
  version: number
}

export interface ProjectInstructions { items: Instruction[]; can_give: boolean; can_answer: boolean }

export const listProjectInstructions = (projectId: number) => http.get<ProjectInstructions>(`/api/projects/${projectId}/instructions`)
export const giveInstruction = (projectId: number, text: string) => http.post<Instruction>(`/api/projects/${projectId}/instructions`, { text })
export const answerInstruction = (id: number, version: number, answer: string) =>
  http.post<Instruction>(`/api/instructions/${id}/answer`, { version, answer })
export const listOpenInstructions = () => http.get<{ items: Instruction[] }>('/api/instructions')
