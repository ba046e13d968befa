import { createApp } from 'vue'
import { createPinia } from 'pinia'
// Element Plus components and their styles come with the pages that use them (see vite.config.ts); its
// base styles with the signed-in shell (AppLayout): the sign-in page loads none of it.
import './styles.css'
import App from './App.vue'
import { i18n } from './locales'
import { makeRouter } from './router'
import { installInterceptors, redirectToLogin } from './api/setup'
import { useAuthStore } from './stores/auth'
import { pickLanguage, restoreLocale } from './locales'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
app.use(i18n)
const router = makeRouter()
app.use(router)

const auth = useAuthStore(pinia)
installInterceptors({
  csrfToken: () => auth.csrfToken,
  onUnauthenticated: () => {
    auth.clear()
    auth.restored = true
    redirectToLogin(router)
  },
  onForbidden: (message) => {
    const t = i18n.global.t
    const text = message && !message.startsWith('HTTP ') ? pickLanguage(message, i18n.global.locale.value) : ''
    // A 403 comes from a signed-in page, whose chunk already loaded the message box.
    void import('element-plus/es/components/message/index').then(({ ElMessage }) =>
      ElMessage({ type: 'error', message: text ? `${t('error.forbidden')}: ${text}` : t('error.forbidden'), grouping: true }),
    )
  },
})

document.documentElement.lang = i18n.global.locale.value
void restoreLocale().finally(() => app.mount('#app'))
