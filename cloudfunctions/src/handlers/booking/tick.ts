/**
 * The scheduled job (定时任务, every 5 minutes). Idempotent: every change is a compare-and-set,
 * the reminder is a conditional flag flip, so however often (and however concurrently) it runs,
 * each thing happens once.
 * - 待审核 bookings whose start passed are cancelled (nobody approved them in time);
 * - 已确认 bookings not checked in 15 min after start are released as 爽约, their slots freed at
 *   once; 3 no-shows in 90 days suspend booking for 30 days;
 * - the reminder goes out 1 h before start, once;
 * - checked-in bookings are marked 已完成 after their end;
 * - what changed bookings gave back (slots, week quota places, check-in codes) is released;
 * - the claims of new bookings are bound to them, and orphan claims of crashed requests swept.
 */
import type { bookingApi } from '../../../../src/shared/api/booking'
import { AppError } from '../../../../src/shared/errors'
import { suspensionAfterNoShows, type BookingAction, type BookingSettings } from '../../../../src/shared/rules/booking'
import { formatShort } from '../../../../src/shared/time'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { releaseDue, sweepOrphans } from './claims'
import { tellOwner } from './act'
import { effectKey, pendingFields, settleNow, sweepEffects, type Effect } from '../common/effects'
import { BOOKINGS, SUSPENSIONS, applyChange, getOrNull, loadSettings, type BookingDoc, type SuspensionDoc } from './model'

const BATCH = 100
const MAX_ROUNDS = 50

type H = HandlersOf<typeof bookingApi>

/** Run `each` over the matching bookings in batches until none is left or nothing progresses. */
async function drain(ctx: Ctx, where: Record<string, unknown>, order: string, each: (b: BookingDoc) => Promise<boolean>): Promise<number> {
  let done = 0
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const res = await ctx.db.collection<BookingDoc>(BOOKINGS).where(where).orderBy(order, 'asc').limit(BATCH).get()
    if (res.data.length === 0) break
    let progressed = 0
    for (const b of res.data) {
      try {
        if (await each(b)) {
          done++
          progressed++
        }
      } catch (e) {
        // Someone (a person or another run) changed it first: theirs stands.
        if (!(e instanceof AppError && e.code === 'CONFLICT')) throw e
      }
    }
    if (progressed === 0 || res.data.length < BATCH) break
  }
  return done
}

export const tick: H['tick'] = async (_input, ctx) => {
  const now = ctx.clock.now()
  const _ = ctx._
  const settingsCache = new Map<string, Promise<BookingSettings>>()
  const settingsOf = (communityId: string) => {
    if (!settingsCache.has(communityId)) settingsCache.set(communityId, loadSettings(ctx, communityId))
    return settingsCache.get(communityId)!
  }
  const transition = (b: BookingDoc, action: BookingAction, note: string | null, effects?: (n: BookingDoc) => Effect[]) =>
    applyChange(ctx, b, action, { note, effects })

  const expired = await drain(ctx, { status: 'pending', startAt: _.lte(now) }, 'startAt', async (b) => {
    await transition(b, 'expire', '开始前未完成审核，自动取消', (n) => [tellOwner(ctx, n, '场地预约未能审核，已自动取消', '开始前未完成审核，名额已释放')])
    return true
  })

  let suspended = 0
  const noShows = await drain(ctx, { status: 'confirmed', noShowAt: _.lte(now) }, 'noShowAt', async (b) => {
    const next = await transition(b, 'noShow', '开始后未签到，按爽约释放', (n) => [
      tellOwner(ctx, n, '预约未签到，已按爽约处理', '场地已释放给其他居民，如不能前往请提前取消', 'booking_noshow'),
    ])
    // Derived from the no-show records themselves, so a run cut short here is made good by the next
    // no-show of the same person (the window counts every no-show, not only this one).
    const until = await maybeSuspend(ctx, next, await settingsOf(b.communityId))
    if (until) {
      suspended++
      await settleNow(ctx, BOOKINGS, b._id, 'suspend', [
        tellOwner(ctx, next, '预约功能已暂停', `累计爽约次数过多，预约功能暂停至 ${formatShort(until)}`, 'booking_noshow'),
      ])
    }
    return true
  })

  const reminded = await drain(ctx, { status: 'confirmed', reminded: false, remindAt: _.lte(now) }, 'remindAt', async (b) => {
    // A conditional flag flip carrying the reminder: of any number of concurrent runs, exactly one sends it.
    const late = b.startAt.getTime() <= now.getTime() // too late to be useful; the no-show rule takes over
    const key = `remind${effectKey(b.version)}`
    const effects = late
      ? []
      : [tellOwner(ctx, b, '场地预约即将开始', `请按时到场签到，开始后 ${Math.round((b.noShowAt.getTime() - b.startAt.getTime()) / 60_000)} 分钟未签到将按爽约处理`, 'booking_reminder')]
    const res = await ctx.db
      .collection(BOOKINGS)
      .where({ _id: b._id, status: 'confirmed', reminded: false })
      .update({ data: { reminded: true, remindedAt: now, ...pendingFields(ctx, key, effects, b.effectsDue) } })
    if (res.stats.updated !== 1) return false
    await settleNow(ctx, BOOKINGS, b._id, key, effects)
    return true
  })

  const completed = await drain(ctx, { status: 'checked_in', endAt: _.lte(now) }, 'endAt', async (b) => {
    await transition(b, 'complete', null)
    return true
  })

  await releaseDue(ctx)
  const swept = await sweepOrphans(ctx)
  // Notifications a crashed or failed call left on its booking.
  await sweepEffects(ctx, BOOKINGS)
  return { noShows, suspended, reminded, completed, expired, swept }
}

/**
 * After a no-show: count the person's no-shows in the window that did not already cause a
 * suspension; at the limit, suspend (one record per person, written whole, so two runs agree),
 * and put its end on the person's record, where booking reads it.
 */
async function maybeSuspend(ctx: Ctx, b: BookingDoc, s: BookingSettings): Promise<Date | null> {
  const now = ctx.clock.now()
  const since = new Date(now.getTime() - s.noShowWindowDays * 24 * 3600_000)
  const [res, current] = await Promise.all([
    ctx.db
      .collection<Pick<BookingDoc, 'startAt'>>(BOOKINGS)
      .where({ ownerId: b.ownerId, status: 'no_show', startAt: ctx._.gte(since) })
      .orderBy('startAt', 'desc')
      .field({ startAt: true })
      .limit(100)
      .get(),
    getOrNull<SuspensionDoc>(ctx, SUSPENSIONS, b.ownerId),
  ])
  const starts = res.data.map((x) => new Date(x.startAt))
  if (current && new Date(current.until).getTime() > now.getTime()) {
    // Already suspended: make sure the person's record says so (a run cut short between the two writes).
    await ctx.db.collection('users').where({ _id: b.ownerId, bookingSuspendedUntil: ctx._.neq(new Date(current.until)) }).update({ data: { bookingSuspendedUntil: new Date(current.until) } })
    return null
  }
  const until = suspensionAfterNoShows(starts, now, current ? new Date(current.since) : null, s)
  if (!until) return null
  await Promise.all([
    ctx.db.collection(SUSPENSIONS).doc(b.ownerId).set({ data: { communityId: b.communityId, since: now, until, noShows: starts.length } }),
    ctx.db.collection('users').where({ _id: b.ownerId }).update({ data: { bookingSuspendedUntil: until } }),
  ])
  return until
}
