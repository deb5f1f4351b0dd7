/**
 * The volunteer job (定时任务, every 5 minutes; idempotent, and safe when two runs overlap):
 * - promote from the waitlist, in line, into every free place, until 2 h before the start —
 *   a place by conditional update, the person by compare-and-set on their sign-up, so two runs
 *   never promote the same person or fill a place twice;
 * - give back a place held by a request that died between taking it and writing its sign-up
 *   (only once `taken` has stood still for a while, by compare-and-set);
 * - credit hours and points of finished activities (ledger entries by deterministic id), then copy
 *   what a list shows of the activity onto all its sign-ups and keep the volunteers' names for the
 *   boards (a cancelled activity is copied too, once it is over);
 * - remind the people signed up the day before;
 * - once, copy the boards kept before the leaderboards' rows existed into them (ranks.ts);
 * - settle effects a crashed call left behind.
 */
import type { volunteerApi } from '../../../../src/shared/api/volunteer'
import { promotionOpen } from '../../../../src/shared/rules/volunteer'
import { formatShort } from '../../../../src/shared/time'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { effectKey, notifyEffect, pendingFields, settleNow, sweepEffects } from '../common/effects'
import { ACTIVITIES, LEDGER, SIGNUPS, givePlace, snapshotOf, takePlace, type ActivityDoc, type SignupDoc } from './model'
import { activityLink } from './activities'
import { credit, rememberNames } from './points'
import { migrateRanks } from './ranks'

/** A `taken` count unchanged this long is settled: no request can still be between its two steps. */
const SETTLED_MS = 2 * 60_000

export const tick: HandlersOf<typeof volunteerApi>['tick'] = async (_input, ctx) => {
  const now = ctx.clock.now()
  const _ = ctx._
  let promoted = 0
  let credited = 0
  let reminded = 0
  let recounted = 0
  // Once: the boards kept before the leaderboards' rows existed, copied into them.
  await migrateRanks(ctx)

  const upcoming = await ctx.db
    .collection<ActivityDoc>(ACTIVITIES)
    .where({ status: 'published', startAt: _.gt(now) })
    .orderBy('startAt', 'asc')
    .limit(200)
    .get()
  for (const a of upcoming.data) {
    recounted += await repairTaken(ctx, a, now)
    if (promotionOpen(a, now)) promoted += await promote(ctx, a)
    // The day before: remind everyone confirmed, once (a flag flip carrying the notices).
    if (!a.remindedAt && a.startAt.getTime() - now.getTime() <= 24 * 3600_000) reminded += await remind(ctx, a)
  }

  const finished = await ctx.db
    .collection<ActivityDoc>(ACTIVITIES)
    .where({ status: 'published', endAt: _.lte(now), creditedAt: _.exists(false) })
    .orderBy('endAt', 'asc')
    .limit(20)
    .get()
  for (const a of finished.data) {
    const names: Record<string, string> = {}
    for (;;) {
      const page = await ctx.db.collection<SignupDoc>(SIGNUPS).where({ activityId: a._id, state: 'confirmed', credited: false }).limit(100).get()
      for (const s of page.data) {
        if (await credit(ctx, a, s)) credited++
        names[s.openid] = s.name
      }
      if (page.data.length < 100) break
    }
    await rememberNames(ctx, a.communityId, names)
    await closeActivity(ctx, a, now)
  }
  // Cancelled activities that are over: their sign-ups get the copy too (nothing to credit).
  const cancelled = await ctx.db
    .collection<ActivityDoc>(ACTIVITIES)
    .where({ status: 'cancelled', endAt: _.lte(now), creditedAt: _.exists(false) })
    .orderBy('endAt', 'asc')
    .limit(50)
    .get()
  for (const a of cancelled.data) await closeActivity(ctx, a, now)
  await Promise.all([sweepEffects(ctx, LEDGER), sweepEffects(ctx, SIGNUPS), sweepEffects(ctx, ACTIVITIES)])
  return { promoted, credited, reminded, recounted }
}

/** An activity that is over: what a list shows of it onto every sign-up, then marked (so once). */
async function closeActivity(ctx: Ctx, a: ActivityDoc, now: Date): Promise<void> {
  await ctx.db.collection(SIGNUPS).where({ activityId: a._id }).update({ data: { activity: ctx._.set(snapshotOf(a)) } })
  await ctx.db.collection(ACTIVITIES).where({ _id: a._id, creditedAt: ctx._.exists(false) }).update({ data: { creditedAt: now } })
}

/** Promote the first in line into each free place. */
async function promote(ctx: Ctx, a: ActivityDoc): Promise<number> {
  const _ = ctx._
  let n = 0
  for (let guard = 0; guard < a.capacity + 5; guard++) {
    const now = ctx.clock.now()
    if (!(await takePlace(ctx, a._id, now, { status: 'published' }, a.placesLeft === undefined ? a : undefined))) break
    const first = await ctx.db.collection<SignupDoc>(SIGNUPS).where({ activityId: a._id, state: 'waitlisted' }).orderBy('seq', 'asc').orderBy('_id', 'asc').limit(1).get()
    const s = first.data[0]
    if (!s) {
      await givePlace(ctx, a._id, now)
      break
    }
    const key = effectKey(s.version + 1)
    const effects = [
      notifyEffect(ctx, [{ people: [s.openid] }], {
        title: '候补成功，您已报名志愿活动',
        body: `「${a.title}」${formatShort(a.startAt)}，${a.place}。如不能参加请及时取消`,
        link: activityLink(a._id),
        ref: `activity:${a._id}`,
        template: 'activity_change',
        fields: { activity: a.title, status: '候补成功', note: formatShort(a.startAt) },
      }),
    ]
    const res = await ctx.db
      .collection(SIGNUPS)
      .where({ _id: s._id, state: 'waitlisted', version: s.version })
      .update({ data: { state: 'confirmed', promotedAt: now, version: s.version + 1, ...pendingFields(ctx, key, effects, s.effectsDue) } })
    if (res.stats.updated !== 1) {
      // Promoted (or cancelled) by another run a moment ago: give the place back and look again.
      await givePlace(ctx, a._id, now)
      continue
    }
    await ctx.db.collection(ACTIVITIES).doc(a._id).update({ data: { waiting: _.inc(-1) } })
    await settleNow(ctx, SIGNUPS, s._id, key, effects)
    n++
  }
  return n
}

/**
 * `taken` above the confirmed sign-ups, and unchanged for a while: a place a dead request held.
 * The same compare-and-set fills in `placesLeft` on an activity saved before it existed.
 */
async function repairTaken(ctx: Ctx, a: ActivityDoc, now: Date): Promise<number> {
  if (a.lastTakeAt && now.getTime() - new Date(a.lastTakeAt).getTime() < SETTLED_MS) return 0
  const [confirmed, waiting] = await Promise.all([
    ctx.db.collection(SIGNUPS).where({ activityId: a._id, state: 'confirmed' }).count(),
    ctx.db.collection(SIGNUPS).where({ activityId: a._id, state: 'waitlisted' }).count(),
  ])
  const left = Math.max(0, a.capacity - confirmed.total)
  if (confirmed.total === a.taken && waiting.total === (a.waiting ?? 0) && a.placesLeft === left) return 0
  const res = await ctx.db
    .collection(ACTIVITIES)
    // `waiting` too: a sign-up joining the waitlist meanwhile moves only it (its place in line is read from it).
    .where({ _id: a._id, taken: a.taken, lastTakeAt: a.lastTakeAt ?? _exists(ctx), capacity: a.capacity, waiting: a.waiting ?? _exists(ctx) })
    .update({ data: { taken: confirmed.total, waiting: waiting.total, placesLeft: left } })
  return res.stats.updated
}
const _exists = (ctx: Ctx) => ctx._.exists(false)

async function remind(ctx: Ctx, a: ActivityDoc): Promise<number> {
  const people = (await ctx.db.collection<SignupDoc>(SIGNUPS).where({ activityId: a._id, state: 'confirmed' }).field({ openid: true }).limit(1000).get()).data.map((s) => s.openid)
  const key = `remind${effectKey(a.version ?? 0)}`
  const effects = people.length
    ? [
        notifyEffect(ctx, [{ people }], {
          title: '明天有您报名的志愿活动',
          body: `「${a.title}」${formatShort(a.startAt)}，${a.place}。请按时到场签到`,
          link: activityLink(a._id),
          ref: `activity:${a._id}`,
          template: 'activity_change',
          fields: { activity: a.title, status: '活动提醒', note: formatShort(a.startAt) },
        }),
      ]
    : []
  const res = await ctx.db
    .collection(ACTIVITIES)
    .where({ _id: a._id, remindedAt: ctx._.exists(false) })
    .update({ data: { remindedAt: ctx.clock.now(), ...pendingFields(ctx, key, effects, a.effectsDue) } })
  if (res.stats.updated !== 1) return 0
  await settleNow(ctx, ACTIVITIES, a._id, key, effects)
  return people.length
}
