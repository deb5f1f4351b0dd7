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

/** Is this claim's holder gone (so the claim may be taken over)? */
export async function isStale(ctx: Ctx, collection: string, claim: Claim): Promise<boolean> {
  const b = await getOrNull<Pick<BookingDoc, 'status'>>(ctx, BOOKINGS, claim.bookingId)
  if (!b) return ctx.clock.now().getTime() - new Date(claim.at).getTime() > ORPHAN_AFTER_MS
  return !HOLDS[collection].includes(b.status)
}

/** Claim one id for `data.bookingId`. true = ours now; false = someone else holds it. */
export async function claim(ctx: Ctx, collection: string, id: string, data: Omit<Claim, '_id'> & Record<string, unknown>): Promise<boolean> {
  const col = ctx.db.collection<Claim>(collection)
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await col.add({ data: { ...data, _id: id } })
      return true
    } catch (e) {
      if (!isDbError(e, DB_DUPLICATE_KEY)) throw e
      if (attempt > 0) return false
      const holder = await getOrNull<Claim>(ctx, collection, id)
      if (holder && holder.bookingId === data.bookingId) return true
      if (holder && !(await isStale(ctx, collection, holder))) return false
      // Freed meanwhile, or stale: remove it only if it still belongs to that holder, then retry once.
      if (holder) await col.where({ _id: id, bookingId: holder.bookingId }).remove()
    }
  }
  return false
}

/** Remove claims this booking holds (never anyone else's). */
export async function unclaim(ctx: Ctx, collection: string, ids: string[], bookingId: string): Promise<void> {
  if (ids.length === 0) return
  await ctx.db.collection(collection).where({ _id: ctx._.in(ids), bookingId }).remove()
}

/** Once the booking record exists its claims are bound: no sweep will take them. */
export async function bind(ctx: Ctx, bookingId: string): Promise<void> {
  await Promise.all(
    [CLAIMS, QUOTA, CODES].map((c) => ctx.db.collection(c).where({ bookingId, bound: false }).update({ data: { bound: true } })),
  )
}

/**
 * Orphan sweep: unbound claims older than ORPHAN_AFTER_MS. A claim whose booking exists (the
 * bind was interrupted) is bound if the booking still holds it, removed otherwise.
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
      const b = await getOrNull<Pick<BookingDoc, 'status'>>(ctx, BOOKINGS, c.bookingId)
      if (b && HOLDS[collection].includes(b.status)) {
        await ctx.db.collection(collection).where({ _id: c._id, bookingId: c.bookingId }).update({ data: { bound: true } })
      } else {
        const r = await ctx.db.collection(collection).where({ _id: c._id, bookingId: c.bookingId, bound: false }).remove()
        swept += r.stats.removed
      }
    }
  }
  return swept
}
