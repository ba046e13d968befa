// Amounts in 万元 as people type them, read by the same rules as the server's ParseWan (which reads
// every form's amount through the API and every import): thousands separators, full-width digits,
// 。 for the decimal point, 万 / 万元 after the number. server/tests/fixtures/amount_cases.json is
// the table both sides are tested against. Formatting only: nothing here computes a figure.

export const MAX_WHOLE_WAN = 900_000_000_000 // the server's limit

export type AmountError = 'validation.number' | 'validation.nonNegative' | 'validation.decimals' | 'validation.tooLarge' | 'validation.unit'
export type ParsedAmount = { ok: true; text: string } | { ok: false; error: AmountError } | { ok: true; text: '' }

/** Full-width ASCII to ASCII, the ideographic space to a blank, 。 to a point. */
function normalize(raw: string): string {
  let out = ''
  for (const ch of raw.trim()) {
    const cp = ch.codePointAt(0) ?? 0
    if (cp >= 0xff01 && cp <= 0xff5e) out += String.fromCodePoint(cp - 0xff01 + 0x21)
    else if (cp === 0x3000) out += ' '
    else if (ch === '。') out += '.'
    else out += ch
  }
  return out
}

/**
 * Reads an amount in 万元. `text` is the canonical form ("1234.5") to send; blank gives text ''.
 * Refusals name what went wrong (the messages say the unit and the expected format).
 */
export function parseWan(raw: unknown): ParsedAmount {
  if (raw === null || raw === undefined) return { ok: true, text: '' }
  let s = normalize(String(raw))
  if (s === '') return { ok: true, text: '' }
  for (const suffix of ['万元', '万']) {
    if (s.length > suffix.length && s.endsWith(suffix)) {
      s = s.slice(0, -suffix.length).replace(/ +$/, '') // blanks only, as the server (a tab before 万 is refused)
      break
    }
  }
  if (/[元万亿]$/.test(s)) return { ok: false, error: 'validation.unit' }
  s = s.replace(/[, ]/g, '')
  if (s.startsWith('-')) return { ok: false, error: 'validation.nonNegative' }
  if (s.startsWith('+')) s = s.slice(1)
  const m = /^(\d*)(?:\.(\d*))?$/.exec(s)
  if (!m || !/\d/.test(s)) return { ok: false, error: 'validation.number' }
  const whole = (m[1] ?? '').replace(/^0+(?=\d)/, '') || '0'
  const frac = m[2] ?? ''
  // Digits past the fourth decimal may only be zeros ("1.50000"), which the trailing zeros go with.
  if (/[^0]/.test(frac.slice(4))) return { ok: false, error: 'validation.decimals' }
  if (Number(whole) > MAX_WHOLE_WAN) return { ok: false, error: 'validation.tooLarge' }
  const shown = frac.replace(/0+$/, '')
  return { ok: true, text: shown ? `${whole}.${shown}` : whole }
}
