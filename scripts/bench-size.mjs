#!/usr/bin/env node
/**
 * Size bench for the built clients.
 * - weapp (dist/weapp): main package = every file not under a subpackage root from app.json;
 *   each subpackage = its root folder. WeChat's hard limit is 2 MB per package.
 * - H5 (dist/h5): initial load = index.html plus the JS/CSS it references directly, each
 *   gzipped with zlib (level 9) and summed.
 * Budgets: main ≤ 600 KB, each subpackage ≤ 300 KB, H5 initial ≤ 150 KB gzip.
 * Writes bench/size.json. With --check, exits 1 when a budget is breached (or a build is missing).
 * Usage: node scripts/bench-size.mjs [--check]
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const WEAPP = join(ROOT, 'dist', 'weapp')
const H5 = join(ROOT, 'dist', 'h5')
const OUT = join(ROOT, 'bench', 'size.json')
const BUDGET_KB = { main: 600, subpackage: 300, h5InitialGzip: 150 }
const check = process.argv.includes('--check')

const kb = (bytes) => Math.round((bytes / 1024) * 10) / 10

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  )
}

function weappSizes() {
  if (!existsSync(join(WEAPP, 'app.json'))) return null
  const app = JSON.parse(readFileSync(join(WEAPP, 'app.json'), 'utf8'))
  const roots = (app.subPackages ?? app.subpackages ?? []).map((p) => p.root.replace(/\/+$/, ''))
  const sub = Object.fromEntries(roots.map((r) => [r, 0]))
  let main = 0
  for (const file of walk(WEAPP)) {
    const rel = relative(WEAPP, file).split(sep).join('/')
    // Not uploaded by the WeChat devtools: licence notes, source maps, the project file.
    if (rel.endsWith('.LICENSE.txt') || rel.endsWith('.map') || rel === 'project.config.json') continue
    const size = statSync(file).size
    const root = roots.find((r) => rel === r || rel.startsWith(`${r}/`))
    if (root) sub[root] += size
    else main += size
  }
  return {
    mainKB: kb(main),
    subpackagesKB: Object.fromEntries(Object.entries(sub).map(([r, s]) => [r, kb(s)])),
  }
}

function h5Sizes() {
  const indexPath = join(H5, 'index.html')
  if (!existsSync(indexPath)) return null
  const html = readFileSync(indexPath)
  const refs = new Set()
  for (const m of html.toString('utf8').matchAll(/<(?:script[^>]*\ssrc|link[^>]*\shref)=["']?([^"' >]+)/g)) {
    const ref = m[1]
    if (/^(https?:)?\/\//.test(ref) || !/\.(js|css)(\?|$)/.test(ref)) continue
    refs.add(ref.replace(/^\//, '').replace(/\?.*$/, ''))
  }
  const files = [{ file: 'index.html', raw: html.length, gzip: gzipSync(html, { level: 9 }).length }]
  for (const ref of refs) {
    const buf = readFileSync(join(H5, ref))
    files.push({ file: ref, raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length })
  }
  const raw = files.reduce((s, f) => s + f.raw, 0)
  const gzip = files.reduce((s, f) => s + f.gzip, 0)
  return {
    initialRawKB: kb(raw),
    initialGzipKB: kb(gzip),
    files: files.map((f) => ({ file: f.file, rawKB: kb(f.raw), gzipKB: kb(f.gzip) })),
  }
}

const weapp = weappSizes()
const h5 = h5Sizes()
const breaches = []
if (!weapp) breaches.push('dist/weapp missing: run npm run build:weapp')
else {
  if (weapp.mainKB > BUDGET_KB.main) breaches.push(`weapp main package ${weapp.mainKB} KB > ${BUDGET_KB.main} KB`)
  for (const [root, size] of Object.entries(weapp.subpackagesKB)) {
    if (size > BUDGET_KB.subpackage) breaches.push(`weapp subpackage ${root} ${size} KB > ${BUDGET_KB.subpackage} KB`)
  }
}
if (!h5) breaches.push('dist/h5 missing: run npm run build:h5')
else if (h5.initialGzipKB > BUDGET_KB.h5InitialGzip) {
  breaches.push(`H5 initial load ${h5.initialGzipKB} KB gzip > ${BUDGET_KB.h5InitialGzip} KB`)
}

const report = { measuredAt: new Date().toISOString(), budgetsKB: BUDGET_KB, weapp, h5, breaches }
mkdirSync(dirname(OUT), { recursive: true })
writeFileSync(OUT, `${JSON.stringify(report, null, 2)}\n`)

const pad = (s, n) => String(s).padEnd(n)
console.log('weapp')
if (weapp) {
  console.log(`  ${pad('main package', 36)} ${pad(weapp.mainKB, 8)} KB  (budget ${BUDGET_KB.main})`)
  for (const [root, size] of Object.entries(weapp.subpackagesKB)) {
    console.log(`  ${pad(root, 36)} ${pad(size, 8)} KB  (budget ${BUDGET_KB.subpackage})`)
  }
} else console.log('  (not built)')
console.log('h5 initial load')
if (h5) {
  for (const f of h5.files) console.log(`  ${pad(f.file, 36)} ${pad(f.rawKB, 8)} KB  ${f.gzipKB} KB gzip`)
  console.log(`  ${pad('total', 36)} ${pad(h5.initialRawKB, 8)} KB  ${h5.initialGzipKB} KB gzip  (budget ${BUDGET_KB.h5InitialGzip} gzip)`)
} else console.log('  (not built)')
for (const b of breaches) console.log(`BUDGET: ${b}`)
console.log(`wrote ${relative(ROOT, OUT)}`)
if (check && breaches.length > 0) process.exit(1)
