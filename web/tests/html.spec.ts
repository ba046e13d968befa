// HTML from data never reaches the page as markup: the chart tooltips escape every text the
// server sends (a department can type markup into a project's industry, region, unit …), and no
// source file builds HTML from an interpolated string any other way.
import { describe, expect, it } from 'vitest'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { escapeHtml, html, htmlLines, trusted } from '@/components/html'
import { barTooltip, lineTooltip } from '@/composables/useDashboard'
import type { StatsRow } from '@/api/types'

const EVIL = '<img src=x onerror=alert(1)><script>alert(2)</script>"\'&'
const t = (key: string, values?: Record<string, unknown>) => (values ? `${key}(${JSON.stringify(values)})` : key)

function expectInert(out: string) {
  expect(out).not.toMatch(/<img|<script|onerror=alert\(1\)>/)
  expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;')
}

describe('html', () => {
  it('escapes every interpolated value and keeps its own markup', () => {
    expect(escapeHtml(EVIL)).toBe('&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;&quot;&#39;&amp;')
    expect(html`<b>${EVIL}</b>`.value).toBe(`<b>${escapeHtml(EVIL)}</b>`)
    expect(html`${trusted('<span class="m"></span>')}${EVIL}`.value).toBe(`<span class="m"></span>${escapeHtml(EVIL)}`)
    expect(htmlLines([html`a`, html`${'<b>'}`])).toBe('a<br/>&lt;b&gt;')
  })

  it('plants markup in every text field of a bar and finds none in its tooltip', () => {
    const row: StatsRow = {
      key: EVIL,
      label: EVIL,
      rank: 1,
      projects: 3,
      plan_wan: 1,
      completed_wan: 1,
      completion_rate_pct: 1,
      ahead_points: 1,
      spi: 1,
      display: {
        plan_yi: EVIL,
        completed_yi: EVIL,
        completion_rate_pct: EVIL,
        ahead_points: EVIL,
      } as unknown as StatsRow['display'],
    }
    for (const [k, v] of Object.entries(row.display)) expect(v, k).toBe(EVIL)
    const out = barTooltip(t, EVIL, row)
    expectInert(out)
    expect(out.startsWith('<b>')).toBe(true)
  })

  it('plants markup in the line tooltip and keeps only the series marker as markup', () => {
    const months = [{ month: 1, completed_wan: 0, completion_rate_pct: 0, schedule_pct: 0, display: { completed_wan: EVIL, completion_rate_pct: EVIL, schedule_pct: EVIL } }]
    const out = lineTooltip(t, months, [
      { dataIndex: 0, seriesIndex: 0, marker: '<span class="marker"></span>', seriesName: EVIL },
      { dataIndex: 0, seriesIndex: 1, marker: '<span class="marker"></span>', seriesName: EVIL },
    ])
    expectInert(out)
    expect(out).toContain('<span class="marker"></span>')
  })
})

// The class, not the case: nothing in src builds markup from data outside `html`.
describe('sources', () => {
  const files: string[] = []
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name)
      if (statSync(p).isDirectory()) walk(p)
      else if (/\.(ts|vue)$/.test(name)) files.push(p)
    }
  }
  walk(join(__dirname, '..', 'src'))

  it('use no raw-HTML sinks', () => {
    for (const f of files) {
      const text = readFileSync(f, 'utf8')
      expect(text, f).not.toMatch(/v-html|innerHTML|outerHTML|insertAdjacentHTML|dangerouslyUseHTMLString|document\.write/)
    }
  })

  it('build no HTML tags in an untagged template with interpolations', () => {
    // A template literal holding a tag and a ${…}, not preceded by the `html` tag.
    const untagged = /(^|[^\w])`[^`]*<\/?[a-zA-Z][^`]*\$\{[^`]*`|(^|[^\w])`[^`]*\$\{[^`]*<\/?[a-zA-Z][^`]*`/
    for (const f of files) {
      if (f.endsWith('html.ts')) continue
      const text = readFileSync(f, 'utf8').replace(/html`[^`]*`/g, '')
      const script = f.endsWith('.vue') ? (text.match(/<script[\s\S]*?<\/script>/g) ?? []).join('\n').replace(/<\/?script[^>]*>/g, '') : text
      expect(script.match(untagged)?.[0] ?? '', f).toBe('')
    }
  })
})
