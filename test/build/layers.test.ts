/**
 * The layer rules of eslint.config.mjs, checked on sample sources placed (virtually) in each
 * layer: a forbidden import is an error, an allowed one is not. If a rule is loosened by
 * mistake, this fails.
 */
import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'

const root = resolve(__dirname, '../..')

// ESLint runs in a child process: its flat config is an ES module, which jest's VM cannot load.
// One process lints every sample (starting ESLint with typescript-eslint takes seconds: once per
// sample made this file the slowest of the suite on a busy machine).
const LINT_ALL = `
const { ESLint } = require('eslint')
;(async () => {
  const samples = JSON.parse(require('node:fs').readFileSync(0, 'utf8'))
  const eslint = new ESLint({ cwd: process.cwd() })
  const out = []
  for (const { file, code } of samples) {
    const [result] = await eslint.lintText(code, { filePath: file })
    out.push(result.messages.filter((m) => m.severity === 2).map((m) => m.ruleId + ': ' + m.message))
  }
  process.stdout.write(JSON.stringify(out))
})().catch((err) => { console.error(err); process.exit(1) })
`
const linted = new Map<string, string[]>()
const key = (file: string, code: string) => `${file}\n${code}`

async function errors(file: string, code: string): Promise<string[]> {
  const found = linted.get(key(resolve(root, file), code))
  if (!found) throw new Error(`not linted: ${file}`)
  return found
}

const FORBIDDEN: Array<[string, string, string]> = [
  ['shared imports Taro', 'src/shared/rules/x.ts', "import Taro from '@tarojs/taro'\nexport const a = Taro"],
  ['shared imports react', 'src/shared/x.ts', "import { useState } from 'react'\nexport const a = useState"],
  ['shared imports the backend', 'src/shared/x.ts', "import { serve } from '../../cloudfunctions/src/runtime/serve'\nexport const a = serve"],
  ['a handler imports wx-server-sdk', 'cloudfunctions/src/handlers/cases/x.ts', "import cloud from 'wx-server-sdk'\nexport const a = cloud"],
  ['the runtime imports wx-server-sdk', 'cloudfunctions/src/runtime/x.ts', "import cloud from 'wx-server-sdk'\nexport const a = cloud"],
  ['a page imports function code', 'src/pages/home/x.tsx', "import { submit } from '../../../cloudfunctions/src/handlers/cases/submit'\nexport const a = submit"],
  ['a page calls the cloud directly', 'src/pages/home/x.tsx', "import Taro from '@tarojs/taro'\nexport const a = () => Taro.cloud.callFunction({ name: 'user' })"],
  ['a component imports wx-server-sdk', 'src/components/x.tsx', "import cloud from 'wx-server-sdk'\nexport const a = cloud"],
]

const ALLOWED: Array<[string, string, string]> = [
  ['shared imports zod and dayjs', 'src/shared/x.ts', "import { z } from 'zod/mini'\nimport dayjs from 'dayjs'\nexport const a = [z, dayjs]"],
  ['the wx adapter imports wx-server-sdk', 'cloudfunctions/src/platform/wx/x.ts', "import cloud from 'wx-server-sdk'\nexport const a = cloud"],
  ['the client gateway calls the cloud', 'src/services/x.ts', "import Taro from '@tarojs/taro'\nexport const a = () => Taro.cloud.callFunction({ name: 'user' })"],
  ['a page imports services and shared', 'src/pages/home/x.tsx', "import { call } from '@/services/gateway'\nimport { userApi } from '@/shared/api/user'\nexport const a = [call, userApi]"],
]

beforeAll(() => {
  const samples = [...FORBIDDEN, ...ALLOWED].map(([, file, code]) => ({ file: resolve(root, file), code }))
  const r = spawnSync(process.execPath, ['-e', LINT_ALL], { cwd: root, input: JSON.stringify(samples), encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`eslint failed (${r.status}): ${r.stderr}`)
  const results = JSON.parse(r.stdout) as string[][]
  samples.forEach((sample, i) => linted.set(key(sample.file, sample.code), results[i]))
}, 120_000) // one ESLint start: seconds, more on a busy machine

it.each(FORBIDDEN)('refuses: %s', async (_label, file, code) => {
  expect(await errors(file, code)).not.toEqual([])
})

it.each(ALLOWED)('allows: %s', async (_label, file, code) => {
  expect(await errors(file, code)).toEqual([])
})
