/**
 * Claims: uniqueness by deterministic id. A slot unit (`room:date:HHmm`), a weekly quota place
 * (`quota:openid:week:n`) and a check-in code (the 6 digits) are each a record whose `add` fails
 * atomically when the id exists — never "query then insert". A booking claims everything it needs
 * and, on the first refusal, removes exactly what it claimed (all or none).
 *
 * Self-healing: a refused claim whose holder is no longer live (a booking cancelled, rejected or
 * released whose release the job has not yet done, or an orphan left by a crashed request) is
 * removed — only if it still belongs to that holder — and the claim is tried once more. The timer
 * releases what changed bookings gave back, binds the claims of new bookings and sweeps orphans,
 * a page of records in a few requests (see tick.ts).
 */
import { DB_DUPLICATE_KEY, isDbError } from '../../platform/db'
import type { Ctx } from '../../runtime/context'
import { LIVE_STATUSES, QUOTA_STATUSES, type BookingStatus } from '../../../../src/shared/rules/booking'
import { BOOKINGS, CLAIMS, CODES, ORPHAN_AFTER_MS, QUOTA, getOrNull, releasesOf, type BookingDoc } from './model'

interface Claim {
  _id: string
  bookingId: string
  at: Date
  bound?: boolean
}

/** Which booking statuses keep each kind of claim. */
const HOLDS: Record<string, readonly BookingStatus[]> = {
  [CLAIMS]: [...LIVE_STATUSES, 'completed'],
  [QUOTA]: QUOTA_STATUSES,
  [CODES]: ['pending', 'confirmed'],
}

/**
 * Who holds a claim: `live` — a booking that holds it (a real "taken"); `pending` — no booking
 * yet, and young: a request still claiming (it will either write its booking or let go);
 * `gone` — a booking that no longer holds it, or an orphan of a crashed request (may be taken over).
 */
export async function holderState(ctx: Ctx, collection: string, claim: Claim): Promise<'live' | 'pending' | 'gone'> {
  const b = await getOrNull<Pick<BookingDoc, 'status' | 'claimIds' | 'quotaId' | 'checkCode'>>(ctx, BOOKINGS, claim.bookingId)
  if (!b) return ctx.clock.now().getTime() - new Date(claim.at).getTime() > ORPHAN_AFTER_MS ? 'gone' : 'pending'
  return HOLDS[collection].includes(b.status) && listedIn(collection, claim._id, b) ? 'live' : 'gone'
}

/** Whether the booking record names this claim as its own (a retried request may have left another). */
function listedIn(collection: string, id: string, b: Pick<BookingDoc, 'claimIds' | 'quotaId' | 'checkCode'>): boolean {
  if (collection === CLAIMS) return b.claimIds.includes(id)
  if (collection === QUOTA) return b.quotaId === id
  return b.checkCode === id
}

export type ClaimResult = 'ours' | 'taken' | 'busy'

/**
 * Claim one id for `data.bookingId`: `ours`, or `taken` (a live booking holds it), or `busy` (a
 * request still in progress holds it — the caller may wait for it to settle either way).
 */
export async function claim(ctx: Ctx, collection: string, id: string, data: Omit<Claim, '_id'> & Record<string, unknown>): Promise<ClaimResult> {
  const col = ctx.db.collection<Claim>(collection)
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await col.add({ data: { ...data, _id: id } })
      return 'ours'
    } catch (e) {
      if (!isDbError(e, DB_DUPLICATE_KEY)) throw e
      const holder = await getOrNull<Claim>(ctx, collection, id)
      if (!holder) continue // freed meanwhile
      if (holder.bookingId === data.bookingId) return 'ours' // a retry of the same request
      const state = await holderState(ctx, collection, holder)
      if (state !== 'gone') return state === 'live' ? 'taken' : 'busy'
      // Stale: remove it only if it still belongs to that holder, then try again.
      await col.where({ _id: id, bookingId: holder.bookingId }).remove()
    }
  }
  return 'busy'
}

/** Remove claims this booking holds (never anyone else's). */
export async function unclaim(ctx: Ctx, collection: string, ids: string[], bookingId: string): Promise<void> {
  if (ids.length === 0) return
  await ctx.db.collection(collection).where({ _id: ctx._.in(ids), bookingId }).remove()
}

type Holder = Pick<BookingDoc, '_id' | 'status' | 'claimIds' | 'quotaId' | 'checkCode'>
const HOLDER_FIELDS = { status: true, claimIds: true, quotaId: true, checkCode: true } as const

/** Bookings by id, in pages of 100. */
async function bookingsById(ctx: Ctx, ids: string[]): Promise<Map<string, Holder>> {
  const out = new Map<string, Holder>()
  for (let i = 0; i < ids.length; i += 100) {
    const chunk = ids.slice(i, i + 100)
    const res = await ctx.db.collection<Holder>(BOOKINGS).where({ _id: ctx._.in(chunk) }).field(HOLDER_FIELDS).limit(chunk.length).get()
    for (const b of res.data) out.set(b._id, b)
  }
  return out
}

/** Remove, of these records, those still held by the booking that listed them (each removal in pages of 500 ids). */
async function removeHeld(ctx: Ctx, collection: string, items: Array<{ id: string; bookingId: string }>): Promise<number> {
  let removed = 0
  for (let i = 0; i < items.length; i += 500) {
    const chunk = items.slice(i, i + 500)
    const res = await ctx.db
      .collection(collection)
      .where({ _id: ctx._.in(chunk.map((x) => x.id)), bookingId: ctx._.in([...new Set(chunk.map((x) => x.bookingId))]) })
      .remove()
    removed += res.stats.removed
  }
  return removed
}

/**
 * The job's part of a change that gives something back: every booking marked `releaseDue` has its
 * slots, week quota place and check-in code removed as its status says (only records it still
 * holds; every booking in a page is past needing them, so one removal per kind serves the page),
 * then the mark is cleared where the status is still the one read (a later change marks again).
 */
export async function releaseDue(ctx: Ctx, max = 5000): Promise<number> {
  const now = ctx.clock.now()
  let released = 0
  while (released < max) {
    const res = await ctx.db
      .collection<Holder & { releaseDue: Date }>(BOOKINGS)
      .where({ releaseDue: ctx._.lte(now) })
      .orderBy('releaseDue', 'asc')
      .limit(100)
      .field(HOLDER_FIELDS)
      .get()
    if (res.data.length === 0) break
    const kinds: Record<string, Array<{ id: string; bookingId: string }>> = { [CLAIMS]: [], [QUOTA]: [], [CODES]: [] }
    const byStatus = new Map<BookingStatus, string[]>()
    for (const b of res.data) {
      const r = releasesOf(b.status)
      if (r.slots) for (const id of b.claimIds) kinds[CLAIMS].push({ id, bookingId: b._id })
      if (r.quota && b.quotaId) kinds[QUOTA].push({ id: b.quotaId, bookingId: b._id })
      if (r.code && b.checkCode) kinds[CODES].push({ id: b.checkCode, bookingId: b._id })
      byStatus.set(b.status, [...(byStatus.get(b.status) ?? []), b._id])
    }
    await Promise.all(Object.entries(kinds).map(([collection, items]) => removeHeld(ctx, collection, items)))
    const cleared = await Promise.all(
      [...byStatus.entries()].map(([status, ids]) => ctx.db.collection(BOOKINGS).where({ _id: ctx._.in(ids), status }).update({ data: { releaseDue: ctx._.remove() } })),
    )
    const n = cleared.reduce((k, r) => k + r.stats.updated, 0)
    released += n
    if (n === 0 || res.data.length < 100) break
  }
  return released
}

/**
 * The job binds the claims of new bookings and sweeps orphans: unbound claims older than
 * ORPHAN_AFTER_MS (no request is still making its booking by then), a page at a time — their
 * bookings read by id in one request; a claim its booking holds and names is bound, any other
 * (a crashed request's, or the check-in code a crashed first attempt of a retried request had
 * drawn) is removed, each only while it is still that booking's and that old.
 */
export async function sweepOrphans(ctx: Ctx): Promise<number> {
  const before = new Date(ctx.clock.now().getTime() - ORPHAN_AFTER_MS)
  let swept = 0
  for (const collection of [CLAIMS, QUOTA, CODES]) {
    for (let round = 0; round < 50; round++) {
      const res = await ctx.db
        .collection<Claim>(collection)
        .where({ bound: false, at: ctx._.lt(before) })
        .orderBy('at', 'asc')
        .limit(200)
        .field({ bookingId: true, at: true })
        .get()
      if (res.data.length === 0) break
      const holders = await bookingsById(ctx, [...new Set(res.data.map((c) => c.bookingId))])
      const held = res.data.filter((c) => {
        const b = holders.get(c.bookingId)
        return !!b && HOLDS[collection].includes(b.status) && listedIn(collection, c._id, b)
      })
      const heldIds = new Set(held.map((c) => c._id))
      const orphans = res.data.filter((c) => !heldIds.has(c._id))
      const [bound, removed] = await Promise.all([
        held.length
          ? ctx.db
              .collection(collection)
              .where({ _id: ctx._.in(held.map((c) => c._id)), bookingId: ctx._.in([...new Set(held.map((c) => c.bookingId))]), bound: false })
              .update({ data: { bound: true } })
          : null,
        orphans.length
          ? ctx.db
              .collection(collection)
              .where({ _id: ctx._.in(orphans.map((c) => c._id)), bookingId: ctx._.in([...new Set(orphans.map((c) => c.bookingId))]), bound: false, at: ctx._.lt(before) })
              .remove()
          : null,
      ])
      swept += removed?.stats.removed ?? 0
      if ((bound?.stats.updated ?? 0) + (removed?.stats.removed ?? 0) === 0 || res.data.length < 200) break
    }
  }
  return swept
}
