import { computed, reactive, ref, shallowRef, watch } from 'vue'
import { useRoute, useRouter, type LocationQuery } from 'vue-router'
import { ElMessage, ElMessageBox } from 'element-plus'
import { useI18n } from 'vue-i18n'
import { deleteProject, listProjects, type ProjectQuery } from '@/api/projects'
import type { Project, StatsAsOf } from '@/api/types'
import { useErrorText } from './useErrorText'
import { useAuthStore } from '@/stores/auth'
import { exportProjects } from '@/api/transfer'
import { useExport } from './useExport'
import { getWarningColours } from '@/api/warnings'
import type { Colour } from '@/api/types'

export interface ProjectFilters {
  q: string
  levels: string[]
  region_id: number | null
  industry: string
  unit: string
  leader: string
  status: string
  owner: string
  nature: string
  demo: '' | 'true' | 'false'
  /** The warning colour (红黄绿灯) as the server gives it, as of the month of the figures. */
  colour: Colour | ''
  year: number | null
  month: number | null
}

export const SORTABLE: Record<string, string> = {
  code: 'code',
  name: 'name',
  level: 'level',
  industry: 'industry',
  region_name: 'region',
  total_investment_wan: 'total_investment',
  updated_at: 'updated_at',
  status: 'status',
  unit: 'unit',
  owner: 'owner',
  leader: 'leader',
}

export function emptyFilters(): ProjectFilters {
  return { q: '', levels: [], region_id: null, industry: '', unit: '', leader: '', status: '', owner: '', nature: '', demo: '', colour: '', year: null, month: null }
}

const str = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '')
const int = (v: unknown) => {
  const n = Number(str(v))
  return str(v) !== '' && Number.isInteger(n) ? n : null
}

/** Reads filters, sort and page from the address bar (so a dashboard click or a shared link opens the same list). */
export function filtersFromQuery(q: LocationQuery) {
  const f = emptyFilters()
  f.q = str(q.q)
  f.levels = str(q.levels) ? str(q.levels).split(',').filter(Boolean) : []
  f.region_id = int(q.region_id)
  f.industry = str(q.industry)
  f.unit = str(q.unit)
  f.leader = str(q.leader)
  f.status = str(q.status)
  f.owner = str(q.owner)
  f.nature = str(q.nature)
  f.demo = str(q.demo) === 'true' ? 'true' : str(q.demo) === 'false' ? 'false' : ''
  const colour = str(q.colour)
  f.colour = colour === 'red' || colour === 'yellow' || colour === 'green' ? colour : ''
  f.year = int(q.year)
  f.month = int(q.month)
  return {
    filters: f,
    sort: str(q.sort) || 'code',
    order: (str(q.order) === 'desc' ? 'desc' : 'asc') as 'asc' | 'desc',
    page: Math.max(1, int(q.page) ?? 1),
    pageSize: [20, 50, 100, 200].includes(int(q.page_size) ?? 0) ? (int(q.page_size) as number) : 20,
  }
}

export function queryFromState(f: ProjectFilters, sort: string, order: string, page: number, pageSize: number): Record<string, string> {
  const out: Record<string, string> = {}
  const put = (k: string, v: unknown) => {
    if (v !== null && v !== undefined && v !== '') out[k] = String(v)
  }
  put('q', f.q.trim())
  put('levels', f.levels.join(','))
  put('region_id', f.region_id)
  put('industry', f.industry)
  put('unit', f.unit)
  put('leader', f.leader)
  put('status', f.status)
  put('owner', f.owner.trim())
  put('nature', f.nature)
  put('demo', f.demo)
  put('colour', f.colour)
  put('year', f.year)
  put('month', f.month)
  if (sort !== 'code') put('sort', sort)
  if (order !== 'asc') put('order', order)
  if (page !== 1) put('page', page)
  if (pageSize !== 20) put('page_size', pageSize)
  return out
}

export function toApiQuery(f: ProjectFilters, sort: string, order: 'asc' | 'desc', page: number, pageSize: number): ProjectQuery {
  return {
    q: f.q.trim() || undefined,
    levels: f.levels.length ? f.levels : undefined,
    region_id: f.region_id,
    industry: f.industry || undefined,
    unit: f.unit || undefined,
    leader: f.leader || undefined,
    status: f.status || undefined,
    owner: f.owner.trim() || undefined,
    nature: f.nature || undefined,
    demo: f.demo === '' ? null : f.demo === 'true',
    colour: f.colour || undefined,
    // The colours are as of the month of the figures (that month's last day); none chosen: the server's default.
    as_of: f.colour && f.year && f.month ? `${f.year}-${String(f.month).padStart(2, '0')}` : undefined,
    year: f.year,
    month: f.month,
    with_stats: true,
    sort,
    order,
    page,
    page_size: pageSize,
  }
}

/** The as-of of a page's colours: the month its figures are as of (the server takes a month as its last day). */
export function coloursAsOf(s: StatsAsOf | null): string | undefined {
  return s ? `${s.year}-${String(s.month).padStart(2, '0')}` : undefined
}

/** A row's colour: ahead of the schedule green, behind red, no plan plain. */
export function rowClass(p: Project): string {
  const a = p.stats?.ahead_points
  if (a === null || a === undefined) return ''
  return a >= 0 ? 'kp-row-ahead' : 'kp-row-behind'
}

/** The project library list: filters in the address bar, server-side sort and paging. */
export function useProjectList() {
  const route = useRoute()
  const router = useRouter()
  const { t } = useI18n()
  const errorText = useErrorText()
  const init = filtersFromQuery(route.query)
  const filters = reactive<ProjectFilters>(init.filters)
  const sort = ref(init.sort)
  const order = ref<'asc' | 'desc'>(init.order)
  const page = ref(init.page)
  const pageSize = ref(init.pageSize)
  const items = shallowRef<Project[]>([])
  const total = ref(0)
  const loading = ref(false)
  const error = ref('')
  const statsAsOf = shallowRef<StatsAsOf | null>(null)
  /** Each row's warning colour (by project id), as of the month of the figures. */
  const colours = shallowRef<Record<string, Colour | null>>({})
  const auth = useAuthStore()
  const moreFilters = ref(!!(filters.unit || filters.leader || filters.owner || filters.nature || filters.year))
  let seq = 0

  async function load() {
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const res = await listProjects(toApiQuery(filters, sort.value, order.value, page.value, pageSize.value))
      if (mine !== seq) return
      items.value = res.items
      total.value = res.total
      statsAsOf.value = res.stats_as_of ?? null
      void loadColours(mine)
    } catch (e) {
      if (mine !== seq) return
      error.value = errorText(e)
      items.value = []
      total.value = 0
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  async function loadColours(mine: number) {
    if (!auth.can('warnings') || !items.value.length) {
      colours.value = {}
      return
    }
    try {
      const r = await getWarningColours(items.value.map((p) => p.id), coloursAsOf(statsAsOf.value))
      if (mine === seq) colours.value = r.colours
    } catch {
      if (mine === seq) colours.value = {} // the list stands without its dots
    }
  }

  function pushQuery() {
    return router.replace({ query: queryFromState(filters, sort.value, order.value, page.value, pageSize.value) })
  }

  function search() {
    page.value = 1
    void pushQuery()
  }
  function reset() {
    Object.assign(filters, emptyFilters())
    sort.value = 'code'
    order.value = 'asc'
    page.value = 1
    void pushQuery()
  }
  function onSort({ prop, order: o }: { prop: string; order: 'ascending' | 'descending' | null }) {
    if (!o || !SORTABLE[prop]) {
      sort.value = 'code'
      order.value = 'asc'
    } else {
      sort.value = SORTABLE[prop]
      order.value = o === 'descending' ? 'desc' : 'asc'
    }
    page.value = 1
    void pushQuery()
  }
  function onPage(p: number) {
    page.value = p
    void pushQuery()
  }
  function onPageSize(s: number) {
    pageSize.value = s
    page.value = 1
    void pushQuery()
  }
  const defaultSort = computed(() => {
    const prop = Object.keys(SORTABLE).find((k) => SORTABLE[k] === sort.value)
    return prop ? { prop, order: order.value === 'desc' ? ('descending' as const) : ('ascending' as const) } : undefined
  })

  // The address bar is the source of truth: any change of it (search, back button, dashboard link) reloads.
  watch(
    () => route.query,
    (q) => {
      if (route.name !== 'projects') return
      const s = filtersFromQuery(q)
      Object.assign(filters, s.filters)
      sort.value = s.sort
      order.value = s.order
      page.value = s.page
      pageSize.value = s.pageSize
      void load()
    },
  )

  async function remove(p: Project) {
    try {
      await ElMessageBox.confirm(t('projects.deleteConfirm', { name: p.name }), t('projects.deleteTitle'), {
        type: 'warning',
        confirmButtonText: t('common.delete'),
        cancelButtonText: t('common.cancel'),
        confirmButtonClass: 'el-button--danger',
      })
    } catch {
      return
    }
    try {
      await deleteProject(p.id, p.version)
      ElMessage.success(t('projects.deleted'))
      void load()
    } catch (e) {
      ElMessage.error(errorText(e))
    }
  }

  const { exporting, run: runExport } = useExport()
  /** The register as filtered now (every page), as the server's .xlsx in the template's columns plus figures. */
  function exportXlsx() {
    const q = toApiQuery(filters, sort.value, order.value, 1, pageSize.value)
    return runExport(() => exportProjects({ ...q, demo: q.demo === null || q.demo === undefined ? undefined : String(q.demo), with_stats: undefined, page: undefined, page_size: undefined }))
  }

  // Why the list is empty: filters that match nothing, or a scope (a department's unit, an owner) with no
  // project at all, which no filter can fix (a mistyped unit on the account is the usual cause).
  const emptyText = computed(() => {
    const f = filters
    const filtered = !!(f.q || f.levels.length || f.region_id !== null || f.industry || f.unit || f.leader || f.status || f.owner || f.nature || f.demo || f.year)
    const unit = auth.user?.unit ?? ''
    if (filtered) return { title: 'projects.empty', hint: 'projects.emptyHint', params: {} }
    if (auth.role === 'department') return { title: 'projects.emptyUnit', hint: 'projects.emptyScopeHint', params: { unit } }
    if (auth.role === 'owner') return { title: 'projects.emptyOwner', hint: 'projects.emptyScopeHint', params: { unit } }
    return { title: 'projects.emptyNone', hint: auth.can('import') ? 'projects.emptyNoneHint' : 'projects.emptyNoneReadHint', params: {} }
  })

  return { colours, filters, sort, order, page, pageSize, items, total, loading, error, moreFilters, defaultSort, statsAsOf, emptyText, exporting, exportXlsx, load, search, reset, onSort, onPage, onPageSize, remove }
}
