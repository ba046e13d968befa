import { computed, reactive, ref, shallowRef, watch } from 'vue'
import { useRoute, useRouter, type LocationQuery } from 'vue-router'
import { exportWarnings, getWarnings, type WarningQuery } from '@/api/warnings'
import { WARNING_GROUP_BYS, type Colour, type ColourCounts, type ProjectColour, type Warning, type WarningGroupBy, type WarningResult } from '@/api/types'
import { useLookups } from './useLookups'
import { useErrorText } from './useErrorText'
import { useExport } from './useExport'

/** The 预警 page's filters, as the address bar holds them (a dashboard click or a shared link opens the same list). */
export interface WarningFilters {
  /** YYYY-MM-DD; empty: the server's default (the headline month's end). */
  as_of: string
  levels: string[]
  by: WarningGroupBy | ''
  colour: Colour | ''
  region_id: number | null
  leader: string
  /** The server has no unit filter: a unit narrows the rows here, and its counts are the server's group row (by=unit). */
  unit: string
}

export function emptyWarningFilters(): WarningFilters {
  return { as_of: '', levels: [], by: '', colour: '', region_id: null, leader: '', unit: '' }
}

const str = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '')

export function warningFiltersFromQuery(q: LocationQuery): WarningFilters {
  const f = emptyWarningFilters()
  const asOf = str(q.as_of)
  f.as_of = /^\d{4}-\d{2}(-\d{2})?$/.test(asOf) ? asOf : ''
  f.levels = str(q.levels).split(',').filter(Boolean)
  const by = str(q.by)
  f.by = (WARNING_GROUP_BYS as string[]).includes(by) ? (by as WarningGroupBy) : ''
  const colour = str(q.colour)
  f.colour = colour === 'red' || colour === 'yellow' || colour === 'green' ? colour : ''
  const region = Number(str(q.region_id))
  f.region_id = Number.isInteger(region) && region > 0 ? region : null
  f.leader = str(q.leader)
  f.unit = str(q.unit)
  if (f.unit) f.by = 'unit'
  return f
}

export function warningQueryFromFilters(f: WarningFilters): Record<string, string> {
  const out: Record<string, string> = {}
  if (f.as_of) out.as_of = f.as_of
  if (f.levels.length) out.levels = f.levels.join(',')
  if (f.by) out.by = f.by
  if (f.colour) out.colour = f.colour
  if (f.region_id !== null) out.region_id = String(f.region_id)
  if (f.leader) out.leader = f.leader
  if (f.unit) out.unit = f.unit
  return out
}

export function toWarningApiQuery(f: WarningFilters): WarningQuery {
  return {
    as_of: f.as_of || undefined,
    levels: f.levels.length ? f.levels : undefined,
    by: f.unit ? 'unit' : f.by || undefined,
    colour: f.colour || undefined,
    region_id: f.region_id,
    leader: f.leader || undefined,
  }
}

/** One row of the list: a warning with its project. */
export interface WarningRow {
  key: string
  project: ProjectColour
  warning: Warning
}

/** A row per warning, in the server's order (red projects first, then by code); `unit` keeps one unit's projects. */
export function warningRows(result: WarningResult | null, unit = ''): WarningRow[] {
  if (!result) return []
  const rows: WarningRow[] = []
  for (const p of result.projects) {
    if (unit && p.unit !== unit) continue
    p.warnings.forEach((w, i) => rows.push({ key: `${p.id}-${i}`, project: p, warning: w }))
  }
  return rows
}

/** The counts to show on top: the server's totals, or its group row for the unit picked. */
export function shownCounts(result: WarningResult | null, unit = ''): ColourCounts | null {
  if (!result) return null
  if (!unit) return result.counts
  const g = result.groups.find((x) => x.key === unit)
  return g ? { red: g.red, yellow: g.yellow, green: g.green } : { red: 0, yellow: 0, green: 0 }
}

/** What narrows a list to one group of the grouping (industry has no filter of its own: null). */
export function groupFilter(by: WarningGroupBy | '', key: string, regionId: (name: string) => number | null): Partial<WarningFilters> | null {
  if (by === 'level') return { levels: [key] }
  if (by === 'unit') return { unit: key }
  if (by === 'leader') return key ? { leader: key } : null
  if (by === 'region') {
    const id = regionId(key)
    return id === null ? null : { region_id: id }
  }
  return null
}

/** The 预警 page: colour counts as of a date, the warnings one row each, the server's group counts. */
export function useWarnings() {
  const route = useRoute()
  const router = useRouter()
  const errorText = useErrorText()
  const lookups = useLookups()
  const filters = reactive<WarningFilters>(warningFiltersFromQuery(route.query))
  const result = shallowRef<WarningResult | null>(null)
  const loading = ref(false)
  const error = ref('')
  let seq = 0

  async function load() {
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const r = await getWarnings(toWarningApiQuery(filters))
      if (mine !== seq) return
      result.value = r
    } catch (e) {
      if (mine !== seq) return
      error.value = errorText(e)
      result.value = null
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  const rows = computed(() => warningRows(result.value, filters.unit))
  const counts = computed(() => shownCounts(result.value, filters.unit))
  const regionName = computed(() => (filters.region_id === null ? '' : (lookups.regions.value.find((r) => r.id === filters.region_id)?.name ?? String(filters.region_id))))

  function apply() {
    return router.replace({ query: warningQueryFromFilters(filters) })
  }
  function set(patch: Partial<WarningFilters>) {
    Object.assign(filters, patch)
    if (patch.by !== undefined && patch.by !== 'unit') filters.unit = ''
    void apply()
  }
  function reset() {
    Object.assign(filters, emptyWarningFilters())
    void apply()
  }
  const regionId = (name: string) => lookups.regions.value.find((r) => r.name === name)?.id ?? null
  /** Narrows the list to a group of the table (null: that grouping cannot narrow the list). */
  const groupPatch = (key: string) => groupFilter(filters.by, key, regionId)
  function openGroup(key: string) {
    const patch = groupPatch(key)
    if (patch) set(patch)
  }

  // The address bar is the source of truth: any change of it reloads.
  watch(
    () => route.query,
    (q) => {
      if (route.name !== 'warnings') return
      Object.assign(filters, warningFiltersFromQuery(q))
      void load()
    },
  )

  function start() {
    void lookups.loadRegions()
    return load()
  }

  const { exporting, run: runExport } = useExport()
  /** The list as .xlsx, for the same question as the page (the server writes it). */
  const exportList = () => runExport(() => exportWarnings(toWarningApiQuery(filters)))

  return { filters, result, loading, error, rows, counts, regionName, load, start, set, reset, groupPatch, openGroup, exporting, exportList }
}

/** The 预警 page's address for one group (and colour) of a summary: what a dashboard click opens. */
export function warningsLink(
  base: { as_of?: string; levels?: string[] },
  by: 'region' | 'unit' | '',
  key: string,
  colour: Colour | '',
  regionId: (name: string) => number | null,
): { path: string; query: Record<string, string> } {
  const f: WarningFilters = { ...emptyWarningFilters(), as_of: base.as_of ?? '', levels: base.levels ?? [], colour }
  if (by) {
    f.by = by
    Object.assign(f, groupFilter(by, key, regionId) ?? {})
  }
  return { path: '/warnings', query: warningQueryFromFilters(f) }
}

/**
 * The dashboard's colour counts: the server's totals and its groups by region and by unit, as of a month
 * (YYYY-MM, its last day; empty: the headline month's end) for a set of levels.
 */
export function useWarningSummary() {
  const lookups = useLookups()
  const errorText = useErrorText()
  const byRegion = shallowRef<WarningResult | null>(null)
  const byUnit = shallowRef<WarningResult | null>(null)
  const error = ref('')
  const base = shallowRef<{ as_of?: string; levels?: string[] }>({})
  let seq = 0

  async function load(month: string, levels: string[]) {
    const mine = ++seq
    error.value = ''
    try {
      void lookups.loadRegions()
      const q = { as_of: month || undefined, levels: levels.length ? levels : undefined }
      const [r, u] = await Promise.all([getWarnings({ ...q, by: 'region' }), getWarnings({ ...q, by: 'unit' })])
      if (mine !== seq) return
      byRegion.value = r
      byUnit.value = u
      base.value = { as_of: r.as_of, levels }
    } catch (e) {
      if (mine === seq) error.value = errorText(e)
    }
  }
  const regionId = (name: string) => lookups.regions.value.find((r) => r.name === name)?.id ?? null
  const link = (by: 'region' | 'unit' | '', key: string, colour: Colour | '') => warningsLink(base.value, by, key, colour, regionId)
  return { byRegion, byUnit, error, load, link }
}
