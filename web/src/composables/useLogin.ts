import { reactive, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { useRoute, useRouter } from 'vue-router'
import type { FormInstance } from 'element-plus'
import { ApiError } from '@/api/http'
import { useAuthStore } from '@/stores/auth'
import { afterSignIn } from '@/router'
import { useErrorText } from './useErrorText'

/** The sign-in form: the server's words for wrong password (with attempts left) and lockout. */
export function useLogin() {
  const { t } = useI18n()
  const auth = useAuthStore()
  const route = useRoute()
  const router = useRouter()
  const errorText = useErrorText()
  const formRef = ref<FormInstance>()
  const form = reactive({ login: '', password: '' })
  const loading = ref(false)
  const error = ref<{ kind: 'locked' | 'failed'; text: string } | null>(null)
  const rules = {
    login: [{ required: true, message: () => t('login.loginRequired'), trigger: 'blur' }],
    password: [{ required: true, message: () => t('login.passwordRequired'), trigger: 'blur' }],
  }

  async function submit() {
    error.value = null
    const ok = await formRef.value?.validate().catch(() => false)
    if (formRef.value && !ok) return
    loading.value = true
    try {
      const user = await auth.signIn(form.login.trim(), form.password)
      await router.replace(afterSignIn(router, route.query.redirect, user.role))
    } catch (e) {
      form.password = ''
      // Every failed sign-in is one 401 with one message (the server tells no login from another);
      // 429 means this address failed too often and must wait.
      if (e instanceof ApiError && (e.status === 429 || e.code === 'too_many_requests')) error.value = { kind: 'locked', text: errorText(e) }
      else error.value = { kind: 'failed', text: errorText(e) }
    } finally {
      loading.value = false
    }
  }

  return { formRef, form, rules, loading, error, submit }
}
