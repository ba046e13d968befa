import { computed } from 'vue'
import { useAuthStore } from '@/stores/auth'
import type { Permission } from './permissions'

export interface NavItem {
  path: string
  label: string
  perm: Permission
  icon: string
}

const ITEMS: NavItem[] = [
  { path: '/leader', label: 'nav.leader', perm: 'leader', icon: 'Flag' },
  { path: '/dashboard', label: 'nav.dashboard', perm: 'dashboard', icon: 'DataBoard' },
  { path: '/projects', label: 'nav.projects', perm: 'projects', icon: 'Files' },
  { path: '/wallchart', label: 'wallchart.nav', perm: 'wallchart', icon: 'Calendar' },
  { path: '/warnings', label: 'nav.warnings', perm: 'warnings', icon: 'Warning' },
  { path: '/problems', label: 'nav.problems', perm: 'problems', icon: 'List' },
  { path: '/visits', label: 'nav.visits', perm: 'visits', icon: 'Location' },
  { path: '/tours', label: 'nav.tours', perm: 'tours', icon: 'Guide' },
  { path: '/financing', label: 'nav.financing', perm: 'financing', icon: 'Money' },
  { path: '/leads', label: 'nav.leads', perm: 'leads', icon: 'OfficeBuilding' },
  { path: '/reports/fill', label: 'nav.reportFill', perm: 'reports.fill', icon: 'EditPen' },
  { path: '/reports/status', label: 'nav.reportStatus', perm: 'reports.status', icon: 'Checked' },
  { path: '/stats', label: 'nav.stats', perm: 'stats', icon: 'Histogram' },
  { path: '/reports', label: 'periodic.title', perm: 'reports.generate', icon: 'Document' },
  { path: '/import', label: 'nav.import', perm: 'import', icon: 'Upload' },
  { path: '/settings', label: 'nav.settings', perm: 'settings', icon: 'Setting' },
  { path: '/audit', label: 'nav.audit', perm: 'audit', icon: 'Document' },
]

/** The menu: only what the signed-in role can use. */
export function useNav() {
  const auth = useAuthStore()
  const items = computed(() => ITEMS.filter((i) => auth.can(i.perm)))
  return { items }
}
