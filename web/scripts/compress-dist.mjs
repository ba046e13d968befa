// Writes X.br and X.gz beside every compressible file of dist/ (at their best levels), so the server
// serves them as they are to clients that accept them. Run by `npm run build` after `vite build`.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

const dist = new URL('../dist/', import.meta.url).pathname
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|ico|map)$/
const MIN_BYTES = 512 // below this the headers outweigh the saving

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) yield* walk(path)
    else yield path
  }
}

let plain = 0
let br = 0
let gz = 0
for (const path of walk(dist)) {
  if (!COMPRESSIBLE.test(path)) continue
  const body = readFileSync(path)
  if (body.length < MIN_BYTES) continue
  const b = brotliCompressSync(body, {
    params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
  })
  const g = gzipSync(body, { level: 9 })
  if (b.length < body.length) writeFileSync(`${path}.br`, b)
  if (g.length < body.length) writeFileSync(`${path}.gz`, g)
  plain += body.length
  br += Math.min(b.length, body.length)
  gz += Math.min(g.length, body.length)
}
const kb = (n) => `${(n / 1024).toFixed(0)} KiB`
console.log(`compressed dist/: ${kb(plain)} → brotli ${kb(br)}, gzip ${kb(gz)}`)
