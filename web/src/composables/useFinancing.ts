import { computed, reactive, ref, shallowRef } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage } from 'element-plus'
import { ApiError } from '@/api/http'
import {
  actOnFinancing, createFinancing, exportFinancing, getFinancing, getFinancingStats, listFinancing,
  FINANCING_STAGES, FINANCING_TYPES, type NewFinancing,
  type BankAnswer, type FinancingAction, type FinancingActionBody, type FinancingBy, type FinancingDemand, type FinancingDetail,
  type FinancingStage, type FinancingStats,
} from '@/api/financing'
import { todayKey } from './format'
import { useFormErrors } from './useFormErrors'
import { useProjectSearch } from './useProjectSearch'
import { useErrorText } from './useErrorText'
import { useExport } from './useExport'

export const FINANCING_PAGE_SIZE = 50

/** The stages a demand passes on its way (未通过 stands apart). */
export const FINANCING_STEPS: FinancingStage[] = FINANCING_STAGES.filter((s) => s !== 'rejected')

/** The step bar's position: 登记 0 … 已放款 7, every step passed (8) once lent. */
export function financingStep(stage: FinancingStage): number {
  if (stage === 'disbursed') return FINANCING_STEPS.length
  return Math.max(0, FINANCING_STEPS.indexOf(stage))
}

export function financingStageTag(stage: FinancingStage): 'success' | 'warning' | 'danger' | 'info' | 'primary' {
  if (stage === 'rejected') return 'danger'
  if (stage === 'disbursed' || stage === 'signed' || stage === 'credited') return 'success'
  if (stage === 'registered' || stage === 'reviewed') return 'info'
  return 'primary'
}

export function answerTag(answer: BankAnswer | ''): 'success' | 'warning' | 'danger' | 'info' | 'primary' {
  return answer === 'interested' ? 'success' : answer === 'documents' ? 'warning' : answer === 'ineligible' ? 'danger' : answer === 'approving' ? 'primary' : 'info'
}

/** The fields each move's form shows, and which of them it needs. */
export const FINANCING_ACTION_FIELDS: Record<FinancingAction, { fields: string[]; required: string[] }> = {
  review: { fields: ['note'], required: [] },
  reject: { fields: ['note'], required: ['note'] },
  push: { fields: ['banks', 'note'], required: ['banks'] },
  answer: { fields: ['bank', 'answer', 'note'], required: ['answer'] },
  credit: { fields: ['bank', 'amount_wan', 'date', 'note'], required: ['amount_wan'] },
  contract: { fields: ['bank', 'amount_wan', 'date', 'note'], required: ['amount_wan'] },
  loan: { fields: ['bank', 'amount_wan', 'date', 'note'], required: ['amount_wan'] },
}

/** The 融资对接 list: stage filter, search, paging, export. */
export function useFinancingList() {
  const errorText = useErrorText()
  const filters = reactive({ stage: '' as FinancingStage | '', q: '', page: 1 })
  const items = shallowRef<FinancingDemand[]>([])
  const total = ref(0)
  const loading = ref(false)
  const error = ref('')
  const filtered = computed(() => !!filters.stage || !!filters.q)
  const query = () => ({ stage: filters.stage || undefined, q: filters.q || undefined })
  let seq = 0
  async function load() {
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const page = await listFinancing({ ...query(), offset: (filters.page - 1) * FINANCING_PAGE_SIZE, limit: FINANCING_PAGE_SIZE })
      if (mine !== seq) return
      items.value = page.items
      total.value = page.total
    } catch (e) {
      if (mine === seq) error.value = errorText(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  function set(patch: Partial<typeof filters>) {
    Object.assign(filters, { page: 1 }, patch)
    void load()
  }
  function reset() {
    set({ stage: '', q: '' })
  }
  const { exporting, run } = useExport()
  const exportXlsx = () => run(() => exportFinancing(query()))
  return { filters, items, total, loading, error, filtered, load, set, reset, exporting, exportXlsx }
}

/** The funnel as of a month's end (the current month unless one is picked), in total and by a grouping. */
export function useFinancingStats() {
  const errorText = useErrorText()
  const month = ref(todayKey().slice(0, 7))
  const by = ref<FinancingBy>('bank')
  const stats = shallowRef<FinancingStats | null>(null)
  const loading = ref(false)
  const error = ref('')
  async function load() {
    loading.value = true
    error.value = ''
    try {
      const [y, m] = month.value.split('-').map(Number)
      stats.value = await getFinancingStats({ year: y, month: m, by: by.value })
    } catch (e) {
      error.value = errorText(e)
    } finally {
      loading.value = false
    }
  }
  return { month, by, stats, loading, error, load }
}

/** One demand in the drawer: its steps, the banks' answers, and a form for each move the server allows now. */
export function useFinancingDetail(onChanged: (d: FinancingDemand) => void) {
  const { t } = useI18n()
  const errorText = useErrorText()
  const demand = shallowRef<FinancingDetail | null>(null)
  const loading = ref(false)
  const error = ref('')
  const action = ref<FinancingAction | null>(null)
  const form = reactive({ note: '', banks: [] as string[], bank: '', answer: '' as BankAnswer | '', amount_wan: '', date: '' })
  const saving = ref(false)
  const fieldErrors = reactive<Record<string, string>>({})
  const formError = ref('')
  let current: number | null = null
  async function open(id: number) {
    current = id
    loading.value = true
    error.value = ''
    try {
      const d = await getFinancing(id)
      if (current === id) demand.value = d
    } catch (e) {
      if (current === id) error.value = errorText(e)
    } finally {
      if (current === id) loading.value = false
    }
  }
  function close() {
    current = null
    demand.value = null
    action.value = null
  }
  const actions = computed(() => demand.value?.allowed ?? [])
  function openAction(a: FinancingAction) {
    Object.assign(form, { note: '', banks: [], answer: a === 'answer' ? 'interested' : '', amount_wan: '', date: '' })
    form.bank = demand.value?.pushes.length === 1 ? demand.value.pushes[0].bank : ''
    for (const k of Object.keys(fieldErrors)) delete fieldErrors[k]
    formError.value = ''
    action.value = a
  }
  async function submit() {
    const d = demand.value
    const a = action.value
    if (!d || !a || saving.value) return
    const fields = FINANCING_ACTION_FIELDS[a].fields
    const body: FinancingActionBody & { version: number } = { version: d.version }
    if (form.note.trim()) body.note = form.note.trim()
    if (fields.includes('banks')) body.banks = form.banks
    if (fields.includes('bank') && form.bank) body.bank = form.bank
    if (fields.includes('answer') && form.answer) body.answer = form.answer
    if (fields.includes('amount_wan')) body.amount_wan = form.amount_wan
    if (fields.includes('date') && form.date) body.date = form.date
    for (const k of Object.keys(fieldErrors)) delete fieldErrors[k]
    formError.value = ''
    saving.value = true
    try {
      const out = await actOnFinancing(d.id, a, body)
      action.value = null
      ElMessage.success(t('fin.done'))
      onChanged(out)
      await open(d.id)
    } catch (e) {
      if (e instanceof ApiError && e.field && fields.includes(e.field)) fieldErrors[e.field] = errorText(e)
      else formError.value = errorText(e)
    } finally {
      saving.value = false
    }
  }
  return { demand, loading, error, actions, action, form, saving, fieldErrors, formError, open, close, openAction, submit }
}

export interface NewFinancingForm {
  project_id: number | null
  type: string
  amount_wan: string
  year_need_wan: string
  term_years: number | null
  purpose: string
  guarantee: string
  repayment: string
  capital_wan: string
  negative_list_ok: boolean
  contact: string
  registered_on: string
}

/** What the form sends: the amounts as typed (the server checks them and names the field), empty fields left out. */
export function newFinancingBody(f: NewFinancingForm): NewFinancing {
  const body: NewFinancing = { project_id: f.project_id ?? 0, type: f.type, amount_wan: f.amount_wan.trim(), year_need_wan: f.year_need_wan.trim(), negative_list_ok: f.negative_list_ok }
  if (f.term_years !== null) body.term_years = f.term_years
  for (const k of ['purpose', 'guarantee', 'repayment', 'contact', 'registered_on'] as const) if (f[k].trim()) body[k] = f[k].trim()
  if (f.capital_wan.trim()) body.capital_wan = f.capital_wan.trim()
  return body
}

/** 登记融资需求: the bureau or an owner records a project's demand (登记); the list and the funnel reload after. */
export function useNewFinancing(onCreated: (d: FinancingDemand) => void = () => {}) {
  const { t } = useI18n()
  const errs = useFormErrors()
  const visible = ref(false)
  const saving = ref(false)
  const blank = (): NewFinancingForm => ({
    project_id: null, type: FINANCING_TYPES[0], amount_wan: '', year_need_wan: '', term_years: null, purpose: '', guarantee: '',
    repayment: '', capital_wan: '', negative_list_ok: true, contact: '', registered_on: todayKey(),
  })
  const form = reactive<NewFinancingForm>(blank())
  const { options: projectOptions, searching, search: searchProjects } = useProjectSearch()
  function open() {
    errs.clear()
    Object.assign(form, blank())
    visible.value = true
    void searchProjects('')
  }
  async function save() {
    errs.clear()
    if (!form.project_id) {
      errs.fieldErrors.project_id = t('fin.pickProject')
      return null
    }
    saving.value = true
    try {
      const d = await createFinancing(newFinancingBody(form))
      ElMessage.success(t('fin.created'))
      visible.value = false
      onCreated(d)
      return d
    } catch (e) {
      errs.show(e)
      return null
    } finally {
      saving.value = false
    }
  }
  return { visible, saving, form, projectOptions, searching, open, searchProjects, save, fieldErrors: errs.fieldErrors, formError: errs.formError }
}
