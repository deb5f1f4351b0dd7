// `npm run bench`: the project's own measurements, written to bench/results.json, and the budget
// table written into README.md (between the `bench:begin` / `bench:end` markers).
//  1. package sizes: weapp main package and each subpackage, H5 entry (gzip)
//  2. cloud functions: bundle size per deployable folder
//  3. the H5 first screen (chromium), cold start against require('wx-server-sdk') alone, database
//     round trips per action, booking contention (scripts/bench-backend.ts, in this process)
//  4. the bare-Taro floor: a one-page Taro app built here, now (scripts/bench-floor.mjs)
//  5. latency at district scale: every measured read and write action at 1 % and at full size, one
//     child process each (scripts/bench-scale.ts)
//  6. `budgets`: one flat list of every budgeted figure, { name, value, budget, unit, ok }
// Timings are measured here, never asserted in tests. Needs `npm run build` first (sizes, first
// screen, cold start). Settings: BENCH_SCALES (default "0.01,1"), BENCH_FLOOR=documented (skip
// the floor build and use the documented floor), BENCH_README=0 (leave README.md alone).
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import { build } from 'esbuild'
import { pathToFileURL } from 'node:url'

const started = Date.now()
const root = resolve(import.meta.dirname, '..')
const out = { measuredAt: new Date().toISOString(), machine: machine() }
mkdirSync(join(root, 'bench'), { recursive: true })
mkdirSync(join(root, '.build'), { recursive: true })
const seconds = (t0) => Math.round((Date.now() - t0) / 100) / 10
const step = (name, t0) => console.log(`  (${name}: ${seconds(t0)} s)`)

function machine() {
  const c = cpus()
  return { cpu: c[0]?.model?.trim() ?? 'unknown', cores: c.length, memoryGB: Math.round(totalmem() / 1e9), node: process.version, platform: `${process.platform}-${process.arch}` }
}

// 1. sizes (needs dist/weapp and dist/h5: `npm run build`)
let t0 = Date.now()
if (existsSync(join(root, 'dist/weapp/app.json')) && existsSync(join(root, 'dist/h5/index.html'))) {
  execFileSync(process.execPath, [join(root, 'scripts/bench-size.mjs')], { stdio: 'inherit', cwd: root })
  out.size = JSON.parse(readFileSync(join(root, 'bench/size.json'), 'utf8'))
} else console.log('(sizes skipped: run `npm run build` first)')

// 2–3. the backend, bundled once with esbuild and driven in-process
// The function build writes its bundle sizes to .build/functions.json (not among the deployables).
if (!existsSync(join(root, '.build/functions.json'))) execFileSync(process.execPath, [join(root, 'scripts/build-functions.mjs')], { cwd: root })
out.functions = JSON.parse(readFileSync(join(root, '.build/functions.json'), 'utf8'))
const file = join(root, '.build/bench-backend.cjs')
await build({ entryPoints: [join(root, 'scripts/bench-backend.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: file, packages: 'external', logLevel: 'warning' })
const { runBackendBench, TRIP_BUDGET } = await import(pathToFileURL(file).href)
Object.assign(out, await runBackendBench(root))
step('sizes, first screen, cold start, round trips, contention', t0)

// 4. the bare-Taro floor (the documented one when it cannot be built), after everything that reads dist/
const DOCUMENTED_FLOOR = { documented: true, weappKB: 316, h5GzipKB: 109, source: '../shared/ARCHITECTURE.md (3-page weapp build), README (Taro H5 runtime)' }
t0 = Date.now()
if (process.env.BENCH_FLOOR === 'documented') out.floor = DOCUMENTED_FLOOR
else {
  try {
    execFileSync(process.execPath, [join(root, 'scripts/bench-floor.mjs')], { stdio: 'inherit', cwd: root })
    out.floor = { documented: false, ...JSON.parse(readFileSync(join(root, '.build/taro-floor.json'), 'utf8')) }
  } catch (e) {
    console.log(`(the bare Taro app did not build: ${e.message.split('\n')[0]}; using the documented floor)`)
    out.floor = DOCUMENTED_FLOOR
  }
}
step('floor', t0)

// 5. latency at district scale: a fresh process per size (the full size holds ~1.5 million documents)
const scaleFile = join(root, '.build/bench-scale.cjs')
await build({ entryPoints: [join(root, 'scripts/bench-scale.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: scaleFile, packages: 'external', logLevel: 'warning' })
const scales = (process.env.BENCH_SCALES ?? '0.01,1').split(',').map(Number)
out.scale = []
for (const scale of scales) {
  t0 = Date.now()
  console.log(`\nlatency on the local cloud at ${scale * 100} % of the district (ms; 1 client, then 20 at once):`)
  const tmp = join(root, `.build/bench-scale-${scale}.json`)
  try {
    execFileSync(process.execPath, ['--max-old-space-size=8192', '--max-semi-space-size=64', scaleFile, String(scale), tmp], { stdio: 'inherit', cwd: root })
    out.scale.push(JSON.parse(readFileSync(tmp, 'utf8')))
  } catch (e) {
    console.log(`(the run at ${scale * 100} % failed: ${e.message.split('\n')[0]})`)
    out.scale.push({ scale, error: e.message.split('\n')[0], actions: [] })
  }
  step(`${scale * 100} %`, t0)
}

// 6. the one budget table
out.benchSeconds = seconds(started)
out.budgets = budgets(out)
const missed = out.budgets.filter((b) => !b.ok)
writeFileSync(join(root, 'bench/results.json'), JSON.stringify(out, null, 2) + '\n')
console.log(`\n${out.budgets.length} budgets, ${missed.length} missed:`)
for (const b of missed) console.log(`  MISSED ${b.name}: ${b.value ?? 'no value'} ${b.unit} (budget ${b.budget})${b.note ? ` — ${b.note}` : ''}`)
if (process.env.BENCH_README !== '0') updateReadme(out)
console.log(`\nwritten bench/results.json (${out.benchSeconds} s)`)

/**
 * Every budgeted figure, flat: { name, value, budget, unit, ok } (+ `floor` where the figure has
 * one, `note` where it needs one). A figure that could not be measured is missed (value null).
 */
function budgets(r) {
  const list = []
  const add = (name, value, budget, unit, extra = {}) => list.push({ name, value: value ?? null, budget, unit, ok: value !== null && value !== undefined && value <= budget, ...extra })
  const floor = r.floor ?? DOCUMENTED_FLOOR
  const floorNote = floor.documented ? 'floor: documented value (not built this run)' : undefined
  // sizes
  const b = r.size?.budgetsKB ?? { main: 600, subpackage: 300, h5InitialGzip: 150 }
  add('weapp main package', r.size?.weapp?.mainKB, b.main, 'KB', { floor: floor.weappKB, ...(floorNote ? { note: floorNote } : {}) })
  for (const [root_, kb] of Object.entries(r.size?.weapp?.subpackagesKB ?? {})) add(`weapp subpackage ${root_}`, kb, b.subpackage, 'KB')
  add('H5 entry (index.html + entry JS/CSS), gzip', r.size?.h5?.initialGzipKB, b.h5InitialGzip, 'KB', { floor: floor.h5GzipKB, ...(floorNote ? { note: floorNote } : {}) })
  add('H5 first screen (home page: every file fetched), gzip', r.h5FirstScreen?.gzipKB, 150, 'KB', { floor: floor.h5GzipKB })
  // cold start: a function's require + first answer, at most 1.5 × the SDK's own require in the same run
  const cs = r.coldStartMs
  if (cs) for (const [fn, ms] of Object.entries(cs.functions)) add(`cold start ${fn}`, ms, Math.round(cs.floorMs * 1.5), 'ms', { floor: cs.floorMs, note: 'budget: 1.5 × require(wx-server-sdk) alone' })
  // round trips (test/support/trips.ts budgets)
  for (const [label, t] of Object.entries(r.dbRoundTrips ?? {})) {
    if (t.kind === 'timer' || t.kind === 'cold') continue
    const budget = TRIP_BUDGET[t.kind]
    add(`round trips ${label}: sequential`, t.sequential, budget.sequential, 'requests')
    add(`round trips ${label}: total`, t.total, budget.total, 'requests')
  }
  // latency at district scale: p95 single client at full size; full vs 1 % (p50, each at least 1 ms)
  for (const s of r.scale ?? []) if (s.error) add(`latency run at ${s.scale * 100} %`, null, 0, '', { note: s.error })
  const full = r.scale?.find((s) => s.scale === 1) ?? r.scale?.[r.scale.length - 1]
  const small = r.scale?.find((s) => s.scale === 0.01) ?? (r.scale?.length > 1 ? r.scale[0] : null)
  for (const a of full?.actions ?? []) {
    add(`p95 ${a.name} at ${full.scale * 100} %, 1 client`, a.single?.p95, a.kind === 'read' ? 20 : 40, 'ms', a.error ? { note: a.error.slice(0, 200) } : {})
    const s = small?.actions.find((x) => x.name === a.name)
    if (small && small !== full) {
      const ratio = a.single && s?.single ? Math.round((Math.max(a.single.p50, 1) / Math.max(s.single.p50, 1)) * 100) / 100 : null
      add(`${a.name}: ${full.scale * 100} % vs ${small.scale * 100} % (p50)`, ratio, 1.5, '×', { note: 'p50 each counted as at least 1 ms (below that, timer noise)' })
    }
  }
  add('npm run bench, whole run', r.benchSeconds, 600, 's')
  return list
}

/** The README's budget table, generated between the markers of "Budgets and `npm run bench`". */
function updateReadme(r) {
  const path = join(root, 'README.md')
  const text = readFileSync(path, 'utf8')
  const begin = '<!-- bench:begin -->'
  const end = '<!-- bench:end -->'
  const i = text.indexOf(begin)
  const j = text.indexOf(end)
  if (i < 0 || j < i) {
    console.log('(README.md has no bench markers: table not written)')
    return
  }
  writeFileSync(path, `${text.slice(0, i + begin.length)}\n${readmeTable(r)}\n${text.slice(j)}`)
  console.log('README.md: budget table updated')
}

function readmeTable(r) {
  const m = r.machine
  const mark = (ok) => (ok ? '✅' : '❌')
  const by = new Map(r.budgets.map((b) => [b.name, b]))
  const lines = []
  const missed = r.budgets.filter((b) => !b.ok).length
  lines.push(
    `Latest run: ${r.measuredAt.slice(0, 16).replace('T', ' ')} UTC on ${m.cpu}, ${m.cores} cores (shared with other work), ${m.memoryGB} GB, Node ${m.node}; ${r.budgets.length} budgets, ${missed} missed; the whole run took ${Math.round(r.benchSeconds)} s. Generated by \`npm run bench\` from \`bench/results.json\`; timings are from this run on this machine, never asserted in tests.`,
    '',
    '| budget | measured | limit | |',
    '|---|---|---|---|',
  )
  const row = (name, measured, limit, ok) => lines.push(`| ${name} | ${measured} | ${limit} | ${mark(ok)} |`)
  const floorText = (b) => (b.floor !== undefined ? ` (bare Taro: ${b.floor} ${b.unit}${b.note?.startsWith('floor: documented') ? ', documented' : ''})` : '')
  for (const b of r.budgets.filter((x) => x.unit === 'KB')) row(`${b.name}${floorText(b)}`, `${b.value ?? '—'} KB`, `≤ ${b.budget} KB`, b.ok)
  const cold = r.budgets.filter((x) => x.name.startsWith('cold start '))
  if (cold.length) {
    const worst = cold.reduce((a, x) => ((x.value ?? Infinity) > (a.value ?? Infinity) ? x : a))
    row(`cold start, slowest of ${cold.length} functions (${worst.name.slice(11)}); require('wx-server-sdk') alone ${worst.floor} ms`, `${worst.value} ms`, `≤ ${worst.budget} ms (1.5 × the SDK alone)`, cold.every((x) => x.ok))
  }
  const total = by.get('npm run bench, whole run')
  if (total) row('`npm run bench`, whole run', `${total.value} s`, '≤ 600 s', total.ok)
  const allTrips = r.dbRoundTrips ?? {}
  const trips = Object.entries(allTrips).filter(([, t]) => t.kind === 'read' || t.kind === 'write')
  if (trips.length) {
    lines.push(
      '',
      'Database round trips per action on the demo data, on a warm instance (sequential waits / total requests; budget: a read ≤ 2 / ≤ 3, a write ≤ 3 / ≤ 6). The last column is the same action the first time on a fresh instance (its caches of places, grid names and settings empty): reported, not budgeted.',
      '',
      '| action | kind | measured | | cold instance |',
      '|---|---|---|---|---|',
    )
    for (const [label, t] of trips) {
      const ok = by.get(`round trips ${label}: sequential`)?.ok && by.get(`round trips ${label}: total`)?.ok
      const cold = allTrips[`${label} (cold instance)`]
      lines.push(`| ${label} | ${t.kind} | ${t.sequential} / ${t.total} | ${mark(ok)} | ${cold ? `${cold.sequential} / ${cold.total}` : ''} |`)
    }
  }
  const full = r.scale?.find((s) => s.scale === 1) ?? r.scale?.[r.scale.length - 1]
  const small = r.scale?.find((s) => s.scale === 0.01) ?? (r.scale?.length > 1 ? r.scale[0] : null)
  if (full?.counts) {
    const counts = Object.entries(full.counts).sort((a, b) => b[1] - a[1])
    const docs = counts.reduce((n, [, c]) => n + c, 0)
    lines.push(
      '',
      `Latency at district scale on the local cloud (ms, through the runtime, rate limits on). Full size: ${docs.toLocaleString('en')} documents seeded in ${Math.round(full.seedMs / 1000)} s (${counts
        .slice(0, 8)
        .map(([k, c]) => `${k} ${c.toLocaleString('en')}`)
        .join(', ')} …)${small && small !== full ? `; ${small.scale * 100} %: seeded in ${Math.round(small.seedMs / 1000)} s` : ''}. Budget: p95 of one client ≤ 20 ms for a read, ≤ 40 ms for a write, and p50 at full size ≤ 1.5 × p50 at 1 % (each counted as at least 1 ms). One client makes 30 calls (its p99 is their maximum), then ${full.clients} clients make 2 each at once: reported, not budgeted.`,
      '',
      `| action | kind | 1 client p50 / p95 / p99 | ${small && small !== full ? `p50 at ${small.scale * 100} % | ratio | ` : ''}${full.clients} clients p50 / p95, calls/s | |`,
      `|---|---|---|${small && small !== full ? '---|---|' : ''}---|---|`,
    )
    for (const a of full.actions) {
      const s = small?.actions.find((x) => x.name === a.name)
      const p95 = by.get(`p95 ${a.name} at ${full.scale * 100} %, 1 client`)
      const ratio = by.get(`${a.name}: ${full.scale * 100} % vs ${small?.scale * 100} % (p50)`)
      const single = a.single ? `${a.single.p50} / ${a.single.p95} / ${a.single.p99}` : `error: ${a.error?.slice(0, 80) ?? '—'}`
      const conc = a.concurrent ? `${a.concurrent.p50} / ${a.concurrent.p95}, ${a.concurrent.perSecond}` : '—'
      const mid = small && small !== full ? `${s?.single?.p50 ?? '—'} | ${ratio?.value ?? '—'}× | ` : ''
      lines.push(`| ${a.name} | ${a.kind} | ${single} | ${mid}${conc} | ${mark(p95?.ok && (ratio ? ratio.ok : true))} |`)
    }
  }
  return lines.join('\n')
}
