import { computed, reactive, ref, shallowRef, watch } from 'vue'
import { useI18n } from 'vue-i18n'
import type { FormInstance, FormRules } from 'element-plus'
import { ElMessage } from 'element-plus'
import { ApiError } from '@/api/http'
import { listProjectReports, listProjects, listPlans, putProjectReport } from '@/api/projects'
import type { MonthlyReport, Plan, Project } from '@/api/types'
import { formatDateTime, monthKey, nextMonth, reportDeadline, todayKey } from './format'
import { useLookups } from './useLookups'
import { amountWan, maxLength, required, toRules, wanToSend } from './validators'
import { useErrorText } from './useErrorText'

/** The month to offer: the one after the project's last report, but never past last month. */
export function defaultReportMonth(reports: MonthlyReport[], currentYear: number | undefined, now = new Date()): string {
  const lastCalendarMonth = now.getMonth() === 0 ? monthKey(now.getFullYear() - 1, 12) : monthKey(now.getFullYear(), now.getMonth())
  const latest = reports.map((r) => r.month).sort().at(-1)
  const candidate = latest ? nextMonth(latest) : monthKey(currentYear ?? now.getFullYear(), 1)
  return candidate < lastCalendarMonth ? candidate : lastCalendarMonth
}

const DRAFT_KEY = 'kp.draft.report.'

/**
 * An owner's monthly report: pick the project and month, type the amount (万元), 形象进度 and 存在问题.
 * The deadline comes from the settings; a failed submit keeps the input (also across a reload).
 */
export function useReportFill() {
  const { t } = useI18n()
  const errorText = useErrorText()
  const lookups = useLookups()
  const projects = shallowRef<Project[]>([])
  const projectId = ref<number | null>(null)
  const month = ref('')
  const reports = shallowRef<MonthlyReport[]>([])
  const plans = shallowRef<Plan[]>([])
  const loading = ref(true)
  const loadingReports = ref(false)
  const loadError = ref('')
  const formRef = ref<FormInstance>()
  const form = reactive({ completed_wan: '', progress: '', problems: '' })
  const serverErrors = reactive<Record<string, string>>({})
  const submitError = ref('')
  const saving = ref(false)

  const rules = computed<FormRules>(() => ({
    completed_wan: toRules([required('reportFill.amount'), amountWan], t, true),
    progress: toRules([required('reportFill.progress'), maxLength(1000)], t, true),
    problems: toRules([maxLength(2000)], t),
  }))

  const project = computed(() => projects.value.find((p) => p.id === projectId.value) ?? null)
  const existing = computed(() => reports.value.find((r) => r.month === month.value) ?? null)
  const recent = computed(() => [...reports.value].sort((a, b) => b.month.localeCompare(a.month)).slice(0, 6))
  const deadline = computed(() => (month.value && lookups.settings.value ? reportDeadline(month.value, lookups.settings.value.report_deadline_day) : ''))
  const overdue = computed(() => !!deadline.value && todayKey() > deadline.value)
  const plan = computed(() => plans.value.find((p) => String(p.year) === month.value.slice(0, 4)) ?? null)
  const existingText = computed(() => (existing.value ? t('reportFill.already', { at: formatDateTime(existing.value.submitted_at) }) : ''))

  const draftKey = () => `${DRAFT_KEY}${projectId.value}.${month.value}`
  function saveDraft() {
    try {
      sessionStorage.setItem(draftKey(), JSON.stringify(form))
    } catch {
      /* no storage */
    }
  }
  function takeDraft() {
    try {
      const raw = sessionStorage.getItem(draftKey())
      return raw ? (JSON.parse(raw) as typeof form) : null
    } catch {
      return null
    }
  }
  function clearDraft() {
    try {
      sessionStorage.removeItem(draftKey())
    } catch {
      /* no storage */
    }
  }

  function fillForm() {
    for (const k of Object.keys(serverErrors)) delete serverErrors[k]
    submitError.value = ''
    const draft = takeDraft()
    const r = existing.value
    form.completed_wan = draft?.completed_wan ?? (r ? String(r.completed_wan) : '')
    form.progress = draft?.progress ?? r?.progress ?? ''
    form.problems = draft?.problems ?? r?.problems ?? ''
    setTimeout(() => formRef.value?.clearValidate(), 0)
  }

  async function loadReports(pickMonth: boolean) {
    if (projectId.value === null) return
    loadingReports.value = true
    try {
      const [r, p] = await Promise.all([listProjectReports(projectId.value), listPlans(projectId.value).catch(() => ({ items: [] as Plan[] }))])
      reports.value = r.items
      plans.value = p.items
      if (pickMonth || !month.value) month.value = defaultReportMonth(r.items, lookups.settings.value?.current_year)
      fillForm()
    } catch (e) {
      loadError.value = errorText(e)
    } finally {
      loadingReports.value = false
    }
  }

  async function load() {
    loading.value = true
    loadError.value = ''
    try {
      await lookups.loadSettings()
      const res = await listProjects({ page_size: 1000, sort: 'code' })
      projects.value = res.items
      if (projectId.value === null && res.items.length) projectId.value = res.items[0].id
      await loadReports(true)
    } catch (e) {
      loadError.value = errorText(e)
    } finally {
      loading.value = false
    }
  }

  watch(projectId, (id, old) => {
    if (old !== null && id !== null) void loadReports(true)
  })
  watch(month, (m, old) => {
    if (old && m) fillForm()
  })

  function onInput(field: string) {
    if (serverErrors[field]) delete serverErrors[field]
    saveDraft()
  }

  async function submit() {
    submitError.value = ''
    for (const k of Object.keys(serverErrors)) delete serverErrors[k]
    saveDraft()
    const ok = await formRef.value?.validate().catch(() => false)
    if (formRef.value && !ok) return
    if (projectId.value === null || !month.value) return
    saving.value = true
    try {
      await putProjectReport(projectId.value, month.value, {
        completed_wan: wanToSend(form.completed_wan) ?? '',
        progress: form.progress.trim(),
        problems: form.problems.trim(),
      })
      clearDraft()
      ElMessage.success(t('reportFill.submitted', { month: month.value }))
      await loadReports(false)
    } catch (e) {
      const text = errorText(e)
      if (e instanceof ApiError && e.field && e.field in form) serverErrors[e.field] = text
      submitError.value = text
    } finally {
      saving.value = false
    }
  }

  const disabledMonth = (d: Date) => {
    const now = new Date()
    return d.getFullYear() > now.getFullYear() || (d.getFullYear() === now.getFullYear() && d.getMonth() > now.getMonth())
  }

  return {
    projects, projectId, project, month, reports, recent, plan, loading, loadingReports, loadError, formRef, form, rules, serverErrors, submitError, saving,
    existing, existingText, deadline, overdue, load, submit, onInput, disabledMonth,
  }
}
