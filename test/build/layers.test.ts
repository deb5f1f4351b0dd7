/**
 * The layer rules of eslint.config.mjs, checked on sample sources placed (virtually) in each
 * layer: a forbidden import is an error, an allowed one is not. If a rule is loosened by
 * mistake, this fails.
 */
import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'

const root = resolve(__dirname, '../..')
const bin = resolve(root, 'node_modules/eslint/bin/eslint.js')

// ESLint runs in a child process: its flat config is an ES module, which jest's VM cannot load.
async function errors(file: string, code: string): Promise<string[]> {
  const r = spawnSync(process.execPath, [bin, '--stdin', '--stdin-filename', resolve(root, file), '--format', 'json'], { cwd: root, input: code, encoding: 'utf8' })
  const [result] = JSON.parse(r.stdout) as Array<{ messages: Array<{ severity: number; ruleId: string | null; message: string }> }>
  return result.messages.filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`)
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

it.each(FORBIDDEN)('refuses: %s', async (_label, file, code) => {
  expect(await errors(file, code)).not.toEqual([])
})

it.each(ALLOWED)('allows: %s', async (_label, file, code) => {
  expect(await errors(file, code)).toEqual([])
})
