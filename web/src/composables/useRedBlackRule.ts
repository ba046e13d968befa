import { reactive, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage } from 'element-plus'
import { ApiError } from '@/api/http'
import { getRedBlackRule, putRedBlackRule, type RedBlackRule } from '@/api/redblack'
import { useErrorText } from './useErrorText'

export interface ExemptionRow { by: string; key: string; year: string; month: string; reason: string }
export interface RedBlackRuleForm {
  targetMode: 'schedule' | 'rate'
  rate: string
  red: string
  black: string
  exemptions: ExemptionRow[]
}

const whole = (v: string): number | string => (/^\d{1,9}$/.test(v.trim()) ? Number(v.trim()) : v.trim())

/** What PUT /api/redblack-rule gets: numbers as numbers, anything else as typed (the server refuses it by field);
 *  the rule groups are kept as loaded (edited through the API). */
export function redBlackRuleBody(form: RedBlackRuleForm, groups: RedBlackRule['groups']): RedBlackRule {
  return {
    target: form.targetMode === 'schedule' ? 'schedule' : form.rate.trim(),
    red: whole(form.red) as number,
    black: whole(form.black) as number,
    groups,
    exemptions: form.exemptions.map((e) => ({
      by: e.by, key: e.key.trim(), year: whole(e.year) as number, month: e.month.trim() === '' ? null : (whole(e.month) as number), reason: e.reason,
    })),
  }
}

/** Settings → 红黑榜规则 (admin): the target, N, and the exemptions with their reasons. */
export function useRedBlackRule() {
  const { t } = useI18n()
  const errorText = useErrorText()
  const form = reactive<RedBlackRuleForm>({ targetMode: 'schedule', rate: '', red: '5', black: '4', exemptions: [] })
  const groups = ref<RedBlackRule['groups']>([])
  const errors = reactive<Record<string, string>>({})
  const alert = ref('')
  const loading = ref(false)
  const saving = ref(false)

  function fill(r: RedBlackRule) {
    form.targetMode = r.target === 'schedule' ? 'schedule' : 'rate'
    form.rate = r.target === 'schedule' ? '' : r.target
    form.red = String(r.red)
    form.black = String(r.black)
    form.exemptions = r.exemptions.map((e) => ({ by: e.by, key: e.key, year: String(e.year), month: e.month === null ? '' : String(e.month), reason: e.reason }))
    groups.value = r.groups
  }
  function clearErrors() {
    for (const k of Object.keys(errors)) delete errors[k]
    alert.value = ''
  }
  async function load() {
    loading.value = true
    clearErrors()
    try {
      fill(await getRedBlackRule())
    } catch (e) {
      alert.value = errorText(e)
    } finally {
      loading.value = false
    }
  }
  function addExemption(year: number) {
    form.exemptions.push({ by: 'region', key: '', year: String(year), month: '', reason: '' })
  }
  function removeExemption(i: number) {
    form.exemptions.splice(i, 1)
  }
  async function save() {
    clearErrors()
    saving.value = true
    try {
      fill(await putRedBlackRule(redBlackRuleBody(form, groups.value)))
      ElMessage.success(t('settings.saved'))
    } catch (e) {
      if (e instanceof ApiError && e.field) errors[e.field === 'target' ? 'rate' : e.field] = errorText(e)
      else alert.value = errorText(e)
    } finally {
      saving.value = false
    }
  }
  return { form, groups, errors, alert, loading, saving, load, save, addExemption, removeExemption }
}
