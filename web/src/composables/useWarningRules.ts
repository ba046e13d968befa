import { reactive, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage } from 'element-plus'
import { ApiError } from '@/api/http'
import { getWarningRules, putWarningRules } from '@/api/warnings'
import type { WarningRules } from '@/api/types'
import { useErrorText } from './useErrorText'

/** The thresholds an admin edits, in the order of the form; the server checks them and names the field. */
export const RULE_FIELDS = ['invest_yellow_points', 'invest_red_points', 'start_red_months', 'node_red_days', 'report_red_months', 'window_days'] as const
export type RuleField = (typeof RULE_FIELDS)[number]
export type RuleForm = Record<RuleField, string>

/** What PUT /api/warnings/rules gets: whole numbers as numbers, anything else as typed (the server refuses it by field). */
export function rulesBody(form: RuleForm): Record<RuleField, number | string> {
  const out = {} as Record<RuleField, number | string>
  for (const f of RULE_FIELDS) {
    const v = form[f].trim()
    out[f] = /^\d{1,9}$/.test(v) ? Number(v) : v
  }
  return out
}

/** Settings → 预警规则 (admin): the four rules' thresholds; the deadline day and schedule come from the general settings. */
export function useWarningRules() {
  const { t } = useI18n()
  const errorText = useErrorText()
  const form = reactive<RuleForm>({ invest_yellow_points: '', invest_red_points: '', start_red_months: '', node_red_days: '', report_red_months: '', window_days: '' })
  const fixed = ref<Pick<WarningRules, 'deadline_day' | 'schedule'> | null>(null)
  const errors = reactive<Record<string, string>>({})
  const alert = ref('')
  const loading = ref(false)
  const saving = ref(false)

  function fill(r: WarningRules) {
    for (const f of RULE_FIELDS) form[f] = String(r[f])
    fixed.value = { deadline_day: r.deadline_day, schedule: r.schedule }
  }
  function clearErrors() {
    for (const k of Object.keys(errors)) delete errors[k]
    alert.value = ''
  }
  async function load() {
    loading.value = true
    clearErrors()
    try {
      fill(await getWarningRules())
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
      fill(await putWarningRules(rulesBody(form) as unknown as Partial<WarningRules>))
      ElMessage.success(t('settings.saved'))
    } catch (e) {
      if (e instanceof ApiError && e.field && (RULE_FIELDS as readonly string[]).includes(e.field)) errors[e.field] = errorText(e)
      else alert.value = errorText(e)
    } finally {
      saving.value = false
    }
  }
  return { form, fixed, errors, alert, loading, saving, load, save }
}
