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
  | 'financing'
  | 'warnings'
  | 'nodes.edit'
  | 'nodes.delete'
  | 'nodes.reopen'
  | 'templates'
  | 'wallchart'
  | 'problems'
  | 'problems.create'
  | 'problems.stats'
  | 'visits'
  | 'visits.edit'
  | 'assessment'
  | 'leader'
  | 'leads'
  | 'carriers.edit'
  | 'reports.generate'
  | 'tours'
  | 'tours.results'
  | 'published.changes'

const ALL: Permission[] = [
  'dashboard', 'projects', 'projects.create', 'projects.edit', 'projects.delete', 'plans.edit',
  'reports.fill', 'reports.status', 'stats', 'settings', 'audit', 'import', 'reports.export',
  'warnings', 'nodes.edit', 'nodes.delete', 'nodes.reopen', 'templates', 'wallchart',
  'problems', 'problems.create', 'problems.stats', 'visits', 'visits.edit', 'financing', 'assessment', 'leader', 'leads', 'carriers.edit', 'reports.generate', 'tours', 'tours.results', 'published.changes',
]

// Mirrors the server's route roles: statistics for the bureau side (admin, department, leader, auditor);
// projects for those plus owners (each scoped to its own); writes of projects and plans for admin and
// department; monthly reports for admin and owners; the month's reports as .xlsx for admin, leader and auditor.
// Warnings and nodes are read by all but banks; nodes are edited by admin, departments and owners (each in its
// scope), deleted by admin and departments, reopened and templated by the bureau (admin) only.
// The wall chart (作战图) is read by the same roles as the warnings.
// Problems (问题清单) are read by all but banks, each in its scope, and raised by admin, departments, owners and
// leaders; their figures are the bureau side's. Supervision visits (现场督导) are recorded by the bureau (admin),
// read by leaders and auditors, and by departments and owners for the visits that stopped at their projects.
// Generated reports (报告, GET /api/reports/…) are the bureau side's: admin, department (its unit), leader, auditor.
// Financing (融资对接) is read by every role, each in its scope: a bank the demands pushed to it (its home),
// departments and owners their projects', the bureau, leaders and auditors all; the moves are checked by the server.
// The 考核 scores rank townships and units against each other: the bureau's, its leaders' and auditors'.
// The leaders' page (领导视图) is a leader's home (its chaired projects) and the bureau's view of any leader's.
// 拉练 (tours) are planned by the bureau, scored by the raters it lists (bureau, leaders, departments: a department sees
// only the tours it rates) and ranked for the bureau, leaders and auditors.
// What changed since a publication (报告, 红黑榜) is drawn against county-wide live figures: the bureau, leaders and
// auditors (a department's live figures are its unit's).
// 产业招商 (leads) is the bureau's, leaders' (read) and 招商 staff's (their own leads, their home); carriers are written by the bureau.
export const ROLE_PERMISSIONS: Record<Role, Permission[]> = {
  admin: ALL,
  department: ['dashboard', 'projects', 'projects.edit', 'plans.edit', 'reports.status', 'stats', 'warnings', 'nodes.edit', 'nodes.delete', 'wallchart', 'problems', 'problems.create', 'visits', 'financing', 'reports.generate', 'tours'],
  owner: ['projects', 'reports.fill', 'warnings', 'nodes.edit', 'wallchart', 'problems', 'problems.create', 'visits', 'financing'],
  leader: ['leader', 'dashboard', 'projects', 'reports.status', 'reports.export', 'stats', 'warnings', 'wallchart', 'problems', 'problems.create', 'problems.stats', 'visits', 'financing', 'assessment', 'leads', 'reports.generate', 'tours', 'tours.results', 'published.changes'],
  bank: ['financing'],
  auditor: ['dashboard', 'projects', 'reports.status', 'reports.export', 'stats', 'audit', 'warnings', 'wallchart', 'problems', 'problems.stats', 'visits', 'financing', 'assessment', 'reports.generate', 'tours', 'tours.results', 'published.changes'],
  investment: ['leads'],
}

export function can(role: Role | null | undefined, perm: Permission): boolean {
  if (!role) return false
  return (ROLE_PERMISSIONS[role] ?? []).includes(perm)
}

// Each role's own home: the bureau's side the dashboard, a department its projects (its problems are to
// come), an owner the monthly report form, a bank its pushed demands, an auditor the audit log.
const HOMES: Record<Role, string> = {
  admin: '/dashboard',
  leader: '/leader',
  department: '/projects',
  owner: '/reports/fill',
  bank: '/financing',
  auditor: '/audit',
  investment: '/leads',
}

/** The first page a role lands on after signing in. */
export function homeFor(role: Role | null | undefined): string {
  return (role && HOMES[role]) || '/welcome'
}
