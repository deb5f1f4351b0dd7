/**
 * The deployable cloud functions: `npm run build:functions` writes one folder per function with
 * plain JavaScript, package.json (wx-server-sdk its only dependency) and config.json; each loads
 * in Node without TypeScript and exports `main`. wx-server-sdk is replaced by a stub here: the
 * real one needs Tencent's cloud for every call.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { SUBSCRIBE_TEMPLATES } from '../../cloudfunctions/src/platform/templates'
import { MANIFEST } from '../../cloudfunctions/src/functions/manifest'

const root = resolve(__dirname, '../..')
const dist = join(root, 'cloudfunctions/dist')

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts/build-functions.mjs')], { cwd: root, stdio: 'pipe' })
}, 180_000) // bundles every function with esbuild: slow on a busy 2-core machine

it('writes one folder per function with index.js, package.json and config.json, and no TypeScript', () => {
  // DevTools lists every entry of cloudfunctionRoot as a function: nothing else lives there (the
  // bundle sizes for `npm run bench` go to .build/functions.json).
  expect(readdirSync(dist).sort()).toEqual(Object.keys(MANIFEST).sort())
  expect(Object.keys(JSON.parse(readFileSync(join(root, '.build/functions.json'), 'utf8')).sizes).sort()).toEqual(Object.keys(MANIFEST).sort())
  for (const name of Object.keys(MANIFEST)) {
    const dir = join(dist, name)
    expect(readdirSync(dir).sort()).toEqual(['config.json', 'index.js', 'package.json'])
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    expect(Object.keys(pkg.dependencies)).toEqual(['wx-server-sdk'])
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))
    expect(config.permissions.openapi).toEqual(MANIFEST[name].openapi)
    // Every declared subscribe-message template has its id variable and its field-mapping variable in each sending function's config.
    if (MANIFEST[name].openapi.includes('subscribeMessage.send')) {
      expect(Object.keys(config.envVariables).sort()).toEqual(Object.keys(SUBSCRIBE_TEMPLATES).flatMap((k) => [`TPL_${k.toUpperCase()}`, `TPL_${k.toUpperCase()}_FIELDS`]).sort())
    } else expect(config.envVariables).toBeUndefined()
    if (MANIFEST[name].triggers.length) expect(config.triggers[0]).toMatchObject({ type: 'timer', name: 'tick' })
  }
  expect(existsSync(join(root, 'project.config.json'))).toBe(true)
  const project = JSON.parse(readFileSync(join(root, 'project.config.json'), 'utf8'))
  expect(project.cloudfunctionRoot.replace(/\/$/, '')).toBe('cloudfunctions/dist')
})

it('DevTools opens the repository root: the weapp build carries no project file, and app.json injects components on demand', () => {
  // Needs `npm run build:weapp` (npm test builds first); DIST_DIR as in the weapp tests.
  const weapp = resolve(process.env.DIST_DIR ?? join(root, 'dist'), 'weapp')
  const project = JSON.parse(readFileSync(join(root, 'project.config.json'), 'utf8'))
  expect(project.miniprogramRoot.replace(/\/$/, '')).toBe('dist/weapp')
  // Taro would copy the root file here, with paths that are wrong from dist/weapp (config/index.ts).
  expect(existsSync(join(weapp, 'project.config.json'))).toBe(false)
  const app = JSON.parse(readFileSync(join(weapp, 'app.json'), 'utf8'))
  expect(app.lazyCodeLoading).toBe('requiredComponents')
})

it('each built function loads in plain Node (no TypeScript) and answers through main()', () => {
  // A child node process, outside jest's module system: wx-server-sdk is stubbed through
  // Module._load, and requiring any .ts file fails loudly.
  const script = `
    const Module = require('node:module')
    const calls = []
    const stub = {
      init: () => calls.push('init'),
      DYNAMIC_CURRENT_ENV: Symbol('env'),
      getWXContext: () => ({ OPENID: '' }),
      database: () => ({ command: {}, serverDate: () => ({}), collection: () => ({}) }),
      openapi: {},
    }
    const load = Module._load
    Module._load = function (req, parent, isMain) {
      if (req === 'wx-server-sdk') return stub
      if (/\\.tsx?$/.test(req)) throw new Error('a built function required TypeScript: ' + req)
      return load.call(this, req, parent, isMain)
    }
    ;(async () => {
      const out = {}
      for (const name of JSON.parse(process.argv[1])) {
        const mod = require(process.argv[2] + '/' + name + '/index.js')
        out[name] = { main: typeof mod.main, answer: await mod.main({ action: 'nope' }) }
      }
      console.log(JSON.stringify({ calls, out }))
    })().catch((e) => { console.error(e); process.exit(1) })
  `
  const names = Object.keys(MANIFEST)
  const stdout = execFileSync(process.execPath, ['-e', script, JSON.stringify(names), dist], { cwd: '/', encoding: 'utf8' })
  const { calls, out } = JSON.parse(stdout.trim().split('\n').pop()!)
  expect(calls.length).toBe(names.length)
  for (const name of names) {
    expect(out[name].main).toBe('function')
    // No OPENID: the runtime answers with an envelope; it never throws.
    expect(out[name].answer).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  }
})
