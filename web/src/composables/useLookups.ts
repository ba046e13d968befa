import { shallowRef } from 'vue'
import { getStats } from '@/api/stats'
import { getSettings, listRegions } from '@/api/system'
import type { Region, Settings } from '@/api/types'
import { useAuthStore } from '@/stores/auth'

export interface RegionNode {
  value: number
  label: string
  children?: RegionNode[]
  /** Only with `withRetired`: the region is retired (kept for history). */
  retired?: boolean
}

/**
 * The region tree for pickers: retired regions (and anything left below them) are left out, unless
 * `withRetired` (the settings page shows them, marked).
 */
export function regionTree(all: Region[], { withRetired = false } = {}): RegionNode[] {
  const regions = withRetired ? all : all.filter((r) => !r.retired)
  const byParent = new Map<number | null, Region[]>()
  for (const r of regions) {
    const k = r.parent_id ?? null
    if (!byParent.has(k)) byParent.set(k, [])
    byParent.get(k)!.push(r)
  }
  const ids = new Set(regions.map((r) => r.id))
  const hidden = new Set(all.filter((r) => !ids.has(r.id)).map((r) => r.id))
  const node = (r: Region): RegionNode => {
    const children = (byParent.get(r.id) ?? []).map(node)
    const n: RegionNode = { value: r.id, label: r.name }
    if (children.length) n.children = children
    if (withRetired && r.retired) n.retired = true
    return n
  }
  // roots: no parent, or a parent we cannot see (but not one that is only hidden because retired)
  const roots = regions.filter((r) => r.parent_id === null || (!ids.has(r.parent_id) && !hidden.has(r.parent_id)))
  return roots.map(node)
}

/** The regions `id` may merge into: those in use, other than itself and the regions below it. */
export function mergeTargets(all: Region[], id: number): RegionNode[] {
  const below = new Set<number>([id])
  for (let grew = true; grew; ) {
    grew = false
    for (const r of all) {
      if (r.parent_id !== null && below.has(r.parent_id) && !below.has(r.id)) {
        below.add(r.id)
        grew = true
      }
    }
  }
  const prune = (nodes: RegionNode[]): RegionNode[] =>
    nodes
      .filter((n) => !below.has(n.value))
      .map((n) => {
        const children = n.children ? prune(n.children) : []
        return children.length ? { ...n, children } : { value: n.value, label: n.label }
      })
  return prune(regionTree(all))
}

// Shared, loaded once per page load: regions, settings, and the names in use (for filter choices).
const regions = shallowRef<Region[]>([])
const settings = shallowRef<Settings | null>(null)
const names = shallowRef<{ industry: string[]; unit: string[]; leader: string[] }>({ industry: [], unit: [], leader: [] })
let regionsP: Promise<void> | null = null
let settingsP: Promise<void> | null = null
let namesP: Promise<void> | null = null

export function useLookups() {
  function loadRegions(force = false) {
    if (!regionsP || force) regionsP = listRegions().then((r) => void (regions.value = r.items)).catch(() => void (regionsP = null))
    return regionsP
  }
  function loadSettings(force = false) {
    if (!settingsP || force) settingsP = getSettings().then((s) => void (settings.value = s)).catch(() => void (settingsP = null))
    return settingsP
  }
  /** Industry, unit and leader names in use, from the statistics groups (all levels, current year). */
  function loadNames() {
    if (!useAuthStore().can('stats')) return Promise.resolve()
    if (!namesP)
      namesP = Promise.all([getStats({ by: 'industry' }), getStats({ by: 'unit' }), getStats({ by: 'leader' })])
        .then(([i, u, l]) => {
          const keys = (r: { groups: { key: string }[] }) => r.groups.map((g) => g.key).filter((k) => k).sort((a, b) => a.localeCompare(b, 'zh-CN'))
          names.value = { industry: keys(i), unit: keys(u), leader: keys(l) }
        })
        .catch(() => void (namesP = null))
    return namesP
  }
  return { regions, settings, names, loadRegions, loadSettings, loadNames }
}

/** For tests: forget what was loaded. */
export function resetLookups() {
  regions.value = []
  settings.value = null
  names.value = { industry: [], unit: [], leader: [] }
  regionsP = settingsP = namesP = null
}
