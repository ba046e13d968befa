import { reactive, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage, ElMessageBox } from 'element-plus'
import { ApiError } from '@/api/http'
import {
  getAssessmentScheme, putAssessmentScheme, resetAssessmentScheme,
  type AssessMeasure, type AssessmentScheme, type AssessmentSchemeItem,
} from '@/api/assessment'
import { useErrorText } from './useErrorText'

/** The parameters each measure has (besides the full points), in the order the form shows them. */
export type ParamKey = 'base' | 'below' | 'above' | 'beyond_from' | 'beyond' | 'cap' | 'per_start' | 'start_limit' | 'rate_bonus' | 'small_max' | 'small_pct' | 'large_pct' | 'late_penalty'
export const MEASURE_PARAMS: Record<AssessMeasure, ParamKey[]> = {
  completion: ['base', 'below', 'above', 'beyond_from', 'beyond', 'cap'],
  starts: ['base', 'per_start', 'start_limit', 'rate_bonus', 'small_max', 'small_pct', 'large_pct', 'late_penalty'],
  nodes: [],
  problems: [],
  reports: [],
  manual: [],
  tour: [],
}
const INT_PARAMS: ParamKey[] = ['start_limit', 'small_max']

// A new item's parameters: the 2020 city scheme's (PRACTICES.md §5), to be changed by the bureau.
const STARTING: Record<'completion' | 'starts', Partial<Record<ParamKey, string>>> = {
  completion: { base: '25', below: '0.1', above: '0.2', beyond_from: '130', beyond: '0.1', cap: '10' },
  starts: { base: '10', per_start: '1', start_limit: '10', rate_bonus: '5', small_max: '5', small_pct: '80', large_pct: '70', late_penalty: '3' },
}

export interface SchemeItemRow extends Record<ParamKey, string> {
  name: string
  measure: AssessMeasure
  max: string
  rank_bonus: { to_rank: string; points: string }[]
}
export interface AdjustmentRow { by: 'region' | 'unit'; key: string; year: string; month: string; item: string; points: string; reason: string }
export interface SchemeForm { name: string; items: SchemeItemRow[]; adjustments: AdjustmentRow[] }

const whole = (v: string): number | string => (/^\d{1,9}$/.test(v.trim()) ? Number(v.trim()) : v.trim())

function blankParams(measure: AssessMeasure): Record<ParamKey, string> {
  const out = {} as Record<ParamKey, string>
  for (const k of [...MEASURE_PARAMS.completion, ...MEASURE_PARAMS.starts]) out[k] = ''
  if (measure === 'completion' || measure === 'starts') Object.assign(out, STARTING[measure])
  return out
}

/** A row of the form from the server's item (every value as text). */
export function itemRow(it: AssessmentSchemeItem): SchemeItemRow {
  const row: SchemeItemRow = { ...blankParams(it.measure), name: it.name, measure: it.measure, max: it.max, rank_bonus: [] }
  for (const k of MEASURE_PARAMS[it.measure]) {
    const v = it[k]
    if (v !== undefined && v !== null) row[k] = String(v)
  }
  row.rank_bonus = (it.rank_bonus ?? []).map((b) => ({ to_rank: String(b.to_rank), points: b.points }))
  return row
}

/** What PUT /api/assessment-scheme gets: each item with only its measure's parameters, decimals as typed text,
 *  counts as numbers when they are whole (anything else as typed: the server refuses it naming the field). */
export function schemeBody(form: SchemeForm): unknown {
  return {
    name: form.name.trim(),
    items: form.items.map((r) => {
      const o: Record<string, unknown> = { name: r.name.trim(), measure: r.measure, max: r.max.trim() }
      for (const k of MEASURE_PARAMS[r.measure]) o[k] = INT_PARAMS.includes(k) ? whole(r[k]) : r[k].trim()
      if (r.measure === 'completion') o.rank_bonus = r.rank_bonus.map((b) => ({ to_rank: whole(b.to_rank), points: b.points.trim() }))
      return o
    }),
    adjustments: form.adjustments.map((a) => ({
      by: a.by, key: a.key.trim(), year: whole(a.year), month: a.month.trim() === '' ? null : whole(a.month), item: a.item, points: a.points.trim(), reason: a.reason,
    })),
  }
}

// The fields the form shows: a server error naming one of them goes under it, anything else above the buttons.
const SHOWN = /^(name|items\[\d+\]\.(name|measure|max|base|below|above|beyond_from|beyond|cap|per_start|start_limit|rate_bonus|small_max|small_pct|large_pct|late_penalty|rank_bonus\[\d+\]\.(to_rank|points))|adjustments\[\d+\]\.(by|key|year|month|item|points|reason))$/

/** Settings → 考核办法 (admin): the scheme's items, their measures and points, the bureau's 加减分 with reasons,
 *  and a reset to the 2020 city scheme. The server checks every value and names the field. */
export function useAssessmentScheme() {
  const { t } = useI18n()
  const errorText = useErrorText()
  const form = reactive<SchemeForm>({ name: '', items: [], adjustments: [] })
  const errors = reactive<Record<string, string>>({})
  const alert = ref('')
  const loading = ref(false)
  const saving = ref(false)
  const resetting = ref(false)

  function fill(s: AssessmentScheme) {
    form.name = s.name
    form.items = s.items.map(itemRow)
    form.adjustments = s.adjustments.map((a) => ({
      by: a.by, key: a.key, year: String(a.year), month: a.month === null ? '' : String(a.month), item: a.item, points: a.points, reason: a.reason,
    }))
  }
  function clearErrors() {
    for (const k of Object.keys(errors)) delete errors[k]
    alert.value = ''
  }
  function show(e: unknown) {
    if (e instanceof ApiError && e.field && SHOWN.test(e.field)) {
      // Under its field the message need not name the field's path again ("items[0].max 应为…" → "应为…").
      const text = errorText(e)
      errors[e.field] = text.startsWith(`${e.field} `) ? text.slice(e.field.length + 1) : text
    } else alert.value = errorText(e)
  }
  async function load() {
    loading.value = true
    clearErrors()
    try {
      fill(await getAssessmentScheme())
    } catch (e) {
      alert.value = errorText(e)
    } finally {
      loading.value = false
    }
  }
  async function save() {
    clearErrors()
    saving.value = true
    try {
      fill(await putAssessmentScheme(schemeBody(form)))
      ElMessage.success(t('settings.saved'))
    } catch (e) {
      show(e)
    } finally {
      saving.value = false
    }
  }
  async function reset() {
    try {
      await ElMessageBox.confirm(t('assessment.scheme.resetConfirm'), t('assessment.scheme.reset'), {
        type: 'warning', confirmButtonText: t('assessment.scheme.reset'), cancelButtonText: t('common.cancel'),
      })
    } catch {
      return
    }
    clearErrors()
    resetting.value = true
    try {
      fill(await resetAssessmentScheme())
      ElMessage.success(t('assessment.scheme.resetDone'))
    } catch (e) {
      show(e)
    } finally {
      resetting.value = false
    }
  }
  function addItem() {
    form.items.push({ ...blankParams('nodes'), name: '', measure: 'nodes', max: '5', rank_bonus: [] })
  }
  function removeItem(i: number) {
    form.items.splice(i, 1)
  }
  /** A new measure brings its parameters' starting values where the row has none. */
  function setMeasure(i: number, m: AssessMeasure) {
    const row = form.items[i]
    row.measure = m
    if (m === 'completion' || m === 'starts') {
      for (const [k, v] of Object.entries(STARTING[m])) if (row[k as ParamKey] === '') row[k as ParamKey] = v as string
    }
  }
  function addBonus(i: number) {
    form.items[i].rank_bonus.push({ to_rank: '', points: '' })
  }
  function removeBonus(i: number, j: number) {
    form.items[i].rank_bonus.splice(j, 1)
  }
  function addAdjustment(year: number) {
    const manual = form.items.find((it) => it.measure === 'manual')
    form.adjustments.push({ by: 'region', key: '', year: String(year), month: '', item: manual?.name ?? '', points: '', reason: '' })
  }
  function removeAdjustment(i: number) {
    form.adjustments.splice(i, 1)
  }
  const err = (field: string) => errors[field] ?? ''
  return {
    form, errors, alert, loading, saving, resetting, load, save, reset, addItem, removeItem, setMeasure, addBonus, removeBonus, addAdjustment, removeAdjustment, err,
  }
}
