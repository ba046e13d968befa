import { useI18n } from 'vue-i18n'
import { ApiError } from '@/api/http'
import { pickLanguage } from '@/locales'

/** Turns any failure into one line for the user, in the current language. */
export function errorText(e: unknown, t: (k: string) => string, locale: string): string {
  if (e instanceof ApiError) {
    if (e.status === 0) return t('error.network')
    if (e.status === 409 && (!e.message || e.message.startsWith('HTTP '))) return t('error.conflict')
    if (e.status === 403 && !e.message) return t('error.forbidden')
    if (e.message && !e.message.startsWith('HTTP ')) return pickLanguage(e.message, locale)
    if (e.status === 403) return t('error.forbidden')
    return `${t('error.generic')} (HTTP ${e.status})`
  }
  if (e instanceof Error && e.message) return e.message
  return t('error.generic')
}

export function useErrorText() {
  const { t, locale } = useI18n()
  return (e: unknown) => errorText(e, t, locale.value)
}
