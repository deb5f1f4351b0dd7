#!/usr/bin/env node
/**
 * The bare-Taro floor for `npm run bench`: a one-page Taro app (a View and a Text) written to
 * .build/taro-floor with this project's own toolchain (the same node_modules, babel.config.js,
 * browserslist and output settings), built for weapp and for H5. Its sizes are what any page set
 * starts from; the bench reports ours against them.
 *   weapp: the whole output (one package), measured as bench-size.mjs measures the main package
 *   h5:    every .html/.js/.css file of the output, gzipped (level 9, as bench-size.mjs): a
 *          one-page app downloads all of it for its first screen
 * Writes .build/taro-floor.json. Usage: node scripts/bench-floor.mjs
 */
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const DIR = join(ROOT, '.build', 'taro-floor')
const kb = (bytes) => Math.round((bytes / 1024) * 10) / 10
const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]))

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
const files = {
  'package.json': JSON.stringify({ name: 'taro-floor', private: true, browserslist: pkg.browserslist }, null, 2),
  'config/index.js': `const { defineConfig } = require('@tarojs/cli')
module.exports = defineConfig(() => ({
  projectName: 'taro-floor',
  date: '2025-11-21',
  designWidth: 375,
  deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
  sourceRoot: 'src',
  outputRoot: 'dist/' + (process.env.TARO_ENV || 'weapp'),
  projectConfigName: 'project.config.none.json',
  framework: 'react',
  compiler: 'webpack5',
  cache: { enable: false },
  mini: {},
  h5: {
    publicPath: '/',
    staticDirectory: 'static',
    router: { mode: 'hash' },
    output: { filename: 'js/[name].[contenthash:8].js', chunkFilename: 'js/[name].[contenthash:8].js' },
    miniCssExtractPluginOption: { ignoreOrder: true, filename: 'css/[name].[contenthash:8].css', chunkFilename: 'css/[name].[contenthash:8].css' },
  },
}))
`,
  'src/app.config.js': `export default defineAppConfig({ pages: ['pages/index/index'], window: { navigationBarTitleText: 'floor' } })\n`,
  'src/app.js': `export default function App({ children }) {\n  return children\n}\n`,
  'src/pages/index/index.config.js': `export default definePageConfig({ navigationBarTitleText: 'floor' })\n`,
  'src/pages/index/index.jsx': `import { View, Text } from '@tarojs/components'\n\nexport default function Index() {\n  return (\n    <View>\n      <Text>Hello</Text>\n    </View>\n  )\n}\n`,
}

// A run that failed mid-build left the link: remove the link itself before the folder.
try {
  if (lstatSync(join(DIR, 'node_modules')).isSymbolicLink()) unlinkSync(join(DIR, 'node_modules'))
} catch {
  // no link
}
rmSync(DIR, { recursive: true, force: true })
for (const [name, text] of Object.entries(files)) {
  mkdirSync(dirname(join(DIR, name)), { recursive: true })
  writeFileSync(join(DIR, name), text)
}
copyFileSync(join(ROOT, 'babel.config.js'), join(DIR, 'babel.config.js'))
copyFileSync(join(ROOT, 'src/index.html'), join(DIR, 'src/index.html'))
symlinkSync(join(ROOT, 'node_modules'), join(DIR, 'node_modules'), 'dir')

const taro = join(ROOT, 'node_modules/@tarojs/cli/bin/taro')
const out = { builtAt: new Date().toISOString(), seconds: {} }
for (const type of ['weapp', 'h5']) {
  const t0 = Date.now()
  try {
    execFileSync(process.execPath, [taro, 'build', '--type', type], { cwd: DIR, stdio: 'pipe', env: { ...process.env, NODE_ENV: 'production' }, maxBuffer: 64 * 1024 * 1024 })
  } catch (e) {
    process.stderr.write(String(e.stderr ?? '').slice(-4000))
    throw e
  }
  out.seconds[type] = Math.round((Date.now() - t0) / 100) / 10
}
const weapp = join(DIR, 'dist/weapp')
out.weappKB = kb(
  walk(weapp)
    .filter((f) => {
      const rel = relative(weapp, f).split(sep).join('/')
      return !rel.endsWith('.LICENSE.txt') && !rel.endsWith('.map') && rel !== 'project.config.json'
    })
    .reduce((n, f) => n + statSync(f).size, 0),
)
const h5 = join(DIR, 'dist/h5')
out.h5GzipKB = kb(
  walk(h5)
    .filter((f) => /\.(html|js|css)$/.test(f))
    .reduce((n, f) => n + gzipSync(readFileSync(f), { level: 9 }).length, 0),
)
if (!existsSync(join(h5, 'index.html'))) throw new Error('the floor H5 build wrote no index.html')
// The link to our node_modules is only for the build: no tool walking .build should follow it.
unlinkSync(join(DIR, 'node_modules'))
writeFileSync(join(ROOT, '.build/taro-floor.json'), `${JSON.stringify(out, null, 2)}\n`)
console.log(`bare Taro floor: weapp ${out.weappKB} KB, H5 ${out.h5GzipKB} KB gzip (built in ${out.seconds.weapp} s + ${out.seconds.h5} s)`)
