import { computed, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage, ElMessageBox } from 'element-plus'
import { saveFile } from '@/api/http'
import {
  downloadPublished, getPublishedChanges, getReport, listPublished, publishReport, renderReport,
  type FigureChange, type PublishedReport, type ReportFormat, type ReportKind, type ReportModel,
} from '@/api/periodicReports'
import { useAuthStore } from '@/stores/auth'
import { useErrorText } from './useErrorText'

/** The ISO week a day falls in, "2024-W13" (weeks start on Monday; the week's year is its Thursday's). */
export function isoWeekOf(day: Date): string {
  const d = new Date(Date.UTC(day.getFullYear(), day.getMonth(), day.getDate()))
  const dow = d.getUTCDay() || 7
  d.setUTCDate(d.getUTCDate() + 4 - dow)
  const jan1 = Date.UTC(d.getUTCFullYear(), 0, 1)
  const week = Math.floor((d.getTime() - jan1) / 86400000 / 7) + 1
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`
}

/** The 报告 page: a period's report previewed, its paragraphs reworded, then downloaded as docx, PDF or xlsx, and published. */
export function usePeriodicReport() {
  const { t } = useI18n()
  const errorText = useErrorText()
  const kind = ref<ReportKind>('monthly')
  // The month just ended: the period a monthly analysis is written for.
  const last = new Date()
  last.setDate(1)
  last.setMonth(last.getMonth() - 1)
  const month = ref(`${last.getFullYear()}-${String(last.getMonth() + 1).padStart(2, '0')}`)
  const week = ref(isoWeekOf(new Date()))
  const levels = ref<string[]>([])
  const model = ref<ReportModel | null>(null)
  const loading = ref(false)
  const error = ref('')
  const overrides = ref<Record<string, string>>({})
  const editing = ref<string | null>(null)
  const draft = ref('')
  const downloading = ref<'' | ReportFormat>('')
  const progress = ref(0)

  const question = computed(() => {
    const [y, m] = month.value.split('-').map(Number)
    if (kind.value === 'weekly') return { kind: kind.value, year: Number(week.value.slice(0, 4)), month: 0, week: week.value, levels: levels.value }
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

  async function download(format: ReportFormat) {
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

  // Publishing (§4): the bureau freezes the previewed report, wording included, as 第N期.
  const auth = useAuthStore()
  const canPublish = computed(() => auth.role === 'admin')
  const canSeeChanges = computed(() => auth.can('published.changes'))  // county-wide live figures
  const published = ref<PublishedReport[]>([])
  const publishing = ref(false)
  const changesOf = ref<PublishedReport | null>(null)
  const changes = ref<FigureChange[]>([])
  const changesLoading = ref(false)

  async function loadPublished() {
    try {
      published.value = (await listPublished()).items
    } catch (e) {
      ElMessage.error(errorText(e))
    }
  }

  async function publish() {
    if (publishing.value || !model.value) return
    try {
      const next = await listPublished(kind.value, question.value.year)
      await ElMessageBox.confirm(
        t('periodic.publishConfirm', { title: model.value.title, issue: next.next_issue_label ?? '' }),
        t('periodic.publish'),
        { type: 'warning', confirmButtonText: t('periodic.publish'), cancelButtonText: t('common.cancel') },
      )
    } catch (e) {
      if (e === 'cancel' || e === 'close') return
      ElMessage.error(errorText(e))
      return
    }
    publishing.value = true
    try {
      const p = await publishReport(question.value, overrides.value)
      ElMessage.success(t('periodic.publishedAs', { issue: p.issue_label }))
      await loadPublished()
    } catch (e) {
      ElMessage.error(errorText(e))
    } finally {
      publishing.value = false
    }
  }

  async function downloadOne(p: PublishedReport, format: ReportFormat) {
    try {
      saveFile(await downloadPublished(p.id, format))
    } catch (e) {
      ElMessage.error(errorText(e))
    }
  }

  async function showChanges(p: PublishedReport) {
    changesOf.value = p
    changes.value = []
    changesLoading.value = true
    try {
      changes.value = (await getPublishedChanges(p.id)).changes
    } catch (e) {
      ElMessage.error(errorText(e))
    } finally {
      changesLoading.value = false
    }
  }

  /** "2024-03" → "2024年3月", "2024-Q1" → "2024年第1季度", "2024" → "2024年". */
  function periodText(p: PublishedReport) {
    const [y, rest] = p.period.split('-')
    if (!rest) return t('periodic.periodYear', { y })
    if (rest.startsWith('W')) return t('periodic.periodWeek', { y, w: Number(rest.slice(1)) })
    if (rest.startsWith('Q')) return t('periodic.periodQuarter', { y, q: rest.slice(1) })
    return t('periodic.periodMonth', { y, m: Number(rest) })
  }

  return {
    kind, month, week, levels, model, loading, error, overrides, editing, draft, downloading, progress, load, textOf, edit, keep, reset, download,
    canPublish, canSeeChanges, published, publishing, changesOf, changes, changesLoading, loadPublished, publish, downloadOne, showChanges, periodText,
  }
}
