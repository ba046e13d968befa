import { computed, reactive, ref, shallowRef } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage } from 'element-plus'
import { ApiError } from '@/api/http'
import {
  convertLead, createCarrier, createLead, exportLeads, getCarrierMatches, getLead, getLeadStats, listCarriers, listLeads,
  moveLead, updateCarrier, updateLead,
  type Carrier, type CarrierFields, type CarrierMatch, type Lead, type LeadBy, type LeadDetail, type LeadFields,
  type LeadQuery, type LeadStage, type LeadStats,
} from '@/api/leads'
import { todayKey } from './format'
import { useErrorText } from './useErrorText'
import { useExport } from './useExport'

/** The pipeline's stages in order: 线索 洽谈 签约 落地 开工 投产. */
export const LEAD_STEPS: LeadStage[] = ['lead', 'talks', 'signed', 'landed', 'started', 'producing']

/** The step bar's position: every step up to the lead's own is done; 投产 finishes the bar. */
export function leadStep(stage: LeadStage): number {
  const i = LEAD_STEPS.indexOf(stage)
  return stage === 'producing' ? LEAD_STEPS.length : Math.max(0, i)
}

export function leadStageTag(stage: LeadStage): 'success' | 'warning' | 'info' | 'primary' {
  if (stage === 'started' || stage === 'producing') return 'success'
  if (stage === 'signed' || stage === 'landed') return 'warning'
  if (stage === 'talks') return 'primary'
  return 'info'
}

/** The one hand move the server allows the caller now: the next stage, or the conversion into a project. */
export function nextMove(lead: Pick<Lead, 'moves'> | null): 'talks' | 'signed' | 'convert' | null {
  const m = lead?.moves ?? []
  if (m.includes('convert')) return 'convert'
  if (m.includes('signed')) return 'signed'
  if (m.includes('talks')) return 'talks'
  return null
}

export interface LeadForm {
  name: string
  investor: string
  industry: string
  investment_wan: string
  land_mu: string
  floor_m2: string
  output_wan: string
  tax_wan: string
  contact: string
  source: string
  staff: string
  note: string
  lead_on: string
}

export const emptyLeadForm = (): LeadForm => ({
  name: '', investor: '', industry: '', investment_wan: '', land_mu: '', floor_m2: '', output_wan: '', tax_wan: '',
  contact: '', source: '', staff: '', note: '', lead_on: '',
})

export function leadFormOf(l: Lead): LeadForm {
  return {
    name: l.name, investor: l.investor, industry: l.industry, investment_wan: String(l.investment_wan),
    land_mu: l.land_mu === '0' ? '' : l.land_mu, floor_m2: l.floor_m2 ? String(l.floor_m2) : '',
    output_wan: l.output_wan ? String(l.output_wan) : '', tax_wan: l.tax_wan ? String(l.tax_wan) : '',
    contact: l.contact, source: l.source, staff: l.staff, note: l.note, lead_on: l.lead_on,
  }
}

const MU = /^\d+(\.\d)?$/
const WAN = /^\d+(\.\d{1,4})?$/
const INT = /^\d+$/

/**
 * The body a lead form sends, or the fields that are wrong (keys of the errors name the form's fields;
 * the values are i18n keys). Empty optional numbers are left out; the server checks everything again.
 */
export function leadBody(f: LeadForm): { body: LeadFields | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {}
  const trim = (s: string) => s.trim()
  for (const k of ['name', 'investor', 'industry'] as const) if (!trim(f[k])) errors[k] = 'leads.required'
  if (!WAN.test(trim(f.investment_wan)) || Number(f.investment_wan) <= 0) errors.investment_wan = 'leads.badWan'
  for (const k of ['output_wan', 'tax_wan'] as const) if (trim(f[k]) && !WAN.test(trim(f[k]))) errors[k] = 'leads.badWan'
  if (trim(f.land_mu) && !MU.test(trim(f.land_mu))) errors.land_mu = 'leads.badMu'
  if (trim(f.floor_m2) && !INT.test(trim(f.floor_m2))) errors.floor_m2 = 'leads.badInt'
  if (Object.keys(errors).length) return { body: null, errors }
  const body: LeadFields = { name: trim(f.name), investor: trim(f.investor), industry: trim(f.industry), investment_wan: trim(f.investment_wan) }
  if (trim(f.land_mu)) body.land_mu = trim(f.land_mu)
  if (trim(f.floor_m2)) body.floor_m2 = Number(trim(f.floor_m2))
  if (trim(f.output_wan)) body.output_wan = trim(f.output_wan)
  if (trim(f.tax_wan)) body.tax_wan = trim(f.tax_wan)
  for (const k of ['contact', 'source', 'staff', 'note', 'lead_on'] as const) if (trim(f[k])) body[k] = trim(f[k])
  return { body, errors }
}

/** The lead list: stage, industry, staff and text filters; export under the same filters. */
export function useLeadList() {
  const errorText = useErrorText()
  const filters = reactive({ stage: '' as LeadStage | '', industry: '', staff: '', q: '' })
  const items = shallowRef<Lead[]>([])
  const canCreate = ref(false)
  const loading = ref(false)
  const error = ref('')
  const filtered = computed(() => !!(filters.stage || filters.industry || filters.staff || filters.q))
  const query = (): LeadQuery => ({ stage: filters.stage || undefined, industry: filters.industry || undefined, staff: filters.staff || undefined, q: filters.q || undefined })
  let seq = 0
  async function load() {
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const page = await listLeads(query())
      if (mine !== seq) return
      items.value = page.items
      canCreate.value = page.can_create
    } catch (e) {
      if (mine === seq) error.value = errorText(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  function set(patch: Partial<typeof filters>) {
    Object.assign(filters, patch)
    void load()
  }
  const { exporting, run } = useExport()
  const exportXlsx = () => run(() => exportLeads(query()))
  return { filters, items, canCreate, loading, error, filtered, load, set, exporting, exportXlsx }
}

/** The funnel of a year (this year unless one is picked), in total and by stage, industry or staff. */
export function useLeadStats() {
  const errorText = useErrorText()
  const year = ref(Number(todayKey().slice(0, 4)))
  const by = ref<LeadBy>('stage')
  const stats = shallowRef<LeadStats | null>(null)
  const loading = ref(false)
  const error = ref('')
  async function load() {
    loading.value = true
    error.value = ''
    try {
      stats.value = await getLeadStats({ year: year.value, by: by.value })
    } catch (e) {
      error.value = errorText(e)
    } finally {
      loading.value = false
    }
  }
  return { year, by, stats, loading, error, load }
}

/** A lead in the drawer: edit its fields, move it one step, convert it into a project, its carrier suggestions. */
export function useLeadDetail(onChanged: () => void) {
  const { t } = useI18n()
  const errorText = useErrorText()
  const lead = shallowRef<LeadDetail | null>(null)
  const matches = shallowRef<CarrierMatch[]>([])
  const loading = ref(false)
  const error = ref('')
  const form = reactive<LeadForm>(emptyLeadForm())
  const fieldErrors = reactive<Record<string, string>>({})
  const formError = ref('')
  const saving = ref(false)
  const moveOn = ref('')
  let current: number | null = null
  const clearErrors = () => {
    for (const k of Object.keys(fieldErrors)) delete fieldErrors[k]
    formError.value = ''
  }
  async function open(id: number | 'new') {
    clearErrors()
    matches.value = []
    moveOn.value = ''
    if (id === 'new') {
      current = null
      lead.value = null
      Object.assign(form, emptyLeadForm())
      return
    }
    current = id
    loading.value = true
    error.value = ''
    try {
      const [l, m] = await Promise.all([getLead(id), getCarrierMatches(id)])
      if (current !== id) return
      lead.value = l
      matches.value = m.items
      Object.assign(form, leadFormOf(l))
    } catch (e) {
      if (current === id) error.value = errorText(e)
    } finally {
      if (current === id) loading.value = false
    }
  }
  function fail(e: unknown) {
    if (e instanceof ApiError && e.field && e.field in form) fieldErrors[e.field] = errorText(e)
    else formError.value = errorText(e)
  }
  async function save() {
    if (saving.value) return
    clearErrors()
    const { body, errors } = leadBody(form)
    if (!body) {
      for (const [k, v] of Object.entries(errors)) fieldErrors[k] = t(v)
      return
    }
    saving.value = true
    try {
      const out = lead.value ? await updateLead(lead.value.id, { ...body, version: lead.value.version }) : await createLead(body)
      ElMessage.success(t('leads.saved'))
      onChanged()
      await open(out.id)
    } catch (e) {
      fail(e)
    } finally {
      saving.value = false
    }
  }
  // One move on the open lead (a step, the conversion): saved, announced, the list told, the lead read again.
  async function act(run: (l: LeadDetail) => Promise<string>) {
    const l = lead.value
    if (!l || saving.value) return
    clearErrors()
    saving.value = true
    try {
      ElMessage.success(await run(l))
      onChanged()
      await open(l.id)
    } catch (e) {
      fail(e)
    } finally {
      saving.value = false
    }
  }
  const on = () => moveOn.value || undefined
  const move = (to: 'talks' | 'signed') =>
    act(async (l) => (await moveLead(l.id, { version: l.version, to, on: on() }), t('leads.moved')))
  const convert = () =>
    act(async (l) => t('leads.converted', { code: (await convertLead(l.id, { version: l.version, on: on() })).created_project.code }))
  function close() {
    current = null
    lead.value = null
  }
  return { lead, matches, loading, error, form, fieldErrors, formError, saving, moveOn, open, close, save, move, convert }
}

export interface CarrierForm {
  park: string
  kind: 'land' | 'factory'
  parcel: string
  area: string
  price_yuan: string
  industries: string[]
  available: boolean
}

/** The body a carrier form sends: the area goes to 亩 (land) or m² (factory). */
export function carrierBody(f: CarrierForm): { body: CarrierFields | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {}
  if (!f.park.trim()) errors.park = 'leads.required'
  if (!f.parcel.trim()) errors.parcel = 'leads.required'
  const area = f.area.trim()
  if (f.kind === 'land' ? !MU.test(area) || Number(area) <= 0 : !INT.test(area) || Number(area) <= 0) errors.area = f.kind === 'land' ? 'leads.badMu' : 'leads.badInt'
  if (f.price_yuan.trim() && !INT.test(f.price_yuan.trim())) errors.price_yuan = 'leads.badInt'
  if (Object.keys(errors).length) return { body: null, errors }
  const body: CarrierFields = { park: f.park.trim(), kind: f.kind, parcel: f.parcel.trim(), industries: f.industries.map((i) => i.trim()).filter(Boolean), available: f.available }
  if (f.kind === 'land') body.land_mu = area
  else body.floor_m2 = Number(area)
  if (f.price_yuan.trim()) body.price_yuan = Number(f.price_yuan.trim())
  return { body, errors }
}

/** The parks' carriers: the list, and the bureau's add/edit form. */
export function useCarriers() {
  const { t } = useI18n()
  const errorText = useErrorText()
  const items = shallowRef<Carrier[]>([])
  const loading = ref(false)
  const error = ref('')
  const editing = ref<Carrier | 'new' | null>(null)
  const form = reactive<CarrierForm>({ park: '', kind: 'land', parcel: '', area: '', price_yuan: '', industries: [], available: true })
  const fieldErrors = reactive<Record<string, string>>({})
  const saving = ref(false)
  async function load() {
    loading.value = true
    error.value = ''
    try {
      items.value = (await listCarriers()).items
    } catch (e) {
      error.value = errorText(e)
    } finally {
      loading.value = false
    }
  }
  function edit(c: Carrier | 'new') {
    for (const k of Object.keys(fieldErrors)) delete fieldErrors[k]
    editing.value = c
    if (c === 'new') Object.assign(form, { park: '', kind: 'land', parcel: '', area: '', price_yuan: '', industries: [], available: true })
    else Object.assign(form, { park: c.park, kind: c.kind, parcel: c.parcel, area: c.kind === 'land' ? c.land_mu : String(c.floor_m2), price_yuan: String(c.price_yuan), industries: [...c.industries], available: c.available })
  }
  async function save() {
    for (const k of Object.keys(fieldErrors)) delete fieldErrors[k]
    const { body, errors } = carrierBody(form)
    if (!body) {
      for (const [k, v] of Object.entries(errors)) fieldErrors[k] = t(v)
      return
    }
    saving.value = true
    try {
      const c = editing.value
      if (c && c !== 'new') await updateCarrier(c.id, { ...body, version: c.version })
      else await createCarrier(body)
      ElMessage.success(t('leads.saved'))
      editing.value = null
      await load()
    } catch (e) {
      fieldErrors[e instanceof ApiError && e.field ? (e.field === 'land_mu' || e.field === 'floor_m2' ? 'area' : e.field) : 'parcel'] = errorText(e)
    } finally {
      saving.value = false
    }
  }
  return { items, loading, error, editing, form, fieldErrors, saving, load, edit, save }
}
