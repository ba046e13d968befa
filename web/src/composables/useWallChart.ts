import { computed, onBeforeUnmount, reactive, ref, shallowRef } from 'vue'
import { useRoute, useRouter, type LocationQuery } from 'vue-router'
import { exportWallChart, getWallChart, type WallChartQuery } from '@/api/wallchart'
import { getStats } from '@/api/stats'
import type { Colour, NodeState, StatsDisplay, WallChartNode, WallChartProject, WallChartResult } from '@/api/types'
import { useErrorText } from './useErrorText'
import { useExport } from './useExport'

/** The wall chart's filters, as the address bar holds them. */
export interface WallChartFilters {
  as_of: string
  levels: string[]
  region_id: number | null
  colour: Colour | ''
  leader: string
  /** 示范项目 only ('true') or the others ('false'); the server filters. */
  demo: '' | 'true' | 'false'
  /** The server has no unit filter: a unit narrows the rows here. */
  unit: string
}

export function emptyWallChartFilters(): WallChartFilters {
  return { as_of: '', levels: [], region_id: null, colour: '', leader: '', demo: '', unit: '' }
}

const str = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '')

export function wallChartFiltersFromQuery(q: LocationQuery): WallChartFilters {
  const f = emptyWallChartFilters()
  const asOf = str(q.as_of)
  f.as_of = /^\d{4}-\d{2}(-\d{2})?$/.test(asOf) ? asOf : ''
  f.levels = str(q.levels).split(',').filter(Boolean)
  const region = Number(str(q.region_id))
  f.region_id = Number.isInteger(region) && region > 0 ? region : null
  const colour = str(q.colour)
  f.colour = colour === 'red' || colour === 'yellow' || colour === 'green' ? colour : ''
  f.leader = str(q.leader)
  f.demo = str(q.demo) === 'true' ? 'true' : str(q.demo) === 'false' ? 'false' : ''
  f.unit = str(q.unit)
  return f
}

export function wallChartQueryFromFilters(f: WallChartFilters): Record<string, string> {
  const out: Record<string, string> = {}
  if (f.as_of) out.as_of = f.as_of
  if (f.levels.length) out.levels = f.levels.join(',')
  if (f.region_id !== null) out.region_id = String(f.region_id)
  if (f.colour) out.colour = f.colour
  if (f.leader) out.leader = f.leader
  if (f.demo) out.demo = f.demo
  if (f.unit) out.unit = f.unit
  return out
}

export function toWallChartApiQuery(f: WallChartFilters): WallChartQuery {
  return {
    as_of: f.as_of || undefined,
    levels: f.levels.length ? f.levels : undefined,
    region_id: f.region_id,
    colour: f.colour || undefined,
    leader: f.leader || undefined,
    demo: f.demo || undefined,
  }
}

// ---- the time axis: the as-of year, by month ----

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
const daysIn = (y: number) => (isLeap(y) ? 366 : 365)

/** The 0-based day of the year of a YYYY-MM-DD date (UTC arithmetic: no time zone shifts). */
function dayOfYear(y: number, m: number, d: number): number {
  return (Date.UTC(y, m - 1, d) - Date.UTC(y, 0, 1)) / 86_400_000
}

/** Where a date sits on the year's axis, in % of its width (the middle of its day); null when not a date. */
export function axisPercent(date: string | null | undefined, year: number): number | null {
  const m = date ? /^(\d{4})-(\d{2})-(\d{2})/.exec(date) : null
  if (!m) return null
  const day = (Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - Date.UTC(year, 0, 1)) / 86_400_000
  return ((day + 0.5) / daysIn(year)) * 100
}

/** The year of the chart: the as-of date's. */
export function chartYear(asOf: string | null | undefined): number {
  const y = Number((asOf ?? '').slice(0, 4))
  return Number.isInteger(y) && y > 1900 ? y : new Date().getFullYear()
}

/** The twelve month columns: number, left edge and width in %. */
export function monthColumns(year: number): { month: number; left: number; width: number }[] {
  const total = daysIn(year)
  return Array.from({ length: 12 }, (_, i) => {
    const start = dayOfYear(year, i + 1, 1)
    const end = i === 11 ? total : dayOfYear(year, i + 2, 1)
    return { month: i + 1, left: (start / total) * 100, width: ((end - start) / total) * 100 }
  })
}

export type MarkerKind = 'planned' | 'actual'

/** One marker of a row: a node's planned date (hollow) or actual date (filled), coloured by its state. */
export interface NodeMarker {
  key: string
  node: WallChartNode
  kind: MarkerKind
  /** % of the axis */
  left: number
  state: NodeState
}

/** A row's markers inside the year, and how many nodes fall wholly before or after it (shown as ◀ n, n ▶). */
export interface RowMarkers {
  markers: NodeMarker[]
  before: WallChartNode[]
  after: WallChartNode[]
}

/**
 * The markers of a project's nodes on the year's axis; a planned date equal to the actual one shows once.
 * A node with no date inside the year is counted at the edge it lies beyond (its latest date decides).
 */
export function nodeMarkers(p: WallChartProject, year: number): RowMarkers {
  const out: RowMarkers = { markers: [], before: [], after: [] }
  for (const n of p.nodes) {
    const dates: [MarkerKind, string | null][] = [['actual', n.actual]]
    if (n.planned !== n.actual || !n.actual) dates.unshift(['planned', n.planned])
    let inside = false
    let latest: number | null = null
    for (const [kind, date] of dates) {
      const pct = axisPercent(date, year)
      if (pct === null) continue
      latest = latest === null ? pct : Math.max(latest, pct)
      if (pct < 0 || pct > 100) continue
      inside = true
      out.markers.push({ key: `${n.id}-${kind}`, node: n, kind, left: pct, state: n.state })
    }
    if (!inside && latest !== null) (latest < 0 ? out.before : out.after).push(n)
  }
  return out
}

/** The rows shown: the server's, narrowed to one unit when picked. */
export function shownProjects(r: WallChartResult | null, unit: string): WallChartProject[] {
  if (!r) return []
  return unit ? r.projects.filter((p) => p.unit === unit) : r.projects
}

/** The distinct non-empty values of a field, sorted as Chinese. */
export function distinct(projects: WallChartProject[], field: 'unit' | 'leader' | 'region'): string[] {
  return [...new Set(projects.map((p) => p[field]).filter(Boolean))].sort((a, b) => a.localeCompare(b, 'zh-CN'))
}

// ---- the window of rows drawn ----

export interface RowWindow {
  start: number
  end: number
  /** px above the first row drawn */
  offset: number
  /** px of all rows */
  height: number
}

/** The rows to draw for a scroll position: the visible ones plus `overscan` either side. */
export function rowWindow(scrollTop: number, viewport: number, rowHeight: number, total: number, overscan = 6): RowWindow {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight)
  const start = Math.max(0, first - overscan)
  const end = Math.min(total, first + Math.ceil(Math.max(viewport, rowHeight) / rowHeight) + overscan)
  return { start, end, offset: start * rowHeight, height: total * rowHeight }
}

/** The next scroll position of the big screen's slow scroll: down by `step`, back to the top after the end. */
export function nextAutoScroll(scrollTop: number, viewport: number, height: number, step: number): number {
  if (height <= viewport) return 0
  if (scrollTop + viewport >= height - 1) return 0
  return Math.min(scrollTop + step, height - viewport)
}

/**
 * The 作战图 page: filters in the address bar, the server's rows, the window of rows drawn, clicks that
 * open a project or its 节点 tab.
 */
export function useWallChart() {
  const route = useRoute()
  const router = useRouter()
  const errorText = useErrorText()
  const filters = reactive<WallChartFilters>(wallChartFiltersFromQuery(route.query))
  const result = shallowRef<WallChartResult | null>(null)
  const loading = ref(false)
  const error = ref('')
  let seq = 0

  async function load() {
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const r = await getWallChart(toWallChartApiQuery(filters))
      if (mine === seq) result.value = r
    } catch (e) {
      if (mine === seq) error.value = errorText(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  /** Changes filters: the address bar follows, and the rows are asked for again. */
  function set(patch: Partial<WallChartFilters>) {
    Object.assign(filters, patch)
    void router.replace({ query: wallChartQueryFromFilters(filters) })
    if (Object.keys(patch).some((k) => k !== 'unit')) void load()
  }
  function reset() {
    set(emptyWallChartFilters())
  }

  const projects = computed(() => shownProjects(result.value, filters.unit))
  const year = computed(() => chartYear(result.value?.as_of ?? filters.as_of))
  const months = computed(() => monthColumns(year.value))
  const asOfLeft = computed(() => axisPercent(result.value?.as_of, year.value))
  const units = computed(() => distinct(result.value?.projects ?? [], 'unit'))
  const leaders = computed(() => distinct(result.value?.projects ?? [], 'leader'))

  const { exporting, run: runExport } = useExport()
  /** The chart as .xlsx for the same filters (the server's; a unit picked here is not one of them). */
  const exportXlsx = () => runExport(() => exportWallChart(toWallChartApiQuery(filters)))

  const openProject = (p: WallChartProject) => router.push(`/projects/${p.id}`)
  const openNode = (p: WallChartProject) => router.push({ path: `/projects/${p.id}`, query: { tab: 'nodes' } })

  return { filters, result, loading, error, projects, year, months, asOfLeft, units, leaders, exporting, load, set, reset, exportXlsx, openProject, openNode }
}

/** The window of rows drawn in a scrolling box of fixed-height rows. */
export function useRowWindow(total: () => number, rowHeight: () => number) {
  const scrollTop = ref(0)
  const viewport = ref(600)
  const win = computed(() => rowWindow(scrollTop.value, viewport.value, rowHeight(), total()))
  function onScroll(e: Event) {
    scrollTop.value = (e.target as HTMLElement).scrollTop
  }
  function measure(el: HTMLElement | null | undefined) {
    if (el) viewport.value = el.clientHeight
  }
  return { scrollTop, viewport, win, onScroll, measure }
}

/** The big screen's ms between two steps of its slow scroll, and px per step. */
export const AUTO_SCROLL_MS = 50
export const AUTO_SCROLL_PX = 1
/** The pause at the top and at the end of the rows (ms). */
export const AUTO_SCROLL_PAUSE_MS = 4000

/**
 * The command room's big screen: full screen when the browser allows (else a full-window layer), the
 * headline figures of the statistics' default month, and rows that scroll by themselves.
 */
export function useBigScreen(scroller: () => HTMLElement | null | undefined, canStats: () => boolean = () => true) {
  const on = ref(false)
  const headline = shallowRef<{ display: StatsDisplay; ahead: number | null; year: number; month: number } | null>(null)
  const headlineError = ref('')
  const errorText = useErrorText()
  let ticker: ReturnType<typeof setInterval> | null = null
  let pauseUntil = 0

  async function loadHeadline() {
    if (!canStats()) return
    try {
      const s = await getStats({})
      headline.value = { display: s.total.display, ahead: s.total.ahead_points, year: s.year, month: s.month }
      headlineError.value = ''
    } catch (e) {
      headlineError.value = errorText(e)
    }
  }

  function tick() {
    const el = scroller()
    if (!el || Date.now() < pauseUntil) return
    const next = nextAutoScroll(el.scrollTop, el.clientHeight, el.scrollHeight, AUTO_SCROLL_PX)
    if (next === 0 && el.scrollTop > 0) pauseUntil = Date.now() + AUTO_SCROLL_PAUSE_MS
    el.scrollTop = next
  }

  async function enter(root: HTMLElement | null | undefined) {
    on.value = true
    pauseUntil = Date.now() + AUTO_SCROLL_PAUSE_MS
    void loadHeadline()
    if (root?.requestFullscreen && !document.fullscreenElement) {
      try {
        await root.requestFullscreen()
      } catch {
        /* not allowed here (no user gesture, or a kiosk without it): the full-window layer stands in */
      }
    }
    if (!ticker) ticker = setInterval(tick, AUTO_SCROLL_MS)
  }
  function leave() {
    on.value = false
    if (ticker) clearInterval(ticker)
    ticker = null
    if (document.fullscreenElement) void document.exitFullscreen?.().catch(() => undefined)
  }
  function onFullscreenChange() {
    if (!document.fullscreenElement && on.value) leave()
  }
  document.addEventListener('fullscreenchange', onFullscreenChange)
  onBeforeUnmount(() => {
    document.removeEventListener('fullscreenchange', onFullscreenChange)
    leave()
  })

  return { on, headline, headlineError, enter, leave, loadHeadline }
}
