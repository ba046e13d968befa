import { describe, expect, it, vi } from 'vitest'
import { downloadCsv, toCsv } from '@/composables/csv'

describe('CSV for Excel and WPS', () => {
  it('starts with a BOM, ends lines with CRLF and quotes what needs it', () => {
    expect(toCsv([['项目', '金额'], ['a,b', '1.50'], ['say "hi"', null]])).toBe('\ufeff项目,金额\r\n"a,b",1.50\r\n"say ""hi""",\r\n')
  })
  it('writes a missing value as an empty cell and every other value as its text; a lone CR or LF is quoted', () => {
    expect(toCsv([[undefined, null, 0, false, 1.5], ['a\rb', 'c\nd', '']])).toBe('\ufeff,,0,false,1.5\r\n"a\rb","c\nd",\r\n')
    expect(toCsv([])).toBe('\ufeff\r\n')
  })
  it('downloads the CSV under its name, .csv added once, and frees the object URL afterwards', async () => {
    vi.useFakeTimers()
    const blobs: Blob[] = []
    const revoked: string[] = []
    const clicked: { href: string; download: string; inBody: boolean }[] = []
    const create = vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      blobs.push(b as Blob)
      return `blob:kp/${blobs.length}`
    })
    const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation((u) => void revoked.push(u))
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.href, download: this.download, inBody: document.body.contains(this) })
    })
    try {
      downloadCsv('项目', [['a', 1]])
      downloadCsv('stats.csv', [['b']])
      expect(clicked).toEqual([
        { href: 'blob:kp/1', download: '项目.csv', inBody: true },
        { href: 'blob:kp/2', download: 'stats.csv', inBody: true },
      ])
      expect(document.querySelectorAll('a').length).toBe(0)
      expect(blobs[0]!.type).toBe('text/csv;charset=utf-8')
      // The bytes: a UTF-8 BOM first (text() would drop it), then the rows.
      expect([...new Uint8Array(await blobs[0]!.arrayBuffer())]).toEqual([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('a,1\r\n')])
      expect(revoked).toEqual([])
      vi.advanceTimersByTime(1000)
      expect(revoked).toEqual(['blob:kp/1', 'blob:kp/2'])
    } finally {
      create.mockRestore()
      revoke.mockRestore()
      click.mockRestore()
      vi.useRealTimers()
    }
  })
})
