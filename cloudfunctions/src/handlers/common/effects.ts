/**
 * Effects after the commit (notifications, counters, derived lists), carried by the record they
 * follow from, so a crash can never lose them and a failure can never turn a done change into an
 * error answer.
 *
 * A state change writes, in the same single-document write as the change itself, what must follow
 * from it: `effects.<key> = [...]` and `effectsDue` (an indexed instant). After the write the
 * handler settles them at once, best effort; whatever a crash or an outage left behind is settled
 * by the feature's scheduled job (`sweepEffects`). Settling is exactly-once where it matters:
 * - counters: a transaction increments the counter documents AND removes the key from the record
 *   (doc-level operations only, as CloudBase allows); a second settler finds the key gone;
 * - in-app notifications: one `add` per notice (all its recipients in one document,
 *   common/notify.ts) with a deterministic id, so a repeat is refused as a duplicate (a WeChat
 *   subscribe message goes out only with a notification that was new: at most once);
 * - grid worker lists: re-derived from the person's record (a set reconciliation, idempotent);
 * - copies (a record's part another document keeps for its readers): set whole, only over an
 *   older copy (its `version` path), so a late settle never writes an older copy over a newer one.
 * So figures always equal a recount of the records they count, whatever crashed when.
 */
import type { Ctx } from '../../runtime/context'
import { DB_DUPLICATE_KEY, DB_NOT_FOUND, isDbError, type Transaction } from '../../platform/db'
import { noticeDoc, sendSubscribes, type Notice } from './notify'

/** Who is told: named people, or the handlers of a place resolved when the effect is settled. */
export type Audience = { people: string[] } | { gridWorkers: string } | { communityStaff: string } | { streetStaff: string }

export interface NotifyEffect {
  type: 'notify'
  to: Audience[]
  /** Never told (the person who acted). */
  except?: string | null
  notice: Notice
  at: Date
}

/**
 * `inc`: dotted paths inside the counter document and what to add (a list, since a stored field
 * name may not contain a dot); `seed`: the document's fixed fields when it is created.
 */
export interface CountEffect {
  type: 'count'
  collection: string
  id: string
  seed: Record<string, unknown>
  inc: Array<{ path: string; n: number }>
}

/** Make `grids.workerIds` agree with this person's `users` record (roles + gridIds). */
export interface GridSyncEffect {
  type: 'gridSync'
  openid: string
  /** The grids to look at: the ones held before and after the change. */
  gridIds: string[]
}

/**
 * Keep a copy on another document: each `set` path replaced whole, where the copy's `versionPath`
 * is absent or below `version` (copies only move forward); `touch` paths are moved by one with it
 * (a change marker for whoever rebuilds the copies by compare-and-set). A missing document: nothing.
 */
export interface CopyEffect {
  type: 'copy'
  collection: string
  id: string
  set: Array<{ path: string; value: unknown }>
  versionPath: string
  version: number
  touch?: string[]
}

export type Effect = NotifyEffect | CountEffect | GridSyncEffect | CopyEffect

export interface WithEffects {
  effects?: Record<string, Effect[]>
  effectsDue?: Date
}

/** How long the handler has to settle before the job takes over (longer than any function's timeout). */
export const SWEEP_AFTER_MS = 60_000

/** A unique key for one write's effects (the record's new version, or the creation). */
export const effectKey = (version: number) => `v${version}`

/** The fields to put in the record's write: the pending effects and the instant the job looks at. */
export function pendingFields(ctx: Ctx, key: string, effects: Effect[], already?: Date): Record<string, unknown> {
  if (effects.length === 0) return {}
  return { [`effects.${key}`]: ctx._.set(effects), effectsDue: already ?? ctx.clock.now() }
}

/** For a record created with its effects (an `add`): the same fields as plain values. */
export function pendingOnCreate(ctx: Ctx, key: string, effects: Effect[]): WithEffects {
  return effects.length ? { effects: { [key]: effects }, effectsDue: ctx.clock.now() } : {}
}

export function notifyEffect(ctx: Ctx, to: Audience[], notice: Notice, except: string | null = ctx.openid || null): NotifyEffect {
  return { type: 'notify', to, notice, except, at: ctx.clock.now() }
}

/**
 * The people an audience names, now: named people as they are; a grid's workers from its
 * `workerIds` (one read, or none when the caller already holds the fresh grid: `grids`); a
 * community's staff and a street's people by one indexed query each. Everyone at once.
 */
export async function resolveAudience(
  ctx: Ctx,
  to: Audience[],
  grids?: ReadonlyMap<string, { workerIds: string[] }>,
  /** Answers already found in this call (a job telling many cases' handlers reads each group once). */
  memo?: Map<string, Promise<string[]>>,
): Promise<string[]> {
  const once = (a: Audience, find: () => Promise<string[]>): Promise<string[]> => {
    if (!memo) return find()
    const k = JSON.stringify(a)
    let p = memo.get(k)
    if (!p) memo.set(k, (p = find()))
    return p
  }
  const parts = await Promise.all(
    to.map((a) => once(a, async (): Promise<string[]> => {
      if ('people' in a) return a.people
      if ('gridWorkers' in a) {
        const known = grids?.get(a.gridWorkers)
        if (known) return known.workerIds
        const res = await ctx.db.collection<{ _id: string; workerIds: string[] }>('grids').where({ _id: a.gridWorkers }).limit(1).get()
        return res.data[0]?.workerIds ?? []
      }
      const where = 'communityStaff' in a ? { 'address.communityId': a.communityStaff, roles: ctx._.in(['staff', 'admin']) } : { 'address.streetId': a.streetStaff, roles: 'street' }
      const res = await ctx.db.collection<{ _id: string }>('users').where(where).field({ _id: true }).limit(100).get()
      return res.data.map((u) => u._id)
    })),
  )
  return [...new Set(parts.flat().filter(Boolean))]
}

/** One in-app notification for the notice, by deterministic id (a repeat is a duplicate), then its subscribe messages if it was new. */
async function deliver(ctx: Ctx, base: string, i: number, e: NotifyEffect): Promise<void> {
  const people = (await resolveAudience(ctx, e.to)).filter((p) => p !== e.except)
  if (people.length === 0) return
  const told = [{ to: people, notice: e.notice }]
  try {
    await ctx.db.collection('notifications').add({ data: noticeDoc(`${base}:${i}`, told, new Date(e.at)) as unknown as Record<string, unknown> })
  } catch (err) {
    if (isDbError(err, DB_DUPLICATE_KEY)) return // delivered by an earlier settle
    throw err
  }
  await sendSubscribes(ctx, told)
}

async function syncGrids(ctx: Ctx, e: GridSyncEffect): Promise<void> {
  if (e.gridIds.length === 0) return
  let user: { roles: string[]; gridIds: string[]; address: { communityId: string } } | null = null
  try {
    user = (await ctx.db.collection<{ roles: string[]; gridIds: string[]; address: { communityId: string } }>('users').doc(e.openid).get()).data
  } catch (err) {
    if (!isDbError(err, DB_NOT_FOUND)) throw err
  }
  const holds = new Set(user && user.roles.includes('grid_worker') ? user.gridIds : [])
  const add = e.gridIds.filter((g) => holds.has(g))
  const drop = e.gridIds.filter((g) => !holds.has(g))
  await Promise.all([
    add.length ? ctx.db.collection('grids').where({ _id: ctx._.in(add) }).update({ data: { workerIds: ctx._.addToSet(e.openid) } }) : null,
    drop.length ? ctx.db.collection('grids').where({ _id: ctx._.in(drop) }).update({ data: { workerIds: ctx._.pull(e.openid) } }) : null,
  ])
}

async function copyTo(ctx: Ctx, e: CopyEffect): Promise<void> {
  const data: Record<string, unknown> = {}
  for (const { path, value } of e.set) data[path] = ctx._.set(value)
  for (const path of e.touch ?? []) data[path] = ctx._.inc(1)
  await ctx.db
    .collection(e.collection)
    .where({ _id: e.id, [e.versionPath]: ctx._.exists(false).or(ctx._.lt(e.version)) })
    .update({ data })
}

export function setPath(obj: Record<string, unknown>, path: string, value: number): void {
  const parts = path.split('.')
  let o = obj
  for (const p of parts.slice(0, -1)) o = (o[p] ??= {}) as Record<string, unknown>
  const last = parts[parts.length - 1]
  o[last] = ((o[last] as number | undefined) ?? 0) + value
}

/** Counters of one write, merged per counter document and path. */
export function mergeCounts(effects: Effect[]): Map<string, { e: CountEffect; inc: Map<string, number> }> {
  const counts = new Map<string, { e: CountEffect; inc: Map<string, number> }>()
  for (const e of effects) {
    if (e.type !== 'count') continue
    const k = `${e.collection}/${e.id}`
    const c = counts.get(k) ?? { e, inc: new Map<string, number>() }
    counts.set(k, c)
    for (const { path, n } of e.inc) c.inc.set(path, (c.inc.get(path) ?? 0) + n)
  }
  return counts
}

/**
 * Move counters inside a transaction, one request per counter document: an `inc` of the
 * document, or — the first time (it does not exist yet) — its creation with the seed.
 */
export async function countInTx(tx: Transaction, ctx: Pick<Ctx, '_'>, counts: Map<string, { e: CountEffect; inc: Map<string, number> }>): Promise<void> {
  await Promise.all(
    [...counts.values()].map(async ({ e: c, inc }) => {
      const data: Record<string, unknown> = {}
      for (const [p, n] of inc) data[p] = ctx._.inc(n)
      let updated = 0
      try {
        updated = (await tx.collection(c.collection).doc(c.id).update({ data })).stats.updated
      } catch (err) {
        if (!isDbError(err, DB_NOT_FOUND)) throw err
      }
      if (updated === 1) return
      const doc: Record<string, unknown> = copyData(c.seed)
      for (const [p, n] of inc) setPath(doc, p, n)
      await tx.collection(c.collection).doc(c.id).set({ data: doc })
    }),
  )
}

/**
 * Settle one write's effects on the record `collection/id`. Notifications and grid lists first
 * (idempotent), then one transaction that applies the counters and removes the key from the
 * record — only if the key is still there, so counters move exactly once.
 */
export async function settle(ctx: Ctx, collection: string, id: string, key: string, effects: Effect[]): Promise<void> {
  const base = `${collection}:${id}:${key}`
  await Promise.all(
    effects.map((e, i) => (e.type === 'notify' ? deliver(ctx, base, i, e) : e.type === 'gridSync' ? syncGrids(ctx, e) : e.type === 'copy' ? copyTo(ctx, e) : null)),
  )
  const counts = mergeCounts(effects)
  if (counts.size === 0) {
    // Nothing to count exactly once: clearing the key is one write (the marker goes with the last key).
    await ctx.db
      .collection(collection)
      .doc(id)
      .update({ data: { [`effects.${key}`]: ctx._.remove() } })
      .catch((err: unknown) => {
        if (!isDbError(err, DB_NOT_FOUND)) throw err
      })
    await clearMarkerIfDone(ctx, collection, id)
    return
  }
  await ctx.db.runTransaction(async (tx) => {
    let rec: WithEffects
    try {
      rec = (await tx.collection<WithEffects>(collection).doc(id).get()).data
    } catch (err) {
      if (isDbError(err, DB_NOT_FOUND)) return
      throw err
    }
    if (!rec.effects?.[key]) return // settled already
    // Every counter document at once (each read, then moved or created): two waits, however many counters.
    await Promise.all(
      [...counts.values()].map(async ({ e: c, inc }) => {
        let exists = true
        try {
          await tx.collection(c.collection).doc(c.id).get()
        } catch (err) {
          if (!isDbError(err, DB_NOT_FOUND)) throw err
          exists = false
        }
        if (exists) {
          const data: Record<string, unknown> = {}
          for (const [p, n] of inc) data[p] = ctx._.inc(n)
          await tx.collection(c.collection).doc(c.id).update({ data })
        } else {
          const doc: Record<string, unknown> = copyData(c.seed)
          for (const [p, n] of inc) setPath(doc, p, n)
          await tx.collection(c.collection).doc(c.id).set({ data: doc })
        }
      }),
    )
    const others = Object.keys(rec.effects).filter((k) => k !== key)
    await tx.collection(collection).doc(id).update({
      data: { [`effects.${key}`]: ctx._.remove(), ...(others.length ? {} : { effectsDue: ctx._.remove() }) },
    })
  })
}

/**
 * Drop `effectsDue` once no key is left (a conditional write: a key added meanwhile keeps it).
 * Only reached without counters, where the key removal itself needs no transaction.
 */
async function clearMarkerIfDone(ctx: Ctx, collection: string, id: string): Promise<void> {
  await ctx.db.collection(collection).where({ _id: id, effects: ctx._.eq({}) }).update({ data: { effectsDue: ctx._.remove() } })
}

/** Settle right after the commit; a failure is logged and left to the job, never thrown. */
export async function settleNow(ctx: Ctx, collection: string, id: string, key: string, effects: Effect[]): Promise<void> {
  if (effects.length === 0) return
  try {
    await settle(ctx, collection, id, key, effects)
  } catch (e) {
    ctx.log.warn('effects left to the scheduled job', { collection, id, key, error: e instanceof Error ? e.message : String(e) })
  }
}

/** The job's part: settle what handlers left behind (older than SWEEP_AFTER_MS). Returns how many writes it settled. */
export async function sweepEffects(ctx: Ctx, collection: string, max = 500): Promise<number> {
  const before = new Date(ctx.clock.now().getTime() - SWEEP_AFTER_MS)
  let settled = 0
  while (settled < max) {
    const res = await ctx.db
      .collection<WithEffects & { _id: string }>(collection)
      .where({ effectsDue: ctx._.lt(before) })
      .orderBy('effectsDue', 'asc')
      .limit(50)
      .get()
    let progressed = 0
    for (const rec of res.data) {
      try {
        const keys = Object.keys(rec.effects ?? {})
        for (const key of keys) await settle(ctx, collection, rec._id, key, rec.effects![key])
        // A record whose effects were all settled but kept its marker (an interrupted transaction).
        if (keys.length === 0) await ctx.db.collection(collection).doc(rec._id).update({ data: { effectsDue: ctx._.remove() } })
        settled += Math.max(keys.length, 1)
        progressed++
      } catch (e) {
        ctx.log.error('effects could not be settled', { collection, id: rec._id, error: e instanceof Error ? e.message : String(e) })
      }
    }
    if (progressed === 0) break
  }
  return settled
}

/**
 * A deep copy of plain data (objects, arrays, Dates, primitives). Not `structuredClone`: CloudBase
 * still offers Node 16 runtimes, which lack it (the weapp tests' environment lacks it too).
 */
function copyData<T>(v: T): T {
  if (v instanceof Date) return new Date(v.getTime()) as T
  if (Array.isArray(v)) return v.map((x: unknown) => copyData(x)) as T
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) out[k] = copyData(x)
    return out as T
  }
  return v
}
