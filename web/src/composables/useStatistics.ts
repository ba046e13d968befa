import { computed, ref, shallowRef, watch } from 'vue'
import { useI18n } from 'vue-i18n'
import { getStats } from '@/api/stats'
import type { GroupBy, StatsResult, StatsRow } from '@/api/types'
import { enumLabel } from '@/locales'
import { monthKey, parseMonthKey } from './format'
import { useErrorText } from './useErrorText'
import { downloadCsv } from './csv'
import { exportStats } from '@/api/transfer'
import { useExport } from './useExport'

export type AmountUnit = 'wan' | 'yi'

/** The statistics table for any grouping, set of levels and month; ranks and figures are the server's. */
export function useStatistics() {
  const { t } = useI18n()
  const errorText = useErrorText()
  const by = ref<GroupBy>('level')
  const levels = ref<string[]>(['省重点', '市重点'])
  const month = ref('')
  const schedule = ref<'' | 'month' | 'day'>('')
  const unit = ref<AmountUnit>('wan')
  const data = shallowRef<StatsResult | null>(null)
  const loading = ref(false)
  const error = ref('')
  let seq = 0
  let loadedKey = ''
  const key = () => [by.value, levels.value.join(','), month.value, schedule.value].join('|')

  async function load() {
    const mine = ++seq
    loadedKey = key()
    loading.value = true
    error.value = ''
    try {
      const m = parseMonthKey(month.value)
      const res = await getStats({ by: by.value, levels: levels.value, year: m?.year, month: m?.month, schedule: schedule.value })
      if (mine !== seq) return
      data.value = res
      if (!month.value && res.month) {
        month.value = monthKey(res.year, res.month)
        loadedKey = key()
      }
    } catch (e) {
      if (mine === seq) {
        error.value = errorText(e)
        data.value = null
      }
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  function start() {
    watch([by, levels, month, schedule], () => {
      if (key() !== loadedKey) void load()
    }, { deep: true })
    return load()
  }

  const rows = computed(() => [...(data.value?.groups ?? [])].sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9)))
  function groupLabel(r: StatsRow): string {
    if (by.value === 'level') return enumLabel(t, 'level', r.key)
    if (by.value === 'status') return enumLabel(t, 'status', r.key)
    if (by.value === 'demo') return enumLabel(t, 'demo', r.key)
    if (by.value === 'project') return r.label ? r.label : r.key
    return r.key || '—'
  }
  const plan = (r: StatsRow) => (unit.value === 'yi' ? r.display.plan_yi : r.display.plan_wan)
  const completed = (r: StatsRow) => (unit.value === 'yi' ? r.display.completed_yi : r.display.completed_wan)

  /** The table as rows for CSV, from the display strings. */
  function csvRows(): unknown[][] {
    const d = data.value
    if (!d) return []
    const head = [t('stats.rank'), t('stats.group'), t('stats.projects'), unit.value === 'yi' ? t('stats.planYi') : t('stats.plan'),
      unit.value === 'yi' ? t('stats.completedYi') : t('stats.completed'), t('stats.rate'), t('stats.ahead')]
    const line = (r: StatsRow, label: string) => [r.rank ?? '', label, r.projects, plan(r), completed(r), r.display.completion_rate_pct, r.display.ahead_points]
    return [head, ...rows.value.map((r) => line(r, groupLabel(r))), line(d.total, t('stats.total'))]
  }
  function download() {
    const d = data.value
    if (d) downloadCsv(`${t('stats.title')}-${monthKey(d.year, d.month)}-${by.value}`, csvRows())
  }

  const { exporting, run } = useExport()
  /** The table as the server's .xlsx (same grouping, levels, month and schedule). */
  function exportXlsx() {
    const m = parseMonthKey(month.value)
    return run(() => exportStats({ by: by.value, levels: levels.value, year: m?.year, month: m?.month, schedule: schedule.value || undefined }))
  }

  return { by, levels, month, schedule, unit, data, loading, error, rows, groupLabel, plan, completed, load, start, csvRows, download, exporting, exportXlsx }
}
