import { reactive, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { useRoute, useRouter } from 'vue-router'
import { ApiError } from '@/api/http'
import { useAuthStore } from '@/stores/auth'
import { afterSignIn } from '@/router'
import { useErrorText } from './useErrorText'

type Field = 'login' | 'password'

/**
 * The sign-in form: the server's words for wrong password (with attempts left) and lockout.
 * Plain fields and their own "required" check, without Element Plus's form: the sign-in page is the
 * first thing a slow line loads (see LoginView).
 */
export function useLogin() {
  const { t } = useI18n()
  const auth = useAuthStore()
  const route = useRoute()
  const router = useRouter()
  const errorText = useErrorText()
  const form = reactive({ login: '', password: '' })
  const fieldErrors = reactive<Record<Field, string>>({ login: '', password: '' })
  const loading = ref(false)
  const error = ref<{ kind: 'locked' | 'failed'; text: string } | null>(null)
  const REQUIRED: Record<Field, string> = { login: 'login.loginRequired', password: 'login.passwordRequired' }

  /** Checks one field (on leaving it) or both (on submit); true when all checked are filled. */
  function check(...fields: Field[]): boolean {
    for (const f of fields) fieldErrors[f] = form[f].trim() ? '' : t(REQUIRED[f])
    return fields.every((f) => !fieldErrors[f])
  }

  async function submit() {
    error.value = null
    if (!check('login', 'password')) return
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

  return { form, fieldErrors, check, loading, error, submit }
}
