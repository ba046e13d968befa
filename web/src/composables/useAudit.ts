import { reactive, ref, shallowRef } from 'vue'
import { listAudit } from '@/api/system'
import type { AuditEntry } from '@/api/types'
import { useErrorText } from './useErrorText'
import { exportAudit } from '@/api/transfer'
import { useExport } from './useExport'
import { useI18n } from 'vue-i18n'
import { FIELD_LABELS } from './useProjectDetail'
import { formatWan } from './format'
import { useLookups } from './useLookups'

/** The audit log: filter by user, action, entity and date range; paged on the server. */
export function useAudit() {
  const errorText = useErrorText()
  const i18n = useI18n()
  const filters = reactive<{ user: string; action: string; entity: string; range: [string, string] | null }>({ user: '', action: '', entity: '', range: null })
  const page = ref(1)
  const pageSize = ref(50)
  const items = shallowRef<AuditEntry[]>([])
  const total = ref(0)
  const loading = ref(false)
  const error = ref('')

  async function load() {
    loading.value = true
    error.value = ''
    try {
      const res = await listAudit({
        user: filters.user.trim() || undefined,
        action: filters.action.trim() || undefined,
        entity: filters.entity.trim() || undefined,
        from: filters.range?.[0] || undefined,
        to: filters.range?.[1] || undefined,
        page: page.value,
        page_size: pageSize.value,
      })
      items.value = res.items
      total.value = res.total
    } catch (e) {
      error.value = errorText(e)
      items.value = []
      total.value = 0
    } finally {
      loading.value = false
    }
  }
  function search() {
    page.value = 1
    void load()
  }
  function reset() {
    filters.user = ''
    filters.action = ''
    filters.entity = ''
    filters.range = null
    search()
  }
  function onPage(p: number) {
    page.value = p
    void load()
  }
  function onPageSize(s: number) {
    pageSize.value = s
    search()
  }
  const { exporting, run } = useExport()
  /** The filtered log as the server's .xlsx. */
  const exportXlsx = () =>
    run(() =>
      exportAudit({
        user: filters.user.trim() || undefined,
        action: filters.action.trim() || undefined,
        entity: filters.entity.trim() || undefined,
        from: filters.range?.[0] || undefined,
        to: filters.range?.[1] || undefined,
      }),
    )

  // Region ids in entries (a project's or user's region, a region's parent, where it merged) read as names.
  const lookups = useLookups()
  void lookups.loadRegions()
  const regionName = (id: number) => lookups.regions.value.find((r) => r.id === id)?.name
  const show = (v: unknown, entity = '') => describeValue(v, i18n.t as T, i18n.te as (k: string) => boolean, { entity, regionName })
  return { filters, page, pageSize, items, total, loading, error, load, search, reset, onPage, onPageSize, show, exporting, exportXlsx }
}

type T = (k: string, p?: Record<string, unknown>) => string

/** How to read an entry's values: its entity (a region's `name` is not a project's), region names by id. */
export interface ValueContext {
  entity?: string
  regionName?: (id: number) => string | undefined
}
const REGION_ID_KEYS = new Set(['parent_id', 'merged_into', 'home_region_id', 'region_id'])

/** The label of a recorded field in the user's language (audit.fields, else the project form's), else the key. */
export function fieldLabel(k: string, t: T, te: (k: string) => boolean, entity = ''): string {
  if (entity && te(`audit.entityFields.${entity}.${k}`)) return t(`audit.entityFields.${entity}.${k}`)
  if (te(`audit.fields.${k}`)) return t(`audit.fields.${k}`)
  const f = FIELD_LABELS[k]
  return f ? t(f) : k
}

function fieldValue(k: string, x: unknown, t: T, te: (k: string) => boolean, ctx: ValueContext): string {
  if (x === null || x === undefined || x === '') return '—'
  if (x === true) return t('common.yes')
  if (x === false) return t('common.no')
  if (typeof x === 'number' && REGION_ID_KEYS.has(k) && ctx.regionName?.(x)) return ctx.regionName(x)!
  if (k === 'role' && te(`role.${String(x)}`)) return t(`role.${String(x)}`)
  if (k === 'schedule' && te(`audit.schedules.${String(x)}`)) return t(`audit.schedules.${String(x)}`)
  if (typeof x === 'number' && k.endsWith('_wan')) return formatWan(x)
  if (typeof x === 'object') return JSON.stringify(x)
  return String(x)
}

/** A before/after value on one line, in the user's words: `项目名称：X；总投资（万元）：1,234.5`. */
export function describeValue(v: unknown, t: T, te: (k: string) => boolean, ctx: ValueContext = {}): string {
  if (v === null || v === undefined || v === '') return ''
  if (typeof v !== 'object') return String(v)
  if (Array.isArray(v)) return v.map((x) => describeValue(x, t, te, ctx)).join(t('audit.sep'))
  return Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => t('audit.pair', { k: fieldLabel(k, t, te, ctx.entity), v: fieldValue(k, x, t, te, ctx) }))
    .join(t('audit.sep'))
}

/** A before/after value on one line: `key: value; key: value` (raw keys; exports and tests). */
export function compactValue(v: unknown): string {
  if (v === null || v === undefined || v === '') return ''
  if (typeof v !== 'object') return String(v)
  if (Array.isArray(v)) return v.map(compactValue).join(', ')
  return Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${k}: ${x !== null && typeof x === 'object' ? JSON.stringify(x) : String(x ?? '')}`)
    .join('; ')
}
