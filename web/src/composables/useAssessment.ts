import { ref, shallowRef, watch, type Ref } from 'vue'
import { exportAssessment, getAssessment, type AssessmentBy, type AssessmentPeriod, type AssessmentQuery, type AssessmentResult } from '@/api/assessment'
import { parseMonthKey } from './format'
import { useErrorText } from './useErrorText'
import { useExport } from './useExport'

/**
 * 考核 scores of the statistics page's month and levels: the month itself, its quarter (a quarter is
 * asked by its number and scored as of its last month) or its year. Every figure is the server's.
 */
export function useAssessment(levels: Ref<string[]>, month: Ref<string>) {
  const errorText = useErrorText()
  const by = ref<AssessmentBy>('region')
  const period = ref<AssessmentPeriod>('month')
  const data = shallowRef<AssessmentResult | null>(null)
  const loading = ref(false)
  const error = ref('')
  const { exporting, run } = useExport()
  let seq = 0

  /** The question for the page's month: null while the month is not set. */
  function query(): AssessmentQuery | null {
    const m = parseMonthKey(month.value)
    if (!m) return null
    const q: AssessmentQuery = { by: by.value, levels: levels.value, year: m.year }
    if (period.value === 'month') q.month = m.month
    else if (period.value === 'quarter') q.quarter = Math.ceil(m.month / 3)
    else q.period = 'year'
    return q
  }

  async function load() {
    const q = query()
    if (!q) return
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const res = await getAssessment(q)
      if (mine === seq) data.value = res
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
    watch([by, period, levels, month], () => void load(), { deep: true })
    return load()
  }

  function download() {
    const q = query()
    if (q) return run(() => exportAssessment(q))
  }

  return { by, period, data, loading, error, exporting, load, start, download, query }
}
