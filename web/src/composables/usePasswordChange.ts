import { computed, reactive, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import type { FormInstance, FormRules } from 'element-plus'
import { ElMessage } from 'element-plus'
import { ApiError } from '@/api/http'
import { useAuthStore } from '@/stores/auth'
import { firstError, passwordPolicy, required } from './validators'
import { useErrorText } from './useErrorText'

/** The change-password form: policy checked as the user types, the server's field error on its field. */
export function usePasswordChange(onDone: () => void) {
  const { t } = useI18n()
  const auth = useAuthStore()
  const errorText = useErrorText()
  const formRef = ref<FormInstance>()
  const form = reactive({ old_password: '', new_password: '', confirm: '' })
  const serverErrors = reactive<Record<string, string>>({})
  const saving = ref(false)
  const message = ref('')

  const check = (field: 'old_password' | 'new_password' | 'confirm') => (_r: unknown, v: unknown, cb: (e?: Error) => void) => {
    let msg: string | null = null
    if (field === 'old_password') msg = firstError(v, [required('password.old')], t)
    if (field === 'new_password') {
      msg = firstError(v, [required('password.new'), passwordPolicy], t)
      if (!msg && v === form.old_password) msg = t('password.sameAsOld')
    }
    if (field === 'confirm') msg = v !== form.new_password ? t('password.mismatch') : null
    return msg ? cb(new Error(msg)) : cb()
  }
  const rules = computed<FormRules>(() => ({
    old_password: [{ required: true, validator: check('old_password'), trigger: ['blur', 'change'] }],
    new_password: [{ required: true, validator: check('new_password'), trigger: ['blur', 'change'] }],
    confirm: [{ required: true, validator: check('confirm'), trigger: ['blur', 'change'] }],
  }))

  function reset() {
    form.old_password = ''
    form.new_password = ''
    form.confirm = ''
    message.value = ''
    for (const k of Object.keys(serverErrors)) delete serverErrors[k]
  }

  async function submit() {
    for (const k of Object.keys(serverErrors)) delete serverErrors[k]
    message.value = ''
    const ok = await formRef.value?.validate().catch(() => false)
    if (!ok) return
    saving.value = true
    try {
      await auth.changePassword(form.old_password, form.new_password)
      ElMessage.success(t('password.changed'))
      reset()
      onDone()
    } catch (e) {
      const text = errorText(e)
      if (e instanceof ApiError && e.field && ['old_password', 'new_password'].includes(e.field)) serverErrors[e.field] = text
      else message.value = text
    } finally {
      saving.value = false
    }
  }

  return { formRef, form, rules, serverErrors, saving, message, submit, reset }
}
