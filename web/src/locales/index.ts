import { createI18n } from 'vue-i18n'
import zhCN from './zh-CN'

export type Locale = 'zh-CN' | 'en'
export const LOCALE_KEY = 'kp.locale'

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(LOCALE_KEY)
    if (saved === 'en' || saved === 'zh-CN') return saved
  } catch {
    /* no storage */
  }
  return 'zh-CN'
}

/** An i18n instance; English is loaded on demand (loadLocale), or given here (tests). */
export function makeI18n(locale: Locale = 'zh-CN', extra: { en?: typeof zhCN } = {}) {
  return createI18n({
    legacy: false,
    locale,
    fallbackLocale: 'zh-CN',
    messages: { 'zh-CN': zhCN, ...extra } as Record<string, typeof zhCN>,
    missingWarn: false,
    fallbackWarn: false,
  })
}

export const i18n = makeI18n()

/** Fetches a language's messages once (Chinese is always there; English is a chunk of its own). */
export async function loadLocale(locale: Locale) {
  if (locale === 'en' && !i18n.global.availableLocales.includes('en')) {
    i18n.global.setLocaleMessage('en', (await import('./en')).default as typeof zhCN)
  }
}

/** The language remembered in this browser, loaded and switched to (before the app mounts). */
export async function restoreLocale() {
  const locale = initialLocale()
  if (locale !== 'zh-CN') await setLocale(locale)
}

export async function setLocale(locale: Locale) {
  await loadLocale(locale)
  i18n.global.locale.value = locale
  document.documentElement.lang = locale
  try {
    localStorage.setItem(LOCALE_KEY, locale)
  } catch {
    /* no storage */
  }
}

/** Data values stored in Chinese (levels, statuses …) and the message key that names each. */
const ENUM_KEYS: Record<string, Record<string, string>> = {
  level: { 省重点: 'provincial', 市重点: 'municipal', 县重点: 'county' },
  status: { 前期: 'preparation', 新开工: 'newStart', 续建: 'continued', 在建: 'underConstruction', 竣工: 'completed', 投产: 'operating', 停缓建: 'suspended' },
  nature: { 新建: 'new', 续建: 'continued', 改扩建: 'rebuildExpand', 扩建: 'expansion', 改建: 'renovation', 迁建: 'relocation' },
  demo: { 示范项目: 'demo', 非示范项目: 'nonDemo' },
}

/** The label of a stored value in the current language (the value itself when unknown). */
export function enumLabel(t: (k: string) => string, kind: string, value: string | null | undefined): string {
  if (value === null || value === undefined) return ''
  const key = ENUM_KEYS[kind]?.[value]
  return key ? t(`enum.${kind}.${key}`) : value
}

/**
 * Server messages come as "中文 (english)…": keep the half of the current language.
 * "小数位数过多 (more than 4 decimals in 万元): 1.23456" → zh "小数位数过多: 1.23456", en "more than 4 decimals in 万元: 1.23456".
 */
export function pickLanguage(message: string, locale: string): string {
  const m = /^(.*?)\s*\(([^()]*[A-Za-z][^()]*)\)(.*)$/s.exec(message)
  if (!m) return message
  return locale === 'en' ? (m[2] + m[3]).trim() : (m[1] + m[3]).trim()
}
