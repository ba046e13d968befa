// The sheet names of an .xlsx, read in the browser (the server's dry run reads one sheet and does not list them).
// A zip's central directory names each part; xl/workbook.xml lists <sheet name="…"> in order.

const EOCD = 0x06054b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50

async function inflateRaw(data: Uint8Array): Promise<Uint8Array> {
  const source = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(data)
      c.close()
    },
  })
  const stream = source.pipeThrough(new DecompressionStream('deflate-raw') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>)
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

/** One part of a zip by name, or null (not a zip, no such part, or a compression it cannot read). */
export async function readZipEntry(bytes: Uint8Array, name: string): Promise<Uint8Array | null> {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let end = -1
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (v.getUint32(i, true) === EOCD) {
      end = i
      break
    }
  }
  if (end < 0) return null
  const count = v.getUint16(end + 10, true)
  let p = v.getUint32(end + 16, true)
  const dec = new TextDecoder()
  for (let n = 0; n < count && p + 46 <= bytes.length; n++) {
    if (v.getUint32(p, true) !== CENTRAL) return null
    const method = v.getUint16(p + 10, true)
    const size = v.getUint32(p + 20, true)
    const nameLen = v.getUint16(p + 28, true)
    const extraLen = v.getUint16(p + 30, true)
    const commentLen = v.getUint16(p + 32, true)
    const local = v.getUint32(p + 42, true)
    const entry = dec.decode(bytes.subarray(p + 46, p + 46 + nameLen))
    if (entry === name) {
      if (v.getUint32(local, true) !== LOCAL) return null
      const start = local + 30 + v.getUint16(local + 26, true) + v.getUint16(local + 28, true)
      const data = bytes.subarray(start, start + size)
      if (method === 0) return data
      if (method === 8 && typeof DecompressionStream !== 'undefined') return inflateRaw(data)
      return null
    }
    p += 46 + nameLen + extraLen + commentLen
  }
  return null
}

function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|quot|apos|amp|#(\d+)|#x([0-9a-fA-F]+));/g, (_m, e: string, d?: string, h?: string) =>
    d ? String.fromCodePoint(Number(d)) : h ? String.fromCodePoint(parseInt(h, 16)) : ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' } as Record<string, string>)[e],
  )
}

/** The sheet names listed in a workbook.xml, in order. */
export function sheetNamesFromWorkbookXml(xml: string): string[] {
  const names: string[] = []
  const re = /<(?:\w+:)?sheet\b[^>]*?\bname\s*=\s*("([^"]*)"|'([^']*)')/g
  for (let m = re.exec(xml); m; m = re.exec(xml)) names.push(unescapeXml(m[2] ?? m[3] ?? ''))
  return names
}

/** The sheet names of an .xlsx file; [] for CSV, .xls or anything it cannot read. */
export async function xlsxSheetNames(file: Blob): Promise<string[]> {
  try {
    const bytes = new Uint8Array(await file.arrayBuffer())
    if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) return []
    const wb = await readZipEntry(bytes, 'xl/workbook.xml')
    return wb ? sheetNamesFromWorkbookXml(new TextDecoder().decode(wb)) : []
  } catch {
    return []
  }
}
