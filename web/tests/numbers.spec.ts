import { describe, expect, it } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { parseWan } from '@/composables/numbers'
import { amountWan, firstError, wanToSend } from '@/composables/validators'
import { makeI18n } from '@/locales'
import enMessages from '@/locales/en'

// The table the server's ParseWan runs too (server/tests/money_test.cc), found from the nearest folder up
// that holds it: Stryker runs this spec from a copy of web/ two levels further down (.stryker-tmp/sandbox-…),
// where a fixed '../../server' names nothing and the spec would not load at all.
function fixture(name: string): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const f = join(dir, 'server', 'tests', 'fixtures', name)
    if (existsSync(f)) return f
    if (dirname(dir) === dir) throw new Error(`${name} not found above ${__dirname}`)
  }
}
const table = JSON.parse(readFileSync(fixture('amount_cases.json'), 'utf8')) as {
  cases: { text: string; yuan?: number; wan?: string; error?: string }[]
}
const KEYS: Record<string, string> = {
  negative: 'validation.nonNegative',
  number: 'validation.number',
  decimals: 'validation.decimals',
  unit: 'validation.unit',
  tooLarge: 'validation.tooLarge',
}

describe('amounts as people type them', () => {
  // One test over the whole table, each case named in its failure (Stryker's per-test coverage did not
  // attribute the generated it.each cases: their lines counted as covered by no test).
  it('reads every case of the table as the server does', () => {
    expect(table.cases.length).toBeGreaterThanOrEqual(40)
    for (const c of table.cases) {
      const r = parseWan(c.text)
      if (c.wan !== undefined) {
        expect(r, JSON.stringify(c.text)).toEqual({ ok: true, text: c.wan })
        expect(wanToSend(c.text), JSON.stringify(c.text)).toBe(c.wan)
      } else {
        expect(r, JSON.stringify(c.text)).toEqual({ ok: false, error: KEYS[c.error!] })
      }
    }
  })

  it('reads nothing (null, undefined) as a blank, and a number as its text', () => {
    expect(parseWan(null)).toEqual({ ok: true, text: '' })
    expect(parseWan(undefined)).toEqual({ ok: true, text: '' })
    expect(parseWan(1234.5)).toEqual({ ok: true, text: '1234.5' })
    expect(parseWan(0)).toEqual({ ok: true, text: '0' })
  })

  it('lets a blank through to `required`', () => {
    expect(parseWan('  ')).toEqual({ ok: true, text: '' })
    expect(amountWan('')).toBeNull()
    expect(wanToSend('')).toBeNull()
  })

  it('says the unit and the format when refusing, in both languages', () => {
    const zh = makeI18n('zh-CN').global.t as (k: string, p?: Record<string, unknown>) => string
    const en = makeI18n('en', { en: enMessages }).global.t as (k: string, p?: Record<string, unknown>) => string
    expect(firstError('abc', [amountWan], zh)).toContain('万元')
    expect(firstError('abc', [amountWan], zh)).toContain('1,234.5')
    expect(firstError('1234元', [amountWan], zh)).toContain('0.5')
    expect(firstError('1.23456', [amountWan], en)).toContain('4 decimals')
  })
})
