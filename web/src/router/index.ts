import { createRouter, createWebHistory, type RouteRecordRaw, type Router } from 'vue-router'
import type { Permission } from '@/composables/permissions'
import { homeFor } from '@/composables/permissions'
import { useAuthStore } from '@/stores/auth'

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean
    perm?: Permission
    title?: string
  }
}

export const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('@/views/LoginView.vue'), meta: { public: true, title: 'login.title' } },
  {
    path: '/',
    component: () => import('@/components/AppLayout.vue'),
    children: [
      { path: '', name: 'home', redirect: () => homeFor(useAuthStore().role) },
      { path: 'dashboard', name: 'dashboard', component: () => import('@/views/DashboardView.vue'), meta: { perm: 'dashboard', title: 'nav.dashboard' } },
      { path: 'projects', name: 'projects', component: () => import('@/views/ProjectListView.vue'), meta: { perm: 'projects', title: 'nav.projects' } },
      { path: 'projects/:id(\\d+)', name: 'project', component: () => import('@/views/ProjectDetailView.vue'), meta: { perm: 'projects', title: 'nav.projects' } },
      { path: 'reports/fill', name: 'report-fill', component: () => import('@/views/ReportFillView.vue'), meta: { perm: 'reports.fill', title: 'nav.reportFill' } },
      { path: 'reports/status', name: 'report-status', component: () => import('@/views/ReportStatusView.vue'), meta: { perm: 'reports.status', title: 'nav.reportStatus' } },
      { path: 'stats', name: 'stats', component: () => import('@/views/StatisticsView.vue'), meta: { perm: 'stats', title: 'nav.stats' } },
      { path: 'import', name: 'import', component: () => import('@/views/ImportView.vue'), meta: { perm: 'import', title: 'nav.import' } },
      { path: 'settings', name: 'settings', component: () => import('@/views/SettingsView.vue'), meta: { perm: 'settings', title: 'nav.settings' } },
      { path: 'audit', name: 'audit', component: () => import('@/views/AuditView.vue'), meta: { perm: 'audit', title: 'nav.audit' } },
      { path: 'welcome', name: 'welcome', component: () => import('@/views/WelcomeView.vue'), meta: { title: 'nav.welcome' } },
      { path: 'forbidden', name: 'forbidden', component: () => import('@/views/ForbiddenView.vue'), meta: { public: false } },
      { path: ':pathMatch(.*)*', name: 'not-found', component: () => import('@/views/NotFoundView.vue') },
    ],
  },
]

/** Signs the user in before any private page, and sends pages the role cannot use to "no permission". */
export function installGuards(router: Router) {
  router.beforeEach(async (to) => {
    const auth = useAuthStore()
    if (!auth.restored) await auth.restore()
    if (to.meta.public) {
      if (to.name === 'login' && auth.signedIn && !auth.mustChangePassword && auth.authAvailable) return homeFor(auth.role)
      return true
    }
    if (!auth.signedIn) return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
    if (to.meta.perm && !auth.can(to.meta.perm)) return { name: 'forbidden', query: { from: to.fullPath } }
    return true
  })
}

export function makeRouter() {
  const router = createRouter({ history: createWebHistory('/'), routes })
  installGuards(router)
  return router
}
