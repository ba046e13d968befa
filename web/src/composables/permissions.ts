import type { Role } from '@/api/types'

/** What a role can use in the UI. The server is the authority; this only decides what is shown. */
export type Permission =
  | 'dashboard'
  | 'projects'
  | 'projects.create'
  | 'projects.edit'
  | 'projects.delete'
  | 'plans.edit'
  | 'reports.fill'
  | 'reports.status'
  | 'stats'
  | 'settings'
  | 'audit'
  | 'import'
  | 'reports.export'

const ALL: Permission[] = [
  'dashboard', 'projects', 'projects.create', 'projects.edit', 'projects.delete', 'plans.edit',
  'reports.fill', 'reports.status', 'stats', 'settings', 'audit', 'import', 'reports.export',
]

// Mirrors the server's route roles: statistics for the bureau side (admin, department, leader, auditor);
// projects for those plus owners (each scoped to its own); writes of projects and plans for admin and
// department; monthly reports for admin and owners; the month's reports as .xlsx for admin, leader and auditor. Banks have no page yet (financing is to come).
export const ROLE_PERMISSIONS: Record<Role, Permission[]> = {
  admin: ALL,
  department: ['dashboard', 'projects', 'projects.edit', 'plans.edit', 'reports.status', 'stats'],
  owner: ['projects', 'reports.fill'],
  leader: ['dashboard', 'projects', 'reports.status', 'reports.export', 'stats'],
  bank: [],
  auditor: ['dashboard', 'projects', 'reports.status', 'reports.export', 'stats', 'audit'],
}

export function can(role: Role | null | undefined, perm: Permission): boolean {
  if (!role) return false
  return (ROLE_PERMISSIONS[role] ?? []).includes(perm)
}

/** The first page a role lands on after signing in. */
export function homeFor(role: Role | null | undefined): string {
  if (can(role, 'dashboard')) return '/dashboard'
  if (can(role, 'reports.fill')) return '/reports/fill'
  if (can(role, 'projects')) return '/projects'
  return '/welcome'
}
