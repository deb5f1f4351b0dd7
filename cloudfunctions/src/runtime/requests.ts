/**
 * Idempotent creates (the client sends a `requestId`; a retry returns the first result).
 *
 * The first call claims `requests/<key>` (a duplicate `add` fails atomically) with a lease, runs,
 * and marks the claim done with the id of what it created — only ids are stored, never whole
 * answers. The record a create writes takes its id from the request (`createdId`), so:
 * - a retry after the claim is done runs the handler again with `ctx.retry`, which finds that
 *   record and answers from it;
 * - a retry while the first call is still running (within the lease) gets CONFLICT;
 * - a retry after the lease ran out (the first call crashed, or CloudBase timed it out) takes the
 *   claim over by compare-and-set and runs again: if the first run had in fact written its record,
 *   the add finds it (same id) and answers from it; otherwise it creates it now. Never twice.
 * A failed run releases the claim. Done claims are pruned after a day by the `user.tick` job.
 */
import { createHash } from 'node:crypto'
import { AppError } from '../../../src/shared/errors'
import { DB_DUPLICATE_KEY, DB_NOT_FOUND, isDbError } from '../platform/db'
import type { Platform } from '../platform/port'
import type { Ctx } from './context'

export const REQUESTS = 'requests'
/** Longer than any function's timeout (manifest.ts: at most 20 s; CloudBase allows up to 60 s). */
export const DEFAULT_LEASE_MS = 2 * 60_000
/** How long a request id is remembered. */
export const KEEP_REQUESTS_MS = 24 * 3600_000

export interface RequestDoc {
  _id: string
  state: 'running' | 'done'
  /** The id of what the create wrote (done), for inspection; the answer is rebuilt from the record. */
  ref?: string | null
  at: Date
  leaseUntil: Date
  attempts: number
}

/** A short stable key for (person, function, action, request id). */
export function requestKey(openid: string, fn: string, action: string, requestId: string): string {
  return createHash('sha256').update(`${openid}\u0000${fn}\u0000${action}\u0000${requestId}`).digest('hex').slice(0, 32)
}

/** The id of the record a create writes: from the request when there is one, else fresh. */
export function createdId(ctx: Pick<Ctx, 'requestKey'>, prefix: string): string {
  if (ctx.requestKey) return `${prefix}${ctx.requestKey}`
  return `${prefix}${createHash('sha256').update(`${Date.now()}:${Math.random()}:${process.hrtime.bigint()}`).digest('hex').slice(0, 32)}`
}

function refOf(out: unknown): string | null {
  if (typeof out === 'object' && out !== null) {
    const o = out as Record<string, unknown>
    for (const k of ['id', 'openid', 'code']) if (typeof o[k] === 'string') return o[k] as string
  }
  return null
}

/**
 * How a request's claim stands: `fresh` (claimed now: run, then mark done), `takenOver` (the
 * first run's lease ran out: run again with retry, then mark done), `done` (answered before: run
 * with retry, which answers from the record). Within a running lease: CONFLICT.
 */
export type ClaimState = 'fresh' | 'takenOver' | 'done'

/** Claim `requests/<key>` (see the header); throws CONFLICT while an earlier run holds it. */
export async function claimRequest(platform: Platform, key: string, leaseMs: number): Promise<ClaimState> {
  const col = platform.db.collection<RequestDoc>(REQUESTS)
  const now = platform.clock.now()
  const fresh: RequestDoc = { _id: key, state: 'running', at: now, leaseUntil: new Date(now.getTime() + leaseMs), attempts: 1 }
  try {
    await col.add({ data: fresh as unknown as Record<string, unknown> })
    return 'fresh'
  } catch (e) {
    if (!isDbError(e, DB_DUPLICATE_KEY)) throw e
  }
  let prev: RequestDoc | null = null
  try {
    prev = (await col.doc(key).get()).data
  } catch (err) {
    if (!isDbError(err, DB_NOT_FOUND)) throw err
  }
  if (!prev) return claimRequest(platform, key, leaseMs) // released meanwhile: claim it afresh
  if (prev.state === 'done') return 'done'
  if (new Date(prev.leaseUntil).getTime() > now.getTime()) throw new AppError('CONFLICT', '上一次提交仍在处理中，请稍候刷新查看')
  // The lease ran out: take the claim over, exactly one of several retries wins.
  const took = await col
    .where({ _id: key, state: 'running', attempts: prev.attempts })
    .update({ data: { leaseUntil: new Date(now.getTime() + leaseMs), attempts: prev.attempts + 1 } })
  if (took.stats.updated !== 1) throw new AppError('CONFLICT', '上一次提交仍在处理中，请稍候刷新查看')
  return 'takenOver'
}

/** A claimed run failed (or the call was refused): let a retry start afresh. */
export async function releaseRequest(platform: Platform, key: string): Promise<void> {
  await platform.db
    .collection(REQUESTS)
    .doc(key)
    .remove()
    .catch(() => undefined)
}

/** The claimed run answered: mark the claim done with the id of what it created. The answer stands even if marking fails. */
export async function finishRequest(platform: Platform, key: string, data: unknown): Promise<void> {
  await platform.db
    .collection(REQUESTS)
    .doc(key)
    .update({ data: { state: 'done', ref: refOf(data) } })
    .catch((e: unknown) => platform.log.warn('request not marked done', { key, error: String(e) }))
}

/**
 * Run `run(retry)` at most once at a time per key; see the header. `retry` says whether this key
 * was seen before (the handler must then look for what the first run wrote).
 */
export async function once(platform: Platform, key: string, leaseMs: number, run: (retry: boolean) => Promise<unknown>, claimed?: Promise<ClaimState>): Promise<unknown> {
  const state = await (claimed ?? claimRequest(platform, key, leaseMs))
  if (state === 'done') return run(true)
  let data: unknown
  try {
    data = await run(state === 'takenOver')
  } catch (e) {
    await releaseRequest(platform, key)
    throw e
  }
  await finishRequest(platform, key, data)
  return data
}

/** The job's part: forget request ids older than a day (a retry that late is a new request). */
export async function pruneRequests(ctx: Ctx, max = 2000): Promise<number> {
  const before = new Date(ctx.clock.now().getTime() - KEEP_REQUESTS_MS)
  let removed = 0
  while (removed < max) {
    const res = await ctx.db.collection<RequestDoc>(REQUESTS).where({ at: ctx._.lt(before) }).orderBy('at', 'asc').limit(200).field({ _id: true }).get()
    if (res.data.length === 0) break
    const r = await ctx.db
      .collection(REQUESTS)
      .where({ _id: ctx._.in(res.data.map((d) => d._id)), at: ctx._.lt(before) })
      .remove()
    removed += r.stats.removed
    if (r.stats.removed === 0) break
  }
  return removed
}
