/**
 * Browsing activities, and the organiser's side: create, edit, publish, cancel, the roster. Each
 * read is one step after the caller's record: what it needs beside the activities (the caller's
 * own sign-ups, the roster's rows, the people to tell) is read at the same time.
 */
import { AppError } from '../../../../src/shared/errors'
import type { volunteerApi } from '../../../../src/shared/api/volunteer'
import { maskPhone } from '../../../../src/shared/ids'
import { isStaff } from '../../../../src/shared/domain/user'
import { atShanghai, addDays } from '../../../../src/shared/time'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { createdId } from '../../runtime/requests'
import { DB_DUPLICATE_KEY, isDbError } from '../../platform/db'
import { requireCleanText } from '../common/content'
import { pageArgs, pageResult } from '../common/paging'
import { notifyEffect, effectKey, pendingFields, settleNow } from '../common/effects'
import { ACTIVITIES, SIGNUPS, STATE_LABELS, detailOf, getOrNull, loadActivity, positionOf, signupId, summaryOf, type ActivityDoc, type SignupDoc } from './model'

type H = HandlersOf<typeof volunteerApi>

const activityLink = (id: string) => `/packages/volunteer/pages/detail/index?id=${id}`

export const list: H['list'] = async (input, ctx) => {
  const user = ctx.user!
  const now = ctx.clock.now()
  const _ = ctx._
  if (input.phase === 'draft' && !isStaff(user)) throw new AppError('FORBIDDEN', '只有社区工作人员可以查看草稿')
  const where: Record<string, unknown> = { communityId: user.address.communityId, status: input.phase === 'draft' ? 'draft' : 'published' }
  if (input.category) where.category = input.category
  if (input.date) where.startAt = _.gte(atShanghai(input.date, 0)).and(_.lt(atShanghai(addDays(input.date, 1), 0)))
  // Upcoming first (soonest start), finished ones newest first.
  const finished = input.phase === 'finished'
  // An activity lasts at most MAX_LENGTH_MS (save), so its end bounds its start: the bound on
  // startAt lets the index start reading where matches can be, not at the community's first
  // activity (at district scale, years of finished ones tested and dropped on every look).
  const earliest = new Date(now.getTime() - MAX_LENGTH_MS)
  if (input.phase === 'finished') Object.assign(where, input.date ? {} : { startAt: _.lt(now) }, { endAt: _.lte(now) })
  else if (input.phase === 'ongoing') Object.assign(where, { startAt: _.gt(earliest).and(_.lte(now)), endAt: _.gt(now) })
  else if (!input.date && input.phase !== 'draft') Object.assign(where, { startAt: _.gt(earliest), endAt: _.gt(now) })
  const { skip, limit } = pageArgs(input)
  // The caller's sign-ups over the same stretch of time, read beside the page (drafts have none).
  const [res, signed] = await Promise.all([
    ctx.db
      .collection<ActivityDoc>(ACTIVITIES)
      .where(where)
      .orderBy('startAt', finished ? 'desc' : 'asc')
      .skip(skip)
      .limit(input.q || input.phase === 'open' || input.phase === 'full' ? 200 : limit + 1)
      .get(),
    input.phase === 'draft' ? { states: new Map<string, SignupDoc['state']>(), complete: true } : mySignupsWhen(ctx, input.date ? { from: atShanghai(input.date, 0), to: atShanghai(addDays(input.date, 1), 0) } : finished ? { to: now } : { from: new Date(now.getTime() - MAX_LENGTH_MS) }),
  ])
  let rows = res.data
  if (input.q) rows = rows.filter((a) => `${a.title}${a.place}${a.category}`.includes(input.q!))
  if (input.phase === 'open') rows = rows.filter((a) => a.taken < a.capacity && now.getTime() <= a.signupDeadline.getTime())
  if (input.phase === 'full') rows = rows.filter((a) => a.taken >= a.capacity && now.getTime() < a.startAt.getTime())
  const filtered = !!(input.q || input.phase === 'open' || input.phase === 'full')
  const page = filtered ? rows.slice(0, limit + 1) : rows
  // A sign-up older than the stretch read (a long history of finished ones): looked up by id.
  const missing = signed.complete ? [] : page.filter((a) => !signed.states.has(a._id)).map((a) => a._id)
  const more = await mySignups(ctx, missing)
  const mine = new Map([...signed.states, ...more])
  return pageResult(
    page.map((a) => summaryOf(a, now, mine.get(a._id) ?? null)),
    filtered ? { ...input, cursor: undefined } : input,
  )
}

/** An activity lasts at most 12 hours (save): one that started earlier than that has ended. */
const MAX_LENGTH_MS = 12 * 3600_000
const SIGNED_PAGE = 500

/**
 * The caller's sign-ups (any state) for activities starting in a stretch of time, newest first;
 * `complete` unless there were more than one page (then the rest are looked up by id).
 */
async function mySignupsWhen(ctx: Ctx, when: { from?: Date; to?: Date }): Promise<{ states: Map<string, SignupDoc['state']>; complete: boolean }> {
  const _ = ctx._
  const startAt = when.from && when.to ? _.gte(when.from).and(_.lt(when.to)) : when.from ? _.gte(when.from) : _.lt(when.to!)
  const res = await ctx.db
    .collection<SignupDoc>(SIGNUPS)
    .where({ openid: ctx.openid, startAt })
    .field({ activityId: true, state: true })
    .limit(SIGNED_PAGE)
    .get()
  return { states: new Map(res.data.map((s) => [s.activityId, s.state])), complete: res.data.length < SIGNED_PAGE }
}

/** The caller's sign-ups for these activities, in one lookup by their deterministic ids. */
async function mySignups(ctx: Ctx, activityIds: string[]): Promise<Map<string, SignupDoc['state']>> {
  if (activityIds.length === 0) return new Map()
  const res = await ctx.db
    .collection<SignupDoc>(SIGNUPS)
    .where({ _id: ctx._.in(activityIds.map((id) => signupId(id, ctx.openid))) })
    .field({ activityId: true, state: true })
    .limit(activityIds.length)
    .get()
  return new Map(res.data.map((s) => [s.activityId, s.state]))
}

export const get: H['get'] = async (input, ctx) => {
  const [a, s] = await Promise.all([loadActivity(ctx, input.id), getOrNull<SignupDoc>(ctx, SIGNUPS, signupId(input.id, ctx.openid))])
  return detailOf(ctx, a, s)
}

function times(input: { startAt: string; endAt: string; signupDeadline?: string }) {
  const startAt = new Date(input.startAt)
  const endAt = new Date(input.endAt)
  const signupDeadline = input.signupDeadline ? new Date(input.signupDeadline) : startAt
  const bad = (path: string, message: string) => new AppError('INVALID_INPUT', message, [{ path, message }])
  if (endAt.getTime() <= startAt.getTime()) throw bad('endAt', '结束时间应晚于开始时间')
  if (endAt.getTime() - startAt.getTime() > 12 * 3600_000) throw bad('endAt', '一次活动最长 12 小时')
  if (signupDeadline.getTime() > startAt.getTime()) throw bad('signupDeadline', '报名截止时间不能晚于活动开始')
  return { startAt, endAt, signupDeadline }
}

export const save: H['save'] = async (input, ctx) => {
  const user = ctx.user!
  const now = ctx.clock.now()
  const t = times(input)
  await requireCleanText(ctx, `${input.title}\n${input.description}\n${input.place}\n${input.requirements ?? ''}`, 'description')
  const fields = {
    title: input.title,
    category: input.category,
    description: input.description,
    ...t,
    place: input.place,
    address: input.address || null,
    location: input.location ?? null,
    capacity: input.capacity,
    points: input.points,
    // Hours credited at most: the planned length, in tenths of an hour.
    hours: Math.round((t.endAt.getTime() - t.startAt.getTime()) / 360_000) / 10,
    requirements: input.requirements ?? '',
    contact: input.contact,
    updatedAt: now,
  }
  if (!input.id) {
    if (t.startAt.getTime() <= now.getTime()) throw new AppError('INVALID_INPUT', '开始时间已过', [{ path: 'startAt', message: '开始时间已过' }])
    const doc: ActivityDoc = { _id: createdId(ctx, 'act'), communityId: user.address.communityId, ...fields, taken: 0, placesLeft: input.capacity, waiting: 0, status: 'draft', version: 1, createdBy: ctx.openid, createdAt: now }
    try {
      await ctx.db.collection(ACTIVITIES).add({ data: doc as unknown as Record<string, unknown> })
    } catch (e) {
      // A retried request (its id derives from the request): answer with the activity it created.
      if (!isDbError(e, DB_DUPLICATE_KEY)) throw e
      return detailOf(ctx, await loadActivity(ctx, doc._id), null)
    }
    return detailOf(ctx, doc, null)
  }
  const a = await loadActivity(ctx, input.id)
  if (a.status === 'cancelled' || now.getTime() >= a.endAt.getTime()) throw new AppError('PRECONDITION_FAILED', '已取消或已结束的活动不能再修改')
  if (input.version !== undefined && input.version !== (a.version ?? 0)) throw new AppError('CONFLICT', '活动已被他人修改，请刷新后再改')
  if (input.capacity < a.taken) throw new AppError('INVALID_INPUT', `已有 ${a.taken} 人报名，名额不能少于 ${a.taken}`, [{ path: 'capacity', message: `不能少于已报名的 ${a.taken} 人` }])
  // The places left move with the capacity (sign-ups meanwhile move them too: an increment, not a value).
  const counted = a.placesLeft !== undefined
  const res = await ctx.db
    .collection(ACTIVITIES)
    .where({ _id: a._id, version: a.version ?? ctx._.exists(false), taken: ctx._.lte(input.capacity), placesLeft: ctx._.exists(counted) })
    .update({ data: { ...fields, location: ctx._.set(fields.location), version: (a.version ?? 0) + 1, ...(counted ? { placesLeft: ctx._.inc(input.capacity - a.capacity) } : {}) } })
  if (res.stats.updated !== 1) throw new AppError('CONFLICT', '活动刚刚有了变化，请刷新后再改')
  return detailOf(ctx, { ...a, ...fields, ...(counted ? { placesLeft: (a.placesLeft ?? 0) + input.capacity - a.capacity } : {}), version: (a.version ?? 0) + 1 }, null)
}

export const publish: H['publish'] = async (input, ctx) => {
  const a = await loadActivity(ctx, input.id)
  if (a.status !== 'draft') throw new AppError('PRECONDITION_FAILED', '只有草稿可以发布')
  if (a.startAt.getTime() <= ctx.clock.now().getTime()) throw new AppError('PRECONDITION_FAILED', '开始时间已过，请先修改时间')
  const res = await ctx.db
    .collection(ACTIVITIES)
    .where({ _id: a._id, status: 'draft', version: input.version })
    .update({ data: { status: 'published', version: input.version + 1, updatedAt: ctx.clock.now() } })
  if (res.stats.updated !== 1) throw new AppError('CONFLICT', '活动刚刚有了变化，请刷新后再发布')
  return detailOf(ctx, { ...a, status: 'published', version: input.version + 1 }, null)
}

/** Cancel an activity: everyone signed up or waiting is told (an effect of the same write). */
export const cancelActivity: H['cancelActivity'] = async (input, ctx) => {
  await requireCleanText(ctx, input.reason, 'reason')
  const [a, signed] = await Promise.all([
    loadActivity(ctx, input.id),
    ctx.db.collection<SignupDoc>(SIGNUPS).where({ activityId: input.id, state: ctx._.in(['confirmed', 'waitlisted']) }).field({ openid: true }).limit(1000).get(),
  ])
  if (a.status === 'cancelled') throw new AppError('PRECONDITION_FAILED', '活动已取消')
  if (ctx.clock.now().getTime() >= a.endAt.getTime()) throw new AppError('PRECONDITION_FAILED', '活动已结束，不能取消')
  const people = signed.data.map((s) => s.openid)
  const version = (a.version ?? 0) + 1
  const effects = people.length
    ? [
        notifyEffect(ctx, [{ people }], {
          title: '志愿活动已取消',
          body: `「${a.title}」已取消：${input.reason}`,
          link: activityLink(a._id),
          ref: `activity:${a._id}`,
          template: 'activity_change',
          fields: { activity: a.title, status: '已取消', note: input.reason },
        }),
      ]
    : []
  const res = await ctx.db
    .collection(ACTIVITIES)
    .where({ _id: a._id, status: a.status, version: a.version ?? ctx._.exists(false) })
    .update({ data: { status: 'cancelled', cancelReason: input.reason, version, updatedAt: ctx.clock.now(), ...pendingFields(ctx, effectKey(version), effects, a.effectsDue) } })
  if (res.stats.updated !== 1) throw new AppError('CONFLICT', '活动刚刚有了变化，请刷新后再操作')
  await settleNow(ctx, ACTIVITIES, a._id, effectKey(version), effects)
  return detailOf(ctx, { ...a, status: 'cancelled', cancelReason: input.reason, version }, null)
}

/** The roster: the activity (whose community decides who may see it) and its sign-ups, read together. */
export const roster: H['roster'] = async (input, ctx) => {
  const [, rows] = await Promise.all([loadActivity(ctx, input.id), rosterRows(ctx, input.id)])
  return rosterOf(rows)
}

export async function rosterRows(ctx: Ctx, activityId: string): Promise<SignupDoc[]> {
  return (await ctx.db.collection<SignupDoc>(SIGNUPS).where({ activityId }).orderBy('seq', 'asc').limit(1000).get()).data
}

export function rosterOf(signups: SignupDoc[]) {
  // Confirmed first, then the waitlist in line, then cancellations.
  const order = { confirmed: 0, waitlisted: 1, cancelled: 2 }
  const rows = [...signups].sort((x, y) => order[x.state] - order[y.state] || x.seq - y.seq || (x._id < y._id ? -1 : 1))
  let line = 0
  return {
    items: rows.map((s) => ({
      openid: s.openid,
      name: s.name,
      phoneMasked: maskPhone(s.phone) ?? '',
      partyUnit: s.partyUnit,
      state: s.state,
      stateLabel: STATE_LABELS[s.state],
      position: s.state === 'waitlisted' ? ++line : null,
      checkedInAt: s.checkedInAt ? s.checkedInAt.toISOString() : null,
      checkedOutAt: s.checkedOutAt ? s.checkedOutAt.toISOString() : null,
      hours: s.credited ? s.hours : s.hoursOverride,
      late: s.late,
    })),
  }
}

export { positionOf, activityLink }
