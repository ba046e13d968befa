import { describe, expect, it } from 'vitest'
import { toCsv } from '@/composables/csv'

describe('CSV for Excel and WPS', () => {
  it('starts with a BOM, ends lines with CRLF and quotes what needs it', () => {
    expect(toCsv([['项目', '金额'], ['a,b', '1.50'], ['say "hi"', null]])).toBe('\ufeff项目,金额\r\n"a,b",1.50\r\n"say ""hi""",\r\n')
  })
})
