import { computed, reactive, ref, shallowRef } from 'vue'
import { useI18n } from 'vue-i18n'
import type { EChartsCoreOption } from 'echarts/core'
import type { FormInstance, FormRules } from 'element-plus'
import { ElMessage } from 'element-plus'
import { ApiError } from '@/api/http'
import { getProject, getProjectHistory, listPlans, listProjectReports, listProjects, putPlan } from '@/api/projects'
import type { HistoryEntry, MonthlyReport, PlanRevision, ProjectDetail, ProjectStats, ReportRevision } from '@/api/types'
import { exportProjectTable, type ProjectTable } from '@/api/transfer'
import { amountWan, intRange, required, toRules, wanToSend } from './validators'
import { useExport } from './useExport'
import { useErrorText } from './useErrorText'

/** Field names in a change record → their label keys. */
export const FIELD_LABELS: Record<string, string> = {
  code: 'project.code', name: 'project.name', level: 'project.level', nature: 'project.nature', industry: 'project.industry',
  region_id: 'project.region', region: 'project.region', total_investment_wan: 'project.totalInvestment', owner: 'project.owner',
  unit: 'project.unit', person: 'project.person', leader: 'project.leader', is_demo: 'project.isDemo', status: 'project.status',
  planned_start: 'project.plannedStart', planned_end: 'project.plannedEnd', content: 'project.content',
  // a node's change, recorded under the importer's column names
  节点: 'nodes.history.node', 名称: 'nodes.history.name', 序号: 'nodes.history.seq', 计划完成日期: 'nodes.history.planned',
  实际完成日期: 'nodes.history.actual', 责任单位: 'nodes.history.unit', 责任人: 'nodes.history.person', 备注: 'nodes.history.note',
}

export function changeRows(entry: HistoryEntry) {
  // a pair is a change [before, after]; a plain value names what changed (a node's change: 节点 → its name)
  return Object.entries(entry.changes ?? {}).map(([field, pair]) => ({
    field,
    changed: Array.isArray(pair),
    before: Array.isArray(pair) ? pair[0] : null,
    after: Array.isArray(pair) ? pair[1] : pair,
  }))
}

/** One project's page: fields, plans by year, monthly reports (with a chart) and its change history. */
export function useProjectDetail(id: string) {
  const { t } = useI18n()
  const errorText = useErrorText()
  const state = ref<'loading' | 'ok' | 'forbidden' | 'notfound' | 'error'>('loading')
  const error = ref('')
  const project = shallowRef<ProjectDetail | null>(null)
  const plans = shallowRef<{ year: number; plan_wan: number; updated_at?: string; updated_by?: string }[]>([])
  const planRevisions = shallowRef<PlanRevision[]>([])
  const reports = shallowRef<MonthlyReport[]>([])
  const reportRevisions = shallowRef<ReportRevision[]>([])
  const history = shallowRef<HistoryEntry[]>([])
  const figures = shallowRef<ProjectStats | null>(null)
  const year = ref<number | null>(null)
  const subLoading = ref(false)

  async function loadProject() {
    try {
      project.value = await getProject(id)
      state.value = 'ok'
      return true
    } catch (e) {
      if (e instanceof ApiError && e.status === 403) state.value = 'forbidden'
      else if (e instanceof ApiError && e.status === 404) state.value = 'notfound'
      else {
        state.value = 'error'
        error.value = errorText(e)
      }
      return false
    }
  }

  async function loadRest() {
    subLoading.value = true
    try {
      const code = project.value?.code ?? ''
      const [p, r, h, f] = await Promise.allSettled([
        listPlans(id),
        listProjectReports(id),
        getProjectHistory(id),
        listProjects({ q: code, with_stats: true, page_size: 50 }),
      ])
      // this year's figures, as the server computes them for the project list
      figures.value = f.status === 'fulfilled' ? (f.value.items.find((x) => String(x.id) === String(id))?.stats ?? null) : null
      if (p.status === 'fulfilled') {
        plans.value = [...p.value.items].sort((a, b) => b.year - a.year)
        planRevisions.value = p.value.revisions ?? []
      } else plans.value = project.value?.plans ?? []
      if (r.status === 'fulfilled') {
        reports.value = [...r.value.items].sort((a, b) => b.month.localeCompare(a.month))
        reportRevisions.value = r.value.revisions ?? []
      }
      if (h.status === 'fulfilled') history.value = [...h.value.items].sort((a, b) => b.changed_at.localeCompare(a.changed_at))
      if (year.value === null) year.value = years.value[0] ?? null
    } finally {
      subLoading.value = false
    }
  }

  /** The change history again (after a node changed). */
  async function loadHistory() {
    try {
      const h = await getProjectHistory(id)
      history.value = [...h.items].sort((a, b) => b.changed_at.localeCompare(a.changed_at))
    } catch {
      /* the tab keeps what it had */
    }
  }

  async function load() {
    state.value = 'loading'
    if (await loadProject()) await loadRest()
  }

  const years = computed(() => {
    const s = new Set<number>()
    for (const r of reports.value) s.add(Number(r.month.slice(0, 4)))
    for (const p of plans.value) s.add(p.year)
    return [...s].sort((a, b) => b - a)
  })
  const yearReports = computed(() => reports.value.filter((r) => year.value === null || r.month.startsWith(String(year.value))))
  const yearPlan = computed(() => plans.value.find((p) => p.year === year.value) ?? null)

  const reportChart = computed<EChartsCoreOption>(() => {
    const rows = [...yearReports.value].sort((a, b) => a.month.localeCompare(b.month))
    return {
      animationDuration: 300,
      grid: { left: 60, right: 20, top: 20, bottom: 30 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: rows.map((r) => r.month) },
      yAxis: { type: 'value', name: t('common.unitWan') },
      series: [{ type: 'bar', name: t('detail.completedWan'), data: rows.map((r) => r.completed_wan), itemStyle: { color: '#1f5fa8' }, barMaxWidth: 32 }],
    }
  })

  // the plan editor
  const planDialog = ref(false)
  const planForm = reactive({ year: '', plan_wan: '' })
  const planFormRef = ref<FormInstance>()
  const planError = ref('')
  const planFieldError = reactive<Record<string, string>>({})
  const planSaving = ref(false)
  const planRules = computed<FormRules>(() => ({
    year: toRules([required('detail.planYear'), intRange(1990, 2100)], t, true),
    plan_wan: toRules([required('detail.planWan'), amountWan], t, true),
  }))
  function editPlan(p?: { year: number; plan_wan: number }, defaultYear?: number) {
    planForm.year = p ? String(p.year) : String(defaultYear ?? new Date().getFullYear())
    planForm.plan_wan = p ? String(p.plan_wan) : ''
    planError.value = ''
    for (const k of Object.keys(planFieldError)) delete planFieldError[k]
    planDialog.value = true
  }
  async function savePlan() {
    planError.value = ''
    for (const k of Object.keys(planFieldError)) delete planFieldError[k]
    const ok = await planFormRef.value?.validate().catch(() => false)
    if (planFormRef.value && !ok) return
    planSaving.value = true
    try {
      await putPlan(id, Number(planForm.year), wanToSend(planForm.plan_wan) ?? '')
      ElMessage.success(t('detail.planSaved'))
      planDialog.value = false
      await loadRest()
    } catch (e) {
      if (e instanceof ApiError && e.field) planFieldError[e.field] = errorText(e)
      else planError.value = errorText(e)
    } finally {
      planSaving.value = false
    }
  }

  // each table of the page as the server's .xlsx (the reports of the year shown)
  const { exporting, run: runExport } = useExport()
  const exportingTable = ref<ProjectTable | null>(null)
  async function exportTable(table: ProjectTable) {
    if (exporting.value) return
    exportingTable.value = table
    try {
      await runExport(() => exportProjectTable(id, table, table === 'reports' ? year.value : null))
    } finally {
      exportingTable.value = null
    }
  }

  return {
    state, error, project, figures, plans, planRevisions, reports, reportRevisions, history, year, years, yearReports, yearPlan, reportChart, subLoading,
    load, loadProject, loadRest, loadHistory,
    planDialog, planForm, planFormRef, planError, planFieldError, planSaving, planRules, editPlan, savePlan,
    exporting, exportingTable, exportTable,
  }
}
