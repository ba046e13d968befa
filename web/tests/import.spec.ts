import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { deflateRawSync } from 'node:zlib'
import { makeI18n } from '@/locales'
import { filenameFromDisposition, interceptors, requestFile } from '@/api/http'
import { ApiError } from '@/api/http'
import type { ImportResult, ImportRowError } from '@/api/types'
import { badRows, canCommit, cellKey, cellTitle, indexErrors, percent, summaryItems, useImport } from '@/composables/useImport'
import { sheetNamesFromWorkbookXml, xlsxSheetNames } from '@/composables/xlsxSheets'
import * as transfer from '@/api/transfer'

const levelError: ImportRowError = { sheet: '项目清单', row: 3, column: '项目级别', col: 2, reason: '未知的项目级别「国家级」 (unknown level)' }
const amountError: ImportRowError = { sheet: '项目清单', row: 3, column: '总投资(万元)', col: 5, reason: '小数位数过多 (more than 4 decimals)' }
const rowError: ImportRowError = { sheet: '项目清单', row: 7, column: '', col: -1, reason: '重复的项目编码 (duplicate code)' }

describe('bad cells of an import preview', () => {
  it('files each error under its cell, and whole-row errors under the row', () => {
    const idx = indexErrors([levelError, amountError, rowError])
    expect([...idx.cells.keys()]).toEqual([cellKey(3, 2), cellKey(3, 5)])
    expect(idx.rows.get(7)).toEqual([rowError])
    expect(idx.cells.has(cellKey(3, 0))).toBe(false)
  })

  it('treats an error without a column number as a whole-row error', () => {
    const idx = indexErrors([{ row: 4, reason: 'x' }])
    expect(idx.rows.has(4)).toBe(true)
    expect(idx.cells.size).toBe(0)
  })

  it('joins every reason of one cell for the hover text, in the chosen language', () => {
    const second = { ...levelError, reason: '另一个问题 (another problem)' }
    const idx = indexErrors([levelError, second])
    expect(cellTitle(idx, 3, 2, 'zh-CN')).toBe('未知的项目级别「国家级」\n另一个问题')
    expect(cellTitle(idx, 3, 2, 'en')).toBe('unknown level\nanother problem')
    expect(cellTitle(idx, 2, 2, 'zh-CN')).toBe('')
  })

  it('lists the rows that have any error', () => {
    expect([...badRows(indexErrors([levelError, amountError, rowError]))].sort()).toEqual([3, 7])
  })
})

describe('the import button', () => {
  const file = new Blob(['a'])
  const passed: ImportResult = { ok: true, total_rows: 2, rows: [], errors: [] }
  it('is enabled only after a clean dry run of a file with rows', () => {
    expect(canCommit({ file, preview: passed, errors: [], busy: false, done: false })).toBe(true)
  })
  it('is disabled with errors, while busy, after the import, or without a file or preview', () => {
    expect(canCommit({ file, preview: { ...passed, ok: false }, errors: [levelError], busy: false, done: false })).toBe(false)
    expect(canCommit({ file, preview: passed, errors: [levelError], busy: false, done: false })).toBe(false)
    expect(canCommit({ file, preview: passed, errors: [], busy: true, done: false })).toBe(false)
    expect(canCommit({ file, preview: passed, errors: [], busy: false, done: true })).toBe(false)
    expect(canCommit({ file: null, preview: passed, errors: [], busy: false, done: false })).toBe(false)
    expect(canCommit({ file, preview: null, errors: [], busy: false, done: false })).toBe(false)
    expect(canCommit({ file, preview: { ...passed, total_rows: 0 }, errors: [], busy: false, done: false })).toBe(false)
  })
})

describe('the summary of an import', () => {
  it('shows the project counts from the nested summary', () => {
    const items = summaryItems('projects', { rows: 2, projects_created: 1, projects_updated: 1, plans_written: 2, regions_created: ['新区'] })
    expect(items.map((i) => [i.key, i.value])).toEqual([['rows', 2], ['projects_created', 1], ['projects_updated', 1], ['projects_unchanged', 0], ['plans_written', 2]])
  })
  it('shows the report counts for a report import', () => {
    expect(summaryItems('reports', { rows: 3, reports_created: 2, reports_replaced: 1 }).map((i) => i.key)).toEqual(['rows', 'reports_created', 'reports_replaced', 'reports_unchanged'])
    // the 问题台账: rows and problems written (counted by the server under projects_updated)
    expect(summaryItems('problems', { rows: 5, projects_updated: 5 })).toEqual([{ key: 'rows', value: 5 }, { key: 'problems_written', value: 5 }])
    expect(summaryItems('reports', undefined)).toEqual([])
  })
  it('rounds upload progress to whole percent within 0…100', () => {
    expect(percent(512, 1024)).toBe(50)
    expect(percent(2048, 1024)).toBe(100)
    expect(percent(1, 0)).toBe(0)
  })
})

/** A one-part zip with that part deflated, as Excel writes them. */
function zipOf(name: string, text: string): Uint8Array {
  const data = deflateRawSync(Buffer.from(text))
  const n = Buffer.from(name)
  const local = Buffer.alloc(30)
  local.writeUInt32LE(0x04034b50, 0)
  local.writeUInt16LE(8, 8)
  local.writeUInt32LE(data.length, 18)
  local.writeUInt16LE(n.length, 26)
  const central = Buffer.alloc(46)
  central.writeUInt32LE(0x02014b50, 0)
  central.writeUInt16LE(8, 10)
  central.writeUInt32LE(data.length, 20)
  central.writeUInt16LE(n.length, 28)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(1, 8)
  end.writeUInt16LE(1, 10)
  end.writeUInt32LE(46 + n.length, 12)
  end.writeUInt32LE(30 + n.length + data.length, 16)
  return new Uint8Array(Buffer.concat([local, n, data, central, n, end]))
}

describe('the sheet names of an .xlsx', () => {
  it('reads them from workbook.xml, unescaped and in order', () => {
    expect(sheetNamesFromWorkbookXml('<workbook><sheets><sheet name="填表说明" sheetId="1"/><x:sheet r:id="rId2" name="R&amp;D 项目"/></sheets></workbook>')).toEqual(['填表说明', 'R&D 项目'])
  })
  it('reads them from a deflated workbook inside the zip', async () => {
    const bytes = zipOf('xl/workbook.xml', '<workbook><sheets><sheet name="说明"/><sheet name="项目清单"/></sheets></workbook>')
    const f = { arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) } as unknown as Blob
    expect(await xlsxSheetNames(f)).toEqual(['说明', '项目清单'])
  })
  it('answers none for CSV', async () => {
    const f = { arrayBuffer: async () => new TextEncoder().encode('项目编码,项目名称\n').buffer } as unknown as Blob
    expect(await xlsxSheetNames(f)).toEqual([])
  })
})

describe('downloads', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    interceptors.clear()
  })
  it('take the UTF-8 file name the server announces', () => {
    expect(filenameFromDisposition(`attachment; filename="export.xlsx"; filename*=UTF-8''%E9%A1%B9%E7%9B%AE%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx`)).toBe('项目导入模板.xlsx')
    expect(filenameFromDisposition('attachment; filename="stats.xlsx"')).toBe('stats.xlsx')
    expect(filenameFromDisposition(null, 'x.xlsx')).toBe('x.xlsx')
  })
  it('send the file with the request interceptors and turn a failure into an ApiError', async () => {
    const fetchMock = vi.fn().mockResolvedValueOnce(new Response('PK', { status: 200, headers: { 'Content-Disposition': `attachment; filename*=UTF-8''a.xlsx` } }))
      .mockResolvedValueOnce(new Response(JSON.stringify({ error: { code: 'forbidden', message: '没有权限 (forbidden)' } }), { status: 403 }))
    vi.stubGlobal('fetch', fetchMock)
    interceptors.request.use((r) => {
      if (r.method !== 'GET') r.headers['X-CSRF-Token'] = 't'
    })
    const f = await requestFile('POST', '/api/import/projects/errors', { body: new Blob(['x']) })
    expect(f.filename).toBe('a.xlsx')
    expect(fetchMock.mock.calls[0][1].headers['X-CSRF-Token']).toBe('t')
    expect(fetchMock.mock.calls[0][1].headers['Content-Type']).toBe('application/octet-stream')
    const err = await requestFile('GET', '/api/export/stats').catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err.status).toBe(403)
  })
})

describe('useImport', () => {
  afterEach(() => vi.restoreAllMocks())

  function withImport() {
    let im!: ReturnType<typeof useImport>
    const C = defineComponent({ setup() { im = useImport(); return () => h('div') } })
    const w = mount(C, { global: { plugins: [makeI18n('zh-CN')] } })
    return { im, w }
  }
  const csv = () => new File(['项目编码\nX\n'], 'a.csv', { type: 'text/csv' })
  const bad: ImportResult = { ok: false, encoding: 'UTF-8', sheet: 'CSV', header: ['项目编码', '项目级别'], total_rows: 1, rows: [{ row: 2, cells: ['X', '国家级'] }], errors: [{ ...levelError, col: 1, row: 2 }] }
  const good: ImportResult = { ...bad, ok: true, errors: [], rows: [{ row: 2, cells: ['X', '县重点'] }] }

  it('marks the bad cell and keeps the import button off, then on once the file is fixed', async () => {
    const check = vi.spyOn(transfer, 'checkImport').mockResolvedValueOnce(bad).mockResolvedValueOnce(good)
    const { im, w } = withImport()
    await im.pick(csv())
    await flushPromises()
    expect(im.index.value.cells.has(cellKey(2, 1))).toBe(true)
    expect(im.commitEnabled.value).toBe(false)
    await im.pick(csv())
    await flushPromises()
    expect(im.errors.value).toEqual([])
    expect(im.commitEnabled.value).toBe(true)
    expect(check).toHaveBeenCalledTimes(2)
    w.unmount()
  })

  it('keeps the file and the preview when the upload fails, and a sheet choice re-runs the dry run with it', async () => {
    const check = vi.spyOn(transfer, 'checkImport').mockResolvedValueOnce(good).mockRejectedValueOnce(new ApiError(0, { code: 'network' }, '/api/import/projects'))
    const { im, w } = withImport()
    const f = csv()
    await im.pick(f)
    im.chooseSheet('项目清单')
    await flushPromises()
    expect(check.mock.calls[1][2]?.sheet).toBe('项目清单')
    expect(im.message.value).not.toBe('')
    expect(im.file.value).toBe(f)
    expect(im.preview.value).toBe(good)
    w.unmount()
  })

  it('shows the server’s bad rows when the import itself is refused', async () => {
    vi.spyOn(transfer, 'checkImport').mockResolvedValueOnce(good)
    vi.spyOn(transfer, 'commitImport').mockRejectedValueOnce(new ApiError(400, { code: 'invalid_argument', message: '导入失败 (import rejected)', rows: [{ row: 2, col: 1, column: '项目级别', reason: 'x' }] }, '/api/import/projects'))
    const { im, w } = withImport()
    await im.pick(csv())
    await im.commit()
    expect(im.errors.value).toHaveLength(1)
    expect(im.done.value).toBeNull()
    expect(im.commitEnabled.value).toBe(false)
    w.unmount()
  })

  it('tries the import again with the same file after the line dropped', async () => {
    vi.spyOn(transfer, 'checkImport').mockResolvedValueOnce(good)
    const done: ImportResult = { ...good, summary: { rows: 1, projects_created: 1 } }
    const commit = vi.spyOn(transfer, 'commitImport').mockRejectedValueOnce(new ApiError(0, { code: 'network' }, '/api/import/projects')).mockResolvedValueOnce(done)
    const { im, w } = withImport()
    const f = csv()
    await im.pick(f)
    await im.commit()
    expect(im.failed.value).toBe('commit')
    expect(im.commitEnabled.value).toBe(true)
    await im.retry()
    expect(commit).toHaveBeenCalledTimes(2)
    expect(commit.mock.calls[1][1]).toBe(f)
    expect(im.summary.value.find((s) => s.key === 'projects_created')?.value).toBe(1)
    w.unmount()
  })
})
