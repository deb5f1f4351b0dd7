/**
 * Claims: uniqueness by deterministic id. A slot unit (`room:date:HHmm`), a weekly quota place
 * (`quota:openid:week:n`) and a check-in code (the 6 digits) are each a record whose `add` fails
 * atomically when the id exists — never "query then insert". A booking claims everything it needs
 * one by one and, on the first refusal, removes exactly what it claimed (all or none).
 *
 * Self-healing: a refused claim whose holder is no longer live (a booking cancelled, rejected or
 * released whose removal was interrupted, or an orphan left by a crashed request) is removed —
 * only if it still belongs to that holder — and the claim is tried once more. The timer also
 * sweeps orphans (see tick.ts).
 */
import { DB_DUPLICATE_KEY, isDbError } from '../../platform/db'
import type { Ctx } from '../../runtime/context'
import { LIVE_STATUSES, QUOTA_STATUSES, type BookingStatus } from '../../../../src/shared/rules/booking'
import { BOOKINGS, CLAIMS, CODES, ORPHAN_AFTER_MS, QUOTA, getOrNull, type BookingDoc } from './model'

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

/**
 * Once the booking record exists its claims are bound: no sweep will take them. Only the claims the
 * booking names (a stray one of an interrupted earlier attempt is left to the sweep).
 */
export async function bind(ctx: Ctx, b: Pick<BookingDoc, '_id' | 'claimIds' | 'quotaId' | 'checkCode'>): Promise<void> {
  const named: Array<[string, string[]]> = [
    [CLAIMS, b.claimIds],
    [QUOTA, [b.quotaId]],
    [CODES, [b.checkCode]],
  ]
  await Promise.all(
    named.map(([c, ids]) => ctx.db.collection(c).where({ _id: ctx._.in(ids), bookingId: b._id, bound: false }).update({ data: { bound: true } })),
  )
}

/**
 * Orphan sweep: unbound claims older than ORPHAN_AFTER_MS. A claim whose booking exists (the
 * bind was interrupted) is bound if the booking still holds it and names it, removed otherwise
 * (e.g. the check-in code a crashed first attempt of a retried request had drawn).
 */
export async function sweepOrphans(ctx: Ctx): Promise<number> {
  const before = new Date(ctx.clock.now().getTime() - ORPHAN_AFTER_MS)
  let swept = 0
  for (const collection of [CLAIMS, QUOTA, CODES]) {
    const res = await ctx.db
      .collection<Claim>(collection)
      .where({ bound: false, at: ctx._.lt(before) })
      .orderBy('at', 'asc')
      .limit(200)
      .get()
    for (const c of res.data) {
      const b = await getOrNull<Pick<BookingDoc, 'status' | 'claimIds' | 'quotaId' | 'checkCode'>>(ctx, BOOKINGS, c.bookingId)
      if (b && HOLDS[collection].includes(b.status) && listedIn(collection, c._id, b)) {
        await ctx.db.collection(collection).where({ _id: c._id, bookingId: c.bookingId }).update({ data: { bound: true } })
      } else {
        const r = await ctx.db.collection(collection).where({ _id: c._id, bookingId: c.bookingId, bound: false }).remove()
        swept += r.stats.removed
      }
    }
  }
  return swept
}
