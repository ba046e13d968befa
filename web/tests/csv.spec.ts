import { describe, expect, it } from 'vitest'
import { toCsv } from '@/composables/csv'

describe('CSV for Excel and WPS', () => {
  it('starts with a BOM, ends lines with CRLF and quotes what needs it', () => {
    expect(toCsv([['项目', '金额'], ['a,b', '1.50'], ['say "hi"', null]])).toBe('\ufeff项目,金额\r\n"a,b",1.50\r\n"say ""hi""",\r\n')
  })
  it('writes a missing value as an empty cell and every other value as its text; a lone CR or LF is quoted', () => {
    expect(toCsv([[undefined, null, 0, false, 1.5], ['a\rb', 'c\nd', '']])).toBe('\ufeff,,0,false,1.5\r\n"a\rb","c\nd",\r\n')
    expect(toCsv([])).toBe('\ufeff\r\n')
  })
})
