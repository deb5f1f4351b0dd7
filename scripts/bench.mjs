// `npm run bench`: the project's own measurements, written to bench/results.json.
//  1. package sizes: weapp main package and each subpackage, H5 initial load (gzip) — budgets checked
//  2. cloud functions: bundle size per deployable folder and cold start (time to require + first call)
//  3. database round trips per action (counted on the local database)
//  4. latency at scale: p50/p95 of key actions on a database holding 20,000 cases
// Timings are measured here, never asserted in tests.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { build } from 'esbuild'
import { pathToFileURL } from 'node:url'

const root = resolve(import.meta.dirname, '..')
const out = {}
mkdirSync(join(root, 'bench'), { recursive: true })

// 1. sizes (needs dist/weapp and dist/h5: `npm run build`)
if (existsSync(join(root, 'dist/weapp/app.json')) && existsSync(join(root, 'dist/h5/index.html'))) {
  execFileSync(process.execPath, [join(root, 'scripts/bench-size.mjs')], { stdio: 'inherit', cwd: root })
  out.size = JSON.parse(readFileSync(join(root, 'bench/size.json'), 'utf8'))
} else console.log('(sizes skipped: run `npm run build` first)')

// 2–4. the backend, bundled once with esbuild and driven in-process
// The function build writes its bundle sizes to .build/functions.json (not among the deployables).
if (!existsSync(join(root, '.build/functions.json'))) execFileSync(process.execPath, [join(root, 'scripts/build-functions.mjs')], { cwd: root })
out.functions = JSON.parse(readFileSync(join(root, '.build/functions.json'), 'utf8'))
const file = join(root, '.build/bench-backend.cjs')
await build({ entryPoints: [join(root, 'scripts/bench-backend.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: file, packages: 'external', logLevel: 'warning' })
const { runBackendBench } = await import(pathToFileURL(file).href)
Object.assign(out, await runBackendBench(root))
writeFileSync(join(root, 'bench/results.json'), JSON.stringify(out, null, 2) + '\n')
console.log('\nwritten bench/results.json')
