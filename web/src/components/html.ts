// HTML built from data, escaped by construction. ECharts tooltips (and anything else that takes
// an HTML string) get their markup only through `html`: every interpolated value is escaped,
// unless it is itself `html` or marked `trusted` (markup the library made, e.g. a series marker).
// Data from the server — project names, industries, regions, units, any `display` string — is
// never trusted: a department can type markup into a field.

export class SafeHtml {
  constructor(readonly value: string) {}
  toString() {
    return this.value
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c])
}

/** Markup that did not come from data (a library's own, such as ECharts' series marker). */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup)
}

/** A tagged template: html`<b>${name}</b>` escapes `name`. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0]
  values.forEach((v, i) => {
    out += v instanceof SafeHtml ? v.value : escapeHtml(v)
    out += strings[i + 1]
  })
  return new SafeHtml(out)
}

/** Lines of markup joined with <br/>, as the string ECharts wants. */
export function htmlLines(lines: SafeHtml[]): string {
  return lines.map((l) => l.value).join('<br/>')
}
