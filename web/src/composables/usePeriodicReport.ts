import { computed, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage } from 'element-plus'
import { saveFile } from '@/api/http'
import { getReport, renderReport, type ReportKind, type ReportModel } from '@/api/periodicReports'
import { useErrorText } from './useErrorText'

/** The 报告 page: a month's analysis previewed, its paragraphs reworded, then downloaded as docx or PDF. */
export function usePeriodicReport() {
  const { t } = useI18n()
  const errorText = useErrorText()
  const kind = ref<ReportKind>('monthly')
  // The month just ended: the period a monthly analysis is written for.
  const last = new Date()
  last.setDate(1)
  last.setMonth(last.getMonth() - 1)
  const month = ref(`${last.getFullYear()}-${String(last.getMonth() + 1).padStart(2, '0')}`)
  const levels = ref<string[]>([])
  const model = ref<ReportModel | null>(null)
  const loading = ref(false)
  const error = ref('')
  const overrides = ref<Record<string, string>>({})
  const editing = ref<string | null>(null)
  const draft = ref('')
  const downloading = ref<'' | 'docx' | 'pdf'>('')
  const progress = ref(0)

  const question = computed(() => {
    const [y, m] = month.value.split('-').map(Number)
    return { kind: kind.value, year: y, month: m, levels: levels.value }
  })

  async function load() {
    loading.value = true
    error.value = ''
    try {
      model.value = await getReport(question.value)
      overrides.value = {}
      editing.value = null
    } catch (e) {
      error.value = errorText(e)
    } finally {
      loading.value = false
    }
  }

  /** The paragraph's text as it will be written: the user's wording, else the drafted one. */
  const textOf = (id: string, drafted: string) => overrides.value[id] ?? drafted

  function edit(id: string, drafted: string) {
    editing.value = id
    draft.value = textOf(id, drafted)
  }
  function keep(id: string, drafted: string) {
    if (draft.value.trim() === '' || draft.value === drafted) {
      delete overrides.value[id]
    } else {
      overrides.value[id] = draft.value
    }
    editing.value = null
  }
  function reset(id: string) {
    delete overrides.value[id]
    editing.value = null
  }

  async function download(format: 'docx' | 'pdf') {
    if (downloading.value) return
    downloading.value = format
    progress.value = 10
    const timer = setInterval(() => { progress.value = Math.min(90, progress.value + 15) }, 150)
    try {
      const f = await renderReport(question.value, format, overrides.value)
      progress.value = 100
      saveFile(f)
      ElMessage.success(t('periodic.downloaded', { file: f.filename }))
    } catch (e) {
      ElMessage.error(errorText(e))
    } finally {
      clearInterval(timer)
      downloading.value = ''
      setTimeout(() => { progress.value = 0 }, 400)
    }
  }

  return { kind, month, levels, model, loading, error, overrides, editing, draft, downloading, progress, load, textOf, edit, keep, reset, download }
}
