// Builds one deployable folder per cloud function: cloudfunctions/dist/<name>/{index.js,package.json,config.json}.
// esbuild bundles the function with the shared code; wx-server-sdk stays external (it is the
// only runtime dependency, installed by CloudBase from package.json). No TypeScript source is
// ever copied into a deployed folder.
import { build } from 'esbuild'
import { mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs'
import { resolve, join } from 'node:path'
import { createRequire } from 'node:module'

const root = resolve(import.meta.dirname, '..')
const out = join(root, 'cloudfunctions/dist')
const tmp = join(root, '.build')
mkdirSync(tmp, { recursive: true })

// Read the manifest (plain data) without loading any handler.
const manifestFile = join(tmp, 'manifest.cjs')
await build({ entryPoints: [join(root, 'cloudfunctions/src/functions/manifest.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: manifestFile, logLevel: 'warning' })
const { MANIFEST, templateVariables } = createRequire(import.meta.url)(manifestFile)
const sdkVersion = JSON.parse(readFileSync(join(root, 'node_modules/wx-server-sdk/package.json'), 'utf8')).version

rmSync(out, { recursive: true, force: true })
const sizes = {}
for (const [name, m] of Object.entries(MANIFEST)) {
  const dir = join(out, name)
  mkdirSync(dir, { recursive: true })
  const result = await build({
    stdin: {
      // The deployed entry: the production platform, the caller from the platform, the function.
      contents: [
        `import { wxPlatform, wxInvocation } from './platform/wx'`,
        `import fn from './functions/${name}'`,
        `const platform = wxPlatform()`,
        `export const main = (event) => fn.invoke(event, platform, wxInvocation(event))`,
      ].join('\n'),
      resolveDir: join(root, 'cloudfunctions/src'),
      loader: 'ts',
      sourcefile: `entry-${name}.ts`,
    },
    bundle: true,
    platform: 'node',
    target: 'node16', // CloudBase's Node.js 16.13 runtime
    format: 'cjs',
    outfile: join(dir, 'index.js'),
    external: ['wx-server-sdk'],
    minify: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  })
  sizes[name] = Object.values(result.metafile.outputs)[0].bytes
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name, version: '1.0.0', private: true, main: 'index.js', dependencies: { 'wx-server-sdk': sdkVersion } }, null, 2) + '\n',
  )
  const config = {
    permissions: { openapi: m.openapi },
    timeout: m.timeoutSec,
    // Declared in platform/templates.ts: TPL_<KEY> (fill with the template id from the 订阅消息 console)
    // and TPL_<KEY>_FIELDS (our fields → the template's keys; empty = the declared defaults).
    ...(Object.keys(templateVariables(m)).length ? { envVariables: templateVariables(m) } : {}),
    ...(m.triggers.length ? { triggers: m.triggers.map((t) => ({ name: t.name, type: 'timer', config: t.cron })) } : {}),
  }
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2) + '\n')
}
// The bundle sizes (read by `npm run bench`) go to the scratch folder: cloudfunctions/dist holds
// only the function folders DevTools lists and deploys.
writeFileSync(join(tmp, 'functions.json'), JSON.stringify({ sizes }, null, 2) + '\n')
console.log(Object.entries(sizes).map(([n, b]) => `  cloudfunctions/dist/${n}  ${(b / 1024).toFixed(1)} KB`).join('\n'))
