import { reactive, ref, shallowRef } from 'vue'
import { listAudit } from '@/api/system'
import type { AuditEntry } from '@/api/types'
import { useErrorText } from './useErrorText'
import { exportAudit } from '@/api/transfer'
import { useExport } from './useExport'

/** The audit log: filter by user, action, entity and date range; paged on the server. */
export function useAudit() {
  const errorText = useErrorText()
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

  return { filters, page, pageSize, items, total, loading, error, load, search, reset, onPage, onPageSize, show: compactValue, exporting, exportXlsx }
}

/** A before/after value on one line: `key: value; key: value`. */
export function compactValue(v: unknown): string {
  if (v === null || v === undefined || v === '') return ''
  if (typeof v !== 'object') return String(v)
  if (Array.isArray(v)) return v.map(compactValue).join(', ')
  return Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${k}: ${x !== null && typeof x === 'object' ? JSON.stringify(x) : String(x ?? '')}`)
    .join('; ')
}
