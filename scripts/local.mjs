// Bundles the local cloud (TypeScript) with esbuild and runs it: no ts-node, no tsx.
import { build } from 'esbuild'
import { pathToFileURL } from 'node:url'
import { resolve } from 'node:path'

const outfile = resolve('.build/local-cloud.cjs')
await build({
  entryPoints: ['cloudfunctions/src/local/main.ts'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile,
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
})
await import(pathToFileURL(outfile).href)
