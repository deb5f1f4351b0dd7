/**
 * Test support: the production adapter (cloudfunctions/src/platform/wx) → the real wx-server-sdk
 * → HTTP → the local cloud's CloudBase endpoint (cloudfunctions/src/local/cloudbase) → the local
 * engine. One endpoint server per jest worker; each local database gets its own CloudBase
 * environment name on it, so several can be open at once.
 *
 * The environment below is what a CloudBase function sees (TENCENTCLOUD_RUNENV=SCF and its
 * variables), plus TCB_CONTEXT_CNFG's URL, the service address the node SDK reads for every
 * request. Set before the adapter (and so the SDK) is first loaded.
 *
 * `DB_VIA=sdk` (the jest project "sdk" sets it) makes test/support/cloud.ts and the contract
 * suite use this path; otherwise nothing here is loaded.
 */
import type { Database } from '../../cloudfunctions/src/platform/db'
import type { LocalDatabase } from '../../cloudfunctions/src/platform/local/db'
import type { Invocation, Platform } from '../../cloudfunctions/src/platform/port'
import { createCloudBaseEndpoint, listenCloudBase } from '../../cloudfunctions/src/local/cloudbase/endpoint'

export const viaSdk = (): boolean => process.env.DB_VIA === 'sdk'

const databases = new Map<string, LocalDatabase>()
let listening: Promise<{ url: string; close(): Promise<void> }> | undefined
let envs = 0

type WxAdapter = {
  wxPlatform(opts?: { env?: string }): Platform
  wxInvocation(event: unknown): Invocation
}
let adapter: WxAdapter | undefined

/**
 * Points the real SDK at a CloudBase endpoint (`url` ends in /admin or /dev/tcb/admin) and loads
 * the production adapter, once per test file (module registry); later calls only move the URL,
 * which the SDK reads on every request.
 */
export function pointSdkAt(url: string): WxAdapter {
  Object.assign(process.env, {
    TENCENTCLOUD_RUNENV: 'SCF',
    TENCENTCLOUD_REGION: 'ap-shanghai',
    TENCENTCLOUD_SECRETID: 'local-secret-id',
    TENCENTCLOUD_SECRETKEY: 'local-secret-key',
    SCF_NAMESPACE: 'local',
    TCB_ENV: 'local',
    // The SDK warns about every database request slower than 3 s; a busy test machine is not news.
    SILENCE: 'true',
    TCB_CONTEXT_CNFG: JSON.stringify({ URL: url }),
    WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID',
    WX_APPID: 'wx-local',
  })
  if (adapter === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only after the environment above is set
    adapter = require('../../cloudfunctions/src/platform/wx') as WxAdapter
    // The SDK gives each request 15 s. The tests fire hundreds of calls at once, and the local
    // engine runs writes one at a time under one lock (CloudBase does not), so on a busy 2-core
    // machine the last of them can wait longer than that: a test-only allowance, same SDK.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK the adapter loaded
    const sdk = require('wx-server-sdk') as { updateConfig(c: object): void; DYNAMIC_CURRENT_ENV: unknown }
    sdk.updateConfig({ env: sdk.DYNAMIC_CURRENT_ENV, timeout: 120_000 })
  }
  return adapter
}

async function endpoint(): Promise<void> {
  listening ??= listenCloudBase(createCloudBaseEndpoint({ database: (env) => databases.get(env) }))
  const server = await listening
  pointSdkAt(server.url)
}

/** The `Database` the production adapter hands handlers, serving `local` through the endpoint. */
export async function sdkDatabase(local: LocalDatabase): Promise<Database> {
  await endpoint()
  const env = `local-${process.pid}-${++envs}`
  databases.set(env, local)
  return adapter!.wxPlatform({ env }).db
}

/**
 * Who is calling, as the adapter reads it: WeChat puts OPENID in the function's environment
 * (getWXContext). Set and read in one synchronous step, as the deployed entry does
 * (`main = (event) => fn.invoke(event, platform, wxInvocation(event))`), so concurrent calls
 * cannot see each other's.
 */
export function sdkInvocation(event: unknown, openid: string | null): Invocation {
  if (openid === null) delete process.env.WX_OPENID
  else process.env.WX_OPENID = openid
  // A person's call comes from the mini-program: getWXContext().SOURCE (TCB_SOURCE) is `wx_client`.
  process.env.TCB_SOURCE = 'wx_client'
  return adapter!.wxInvocation(event)
}

export async function closeSdk(): Promise<void> {
  const server = await listening
  listening = undefined
  databases.clear()
  await server?.close()
}
