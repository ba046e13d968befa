// Formatting of values the server sent (no statistic is computed here).

/** 53148.6 → "53148.60"; keeps up to 4 decimals, at least 2. Empty for null. */
export function formatWan(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return ''
  const s = v.toFixed(4).replace(/0{1,2}$/, '')
  return groupDigits(s)
}

/** Thousands separators in a number's text, as bureaus write amounts: "1234567.50" → "1,234,567.50". Other text as is. */
export function groupDigits(text: string | null | undefined): string {
  if (!text) return text ?? ''
  const m = /^([+-]?)(\d+)(\.\d+)?$/.exec(text)
  if (!m) return text
  return `${m[1]}${m[2].replace(/\B(?=(\d{3})+$)/g, ',')}${m[3] ?? ''}`
}

/** "2026-11-25T21:04:51Z" → "2026-11-25 21:04" in local time. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`
}

export function monthKey(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, '0')}`
}

export function parseMonthKey(key: string | null | undefined): { year: number; month: number } | null {
  const m = /^(\d{4})-(\d{1,2})$/.exec(key ?? '')
  if (!m) return null
  const month = Number(m[2])
  if (month < 1 || month > 12) return null
  return { year: Number(m[1]), month }
}

/** The month after `key` ("2024-12" → "2025-01"). */
export function nextMonth(key: string): string {
  const p = parseMonthKey(key)
  if (!p) return key
  return p.month === 12 ? monthKey(p.year + 1, 1) : monthKey(p.year, p.month + 1)
}

/** The deadline of a month's report: day `day` of the following month ("2024-03", 5 → "2024-04-05"). */
export function reportDeadline(key: string, day: number): string {
  const n = nextMonth(key)
  const p = parseMonthKey(n)
  if (!p) return ''
  const last = new Date(p.year, p.month, 0).getDate()
  return `${n}-${String(Math.min(Math.max(day, 1), last)).padStart(2, '0')}`
}

export function todayKey(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`
}

/** Red or green for points ahead/behind (null: no plan). */
export function aheadClass(points: number | null | undefined): string {
  if (points === null || points === undefined) return 'kp-none'
  return points >= 0 ? 'kp-ahead' : 'kp-behind'
}

/** Whether a lock (`locked_until`, unix seconds) still holds at `nowMs`. */
export function isLocked(lockedUntil: number | null | undefined, nowMs = Date.now()): boolean {
  return typeof lockedUntil === 'number' && lockedUntil * 1000 > nowMs
}

/** Unix seconds → "2026-11-25 21:04" in local time. */
export function formatUnix(sec: number | null | undefined): string {
  return typeof sec === 'number' ? formatDateTime(new Date(sec * 1000).toISOString()) : ''
}
