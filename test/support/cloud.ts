/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are read loosely in these tests */
/** Test support: an in-memory local cloud with a fake clock, the demo data, and typed calls as a person. */
import { createLocalCloud, type LocalCloud } from '../../cloudfunctions/src/local/cloud'
import type { QueryReport } from '../../cloudfunctions/src/platform/local/db'
import { seedDemo } from '../../cloudfunctions/src/local/seed'
import { COLLECTIONS } from '../../cloudfunctions/src/functions/indexes'
import { consoleLogger, quietLogger } from '../../cloudfunctions/src/platform/local/services'
import type { FunctionEntry } from '../../cloudfunctions/src/functions'
import type { Envelope } from '../../src/shared/errors'
import { sdkDatabase, sdkInvocation, viaSdk } from './sdk'

export class FakeClock {
  private t: number
  constructor(start: string | Date = '2026-11-23T02:00:00Z') {
    this.t = new Date(start).getTime()
  }
  now = (): Date => new Date(this.t)
  set(t: string | Date): void {
    this.t = new Date(t).getTime()
  }
  advance(ms: number): void {
    this.t += ms
  }
  advanceHours(h: number): void {
    this.advance(h * 3600_000)
  }
}

export interface TestCloud {
  cloud: LocalCloud
  clock: FakeClock
  call<T = unknown>(openid: string | null, fn: string, action: string, payload?: unknown, requestId?: string): Promise<Envelope<T>>
  /** Call and expect success; returns data. */
  ok<T = any>(openid: string | null, fn: string, action: string, payload?: unknown): Promise<T>
  count(collection: string, where?: Record<string, unknown>): Promise<number>
  /** Every query no index fully served so far (scan / sort), oldest first; a test may clear it (`length = 0`) and assert on it. */
  reports: QueryReport[]
  close(): Promise<void>
}

/**
 * Rate limits are off unless asked for: these tests fire hundreds of calls as one person within
 * one fake minute on purpose. test/handlers/limits.test.ts tests them; the gateway and the
 * browser tests run the local cloud as it ships, with them on.
 */
export async function testCloud(
  opts: {
    seed?: boolean
    start?: string
    dataDir?: string
    functions?: Record<string, FunctionEntry>
    rateLimits?: boolean
    /** `'manual'`: media-check verdicts wait for `cloud.deliverMediaVerdicts()`, as WeChat's push comes later. */
    mediaVerdictDelayMs?: number | 'manual'
    /** Collections beside the declared ones (a test's own functions): the local cloud is strict like CloudBase. */
    extraCollections?: string[]
    /** The collections that exist at start instead of the declared ones ([]: a new CloudBase environment). */
    collections?: readonly string[]
  } = {},
): Promise<TestCloud> {
  const clock = new FakeClock(opts.start)
  const reports: QueryReport[] = []
  const cloud = await createLocalCloud({
    clock,
    log: process.env.CLOUD_LOG ? consoleLogger : quietLogger,
    dataDir: opts.dataDir,
    functions: opts.functions,
    settings: { rateLimits: opts.rateLimits ?? false },
    mediaVerdictDelayMs: opts.mediaVerdictDelayMs,
    collections: [...(opts.collections ?? COLLECTIONS), ...(opts.extraCollections ?? [])],
    onQueryReport: (r) => reports.push(r),
  })
  if (viaSdk()) {
    // The jest project "sdk": handlers reach the database through the production adapter and the
    // real wx-server-sdk (test/support/sdk.ts), and learn who calls the way it does.
    cloud.platform.db = await sdkDatabase(cloud.db)
    cloud.call = async (fn, event, openid) => {
      const entry = Object.prototype.hasOwnProperty.call(cloud.functions, fn) ? cloud.functions[fn] : undefined
      if (!entry) return { ok: false, error: { code: 'NOT_FOUND', message: `没有这个云函数：${fn}` } }
      return entry.fn.invoke(event, cloud.platform, sdkInvocation(event, openid))
    }
  }
  if (opts.seed !== false) await seedDemo(cloud.db, clock.now())
  const call = <T,>(openid: string | null, fn: string, action: string, payload: unknown = {}, requestId?: string) =>
    cloud.call(fn, { action, payload, ...(requestId ? { requestId } : {}) }, openid) as Promise<Envelope<T>>
  return {
    cloud,
    clock,
    call,
    async ok(openid, fn, action, payload = {}) {
      const r = await call(openid, fn, action, payload)
      if (!r.ok) throw new Error(`${fn}.${action} failed: ${JSON.stringify(r.error)}`)
      return r.data as never
    },
    async count(collection, where) {
      const q = cloud.db.collection(collection)
      return (await (where ? q.where(where) : q).count()).total
    },
    reports,
    close: () => cloud.close(),
  }
}
