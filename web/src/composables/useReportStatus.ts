import { computed, ref, shallowRef, watch } from 'vue'
import { getReportStatus } from '@/api/reports'
import { getStats } from '@/api/stats'
import type { ReportStatus, ReportStatusItem } from '@/api/types'
import { monthKey } from './format'
import { useErrorText } from './useErrorText'
import { exportReports, exportReportStatus } from '@/api/transfer'
import { useExport } from './useExport'

export type StatusFilter = 'all' | 'missing' | 'late'

export function statusRowClass(i: ReportStatusItem): string {
  if (!i.reported) return 'kp-row-behind'
  return i.late ? 'kp-row-late' : ''
}

/** Why the shown list is empty, in the user's words: nothing due, all reported, none late, or no match. */
export function statusEmptyKey(due: number, show: StatusFilter, q: string): string {
  if (!due) return 'reportStatus.empty'
  if (q.trim()) return 'reportStatus.noMatch'
  if (show === 'missing') return 'reportStatus.allReported'
  if (show === 'late') return 'reportStatus.noneLate'
  return 'reportStatus.empty'
}

/** The bureau's view of a month's reporting: who has and has not reported (填报率), late ones marked. */
export function useReportStatus() {
  const errorText = useErrorText()
  const month = ref('')
  const data = shallowRef<ReportStatus | null>(null)
  const loading = ref(false)
  const error = ref('')
  const show = ref<StatusFilter>('all')
  const q = ref('')

  async function load() {
    loading.value = true
    error.value = ''
    try {
      if (!month.value) {
        // default: the server's headline month, as on the dashboard
        const s = await getStats({ by: 'level' })
        month.value = monthKey(s.year, s.month || 1)
        return // the watcher loads it
      }
      data.value = await getReportStatus(month.value)
    } catch (e) {
      error.value = errorText(e)
      data.value = null
    } finally {
      loading.value = false
    }
  }
  watch(month, () => void load())

  const items = computed(() => {
    const all = data.value?.items ?? []
    const needle = q.value.trim()
    return all.filter((i) => {
      if (show.value === 'missing' && i.reported) return false
      if (show.value === 'late' && !i.late) return false
      if (needle && !(i.name.includes(needle) || i.code.includes(needle) || i.owner.includes(needle) || i.unit.includes(needle))) return false
      return true
    })
  })

  // Paged in the browser: the month's list comes whole (for the figures) but 120 rows at once are slow to draw.
  const page = ref(1)
  const pageSize = ref(50)
  watch([show, q, month], () => (page.value = 1))
  const paged = computed(() => items.value.slice((page.value - 1) * pageSize.value, page.value * pageSize.value))

  const emptyKey = computed(() => statusEmptyKey(data.value?.items.length ?? 0, show.value, q.value))

  const { exporting, run } = useExport()
  /** The month's reports as the server's .xlsx. */
  const exportXlsx = () => (month.value ? run(() => exportReports(month.value)) : undefined)
  /** The reporting status table itself as the server's .xlsx. */
  const exportStatusXlsx = () => (month.value ? run(() => exportReportStatus(month.value)) : undefined)

  return { month, data, loading, error, show, q, items, page, pageSize, paged, emptyKey, load, exporting, exportXlsx, exportStatusXlsx }
}
