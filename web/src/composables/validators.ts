// Validation rules shared by the forms: pure functions returning a message key (or null when valid),
// and a wrapper that turns them into Element Plus form rules checked as the user types.
import type { FormItemRule } from 'element-plus'
import { parseWan } from './numbers'

export type Check = (value: unknown) => { key: string; params?: Record<string, unknown> } | null


function isBlank(v: unknown) {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '')
}

export const required = (fieldKey: string, select = false): Check => (v) =>
  isBlank(v) || (Array.isArray(v) && v.length === 0) ? { key: select ? 'validation.requiredSelect' : 'validation.required', params: { fieldKey } } : null

/** An amount in 万元 as people type it (see numbers.ts): ≥ 0, at most four decimals. Blank passes (use `required`). */
export const amountWan: Check = (v) => {
  const r = parseWan(v) // a blank reads as text ''
  return r.ok ? null : { key: r.error }
}

/** The canonical text of an amount to send ("1,234.5万" → "1234.5"); null when blank. REQUIRES: amountWan passed. */
export function wanToSend(v: string): string | null {
  const r = parseWan(v)
  return r.ok && r.text !== '' ? r.text : null
}

export const maxLength = (n: number): Check => (v) => (typeof v === 'string' && [...v].length > n ? { key: 'validation.maxLength', params: { n } } : null)

export const codeFormat: Check = (v) => (isBlank(v) || /^[A-Za-z0-9\-_./]+$/.test(String(v).trim()) ? null : { key: 'validation.codeFormat' })

export const intRange = (min: number, max: number): Check => (v) => {
  if (isBlank(v)) return null
  const s = String(v).trim()
  if (!/^-?\d+$/.test(s)) return { key: 'validation.integer' }
  const n = Number(s)
  return n < min || n > max ? { key: 'validation.range', params: { min, max } } : null
}

/** end ≥ start for "YYYY-MM-DD" strings; either blank passes. */
export const dateOrder = (start: () => string | null | undefined): Check => (v) => {
  const s = start()
  if (isBlank(v) || isBlank(s)) return null
  return String(v) < String(s) ? { key: 'validation.dateOrder' } : null
}

/** The password policy: ≥ 8 characters from at least 3 classes (upper, lower, digit, symbol). */
export const passwordPolicy: Check = (v) => {
  const s = String(v ?? '')
  if (s.length < 8) return { key: 'password.tooShort' }
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(s)).length
  return classes < 3 ? { key: 'password.classes' } : null
}

/** Runs the checks in order; the first failure's message, translated, or null. */
export function firstError(value: unknown, checks: Check[], t: (k: string, p?: Record<string, unknown>) => string): string | null {
  for (const c of checks) {
    const r = c(value)
    if (r) {
      const params = { ...(r.params ?? {}) }
      if (typeof params.fieldKey === 'string') params.field = t(params.fieldKey)
      return t(r.key, params)
    }
  }
  return null
}

/** Element Plus rules from checks, run on input and on blur. */
export function toRules(checks: Check[], t: (k: string, p?: Record<string, unknown>) => string, isRequired = false): FormItemRule[] {
  return [
    {
      required: isRequired,
      trigger: ['change', 'blur', 'input'],
      validator: (_rule: unknown, value: unknown, callback: (e?: Error) => void) => {
        const msg = firstError(value, checks, t)
        if (msg) callback(new Error(msg))
        else callback()
      },
    },
  ]
}
