import { createApp } from 'vue'
import { createPinia } from 'pinia'
import { ElMessage } from 'element-plus'
// Components and their styles come with the pages that use them (see vite.config.ts); the messages and
// boxes opened from scripts need theirs here.
import 'element-plus/theme-chalk/base.css'
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import 'element-plus/es/components/notification/style/css'
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
    ElMessage({ type: 'error', message: text ? `${t('error.forbidden')}: ${text}` : t('error.forbidden'), grouping: true })
  },
})

document.documentElement.lang = i18n.global.locale.value
void restoreLocale().finally(() => app.mount('#app'))
