import { createRouter, createWebHistory, type RouteRecordRaw, type Router } from 'vue-router'
import type { Permission } from '@/composables/permissions'
import { can, homeFor } from '@/composables/permissions'
import type { Role } from '@/api/types'
import { useAuthStore } from '@/stores/auth'
import LoginView from '@/views/LoginView.vue'

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean
    perm?: Permission
    title?: string
  }
}

export const routes: RouteRecordRaw[] = [
  // The sign-in page is in the first bundle: it loads alongside the app, not after it (the front door on a slow line).
  { path: '/login', name: 'login', component: LoginView, meta: { public: true, title: 'login.title' } },
  {
    path: '/',
    component: () => import('@/components/AppLayout.vue'),
    children: [
      // The plain address: the guard sends it to the role's home, or to the sign-in page with no redirect.
      { path: '', name: 'home', component: { render: () => null } },
      { path: 'leader', name: 'leader', component: () => import('@/views/LeaderView.vue'), meta: { perm: 'leader', title: 'nav.leader' } },
      { path: 'dashboard', name: 'dashboard', component: () => import('@/views/DashboardView.vue'), meta: { perm: 'dashboard', title: 'nav.dashboard' } },
      { path: 'projects', name: 'projects', component: () => import('@/views/ProjectListView.vue'), meta: { perm: 'projects', title: 'nav.projects' } },
      { path: 'projects/:id(\\d+)', name: 'project', component: () => import('@/views/ProjectDetailView.vue'), meta: { perm: 'projects', title: 'nav.projects' } },
      { path: 'wallchart', name: 'wallchart', component: () => import('@/views/WallChartView.vue'), meta: { perm: 'wallchart', title: 'wallchart.nav' } },
      { path: 'warnings', name: 'warnings', component: () => import('@/views/WarningsView.vue'), meta: { perm: 'warnings', title: 'nav.warnings' } },
      { path: 'problems', name: 'problems', component: () => import('@/views/ProblemsView.vue'), meta: { perm: 'problems', title: 'nav.problems' } },
      { path: 'visits', name: 'visits', component: () => import('@/views/VisitsView.vue'), meta: { perm: 'visits', title: 'nav.visits' } },
      { path: 'tours', name: 'tours', component: () => import('@/views/ToursView.vue'), meta: { perm: 'tours', title: 'nav.tours' } },
      { path: 'tours/:id(\\d+)/score', name: 'tour-score', component: () => import('@/views/TourScoreView.vue'), meta: { perm: 'tours', title: 'tours.score' } },
      { path: 'reports/fill', name: 'report-fill', component: () => import('@/views/ReportFillView.vue'), meta: { perm: 'reports.fill', title: 'nav.reportFill' } },
      { path: 'reports/status', name: 'report-status', component: () => import('@/views/ReportStatusView.vue'), meta: { perm: 'reports.status', title: 'nav.reportStatus' } },
      { path: 'reports', name: 'reports', component: () => import('@/views/PeriodicReportView.vue'), meta: { perm: 'reports.generate', title: 'periodic.title' } },
      { path: 'stats', name: 'stats', component: () => import('@/views/StatisticsView.vue'), meta: { perm: 'stats', title: 'nav.stats' } },
      { path: 'import', name: 'import', component: () => import('@/views/ImportView.vue'), meta: { perm: 'import', title: 'nav.import' } },
      { path: 'settings', name: 'settings', component: () => import('@/views/SettingsView.vue'), meta: { perm: 'settings', title: 'nav.settings' } },
      { path: 'financing', name: 'financing', component: () => import('@/views/FinancingView.vue'), meta: { perm: 'financing', title: 'nav.financing' } },
      { path: 'leads', name: 'leads', component: () => import('@/views/LeadsView.vue'), meta: { perm: 'leads', title: 'nav.leads' } },
      { path: 'audit', name: 'audit', component: () => import('@/views/AuditView.vue'), meta: { perm: 'audit', title: 'nav.audit' } },
      { path: 'welcome', name: 'welcome', component: () => import('@/views/WelcomeView.vue'), meta: { title: 'nav.welcome' } },
      { path: 'forbidden', name: 'forbidden', component: () => import('@/views/ForbiddenView.vue'), meta: { public: false } },
      { path: ':pathMatch(.*)*', name: 'not-found', component: () => import('@/views/NotFoundView.vue') },
    ],
  },
]

// Pages that only stand in for "your home": never carried through sign-in as the place to return to.
const LANDINGS = new Set(['home', 'welcome', 'login', 'forbidden', 'not-found'])
const isLanding = (name: unknown) => typeof name === 'string' && LANDINGS.has(name)

/** Where to go after signing in: the page asked for when the role may use it, else the role's home. */
export function afterSignIn(router: Router, redirect: unknown, role: Role | null): string {
  if (typeof redirect !== 'string' || !redirect.startsWith('/') || redirect.startsWith('//')) return homeFor(role)
  const target = router.resolve(redirect)
  if (isLanding(target.name)) return homeFor(role)
  const perm = target.meta.perm
  if (perm && !can(role, perm)) return homeFor(role)
  return target.fullPath
}

/** Signs the user in before any private page, and sends pages the role cannot use to "no permission". */
export function installGuards(router: Router) {
  const signedInHome = (auth: ReturnType<typeof useAuthStore>) =>
    auth.signedIn && !auth.mustChangePassword && auth.authAvailable ? homeFor(auth.role) : null
  router.beforeEach(async (to) => {
    const auth = useAuthStore()
    if (to.name === 'login' && !auth.restored) {
      // The sign-in page shows at once (a slow line waits for no round trip first); someone already
      // signed in is sent home when the session answers.
      void auth.restore().then(() => {
        const home = signedInHome(auth)
        if (home && router.currentRoute.value.name === 'login') void router.replace(home)
      })
      return true
    }
    if (!auth.restored) await auth.restore()
    if (to.meta.public) {
      const home = to.name === 'login' ? signedInHome(auth) : null
      return home ?? true
    }
    if (!auth.signedIn) return { name: 'login', query: isLanding(to.name) ? {} : { redirect: to.fullPath } }
    if (to.name === 'home') return homeFor(auth.role)
    if (to.meta.perm && !auth.can(to.meta.perm)) return { name: 'forbidden', query: { from: to.fullPath } }
    return true
  })
}

export function makeRouter() {
  const router = createRouter({ history: createWebHistory('/'), routes })
  installGuards(router)
  return router
}
