/**
 * 志愿服务, the server side: the stored documents, loading them, and turning them into what a
 * caller may see.
 *
 * - `activities`: capacity by conditional update (`placesLeft > 0`, moved with `taken`; an activity
 *   saved before `placesLeft` existed uses `taken < capacity` until the job fills it in), never
 *   count-then-insert; `lastTakeAt` moves with every change of `taken`, so the job can tell a
 *   settled count from one in flight before it repairs a place held by a request that died.
 * - `signups`: one per person and activity, by deterministic id `activity:openid`; a waitlisted
 *   one carries `seq`, its place in line (the position shown is its rank, so always 1..n). Once
 *   the activity is over the job copies what a list shows of it onto every sign-up (`activity`),
 *   so 我的志愿's past activities are one read.
 * - `points_ledger`: append-only; the balance, the month and year boards and the leaderboards'
 *   rows (`volunteer_ranks`, ranks.ts) are counters moved by the entries' own effects
 *   (common/effects.ts), so they always equal the sum of the entries.
 */
import { AppError } from '../../../../src/shared/errors'
import type { ActivityDetailT, ActivitySummaryT, MySignupT } from '../../../../src/shared/api/volunteer'
import { isStaff } from '../../../../src/shared/domain/user'
import {
  PHASE_LABELS,
  VOLUNTEER_RULES,
  cancelProblem,
  checkProblem,
  phaseOf,
  signUpProblem,
  type ActivityStatus,
  type LedgerKind,
  type SignupState,
} from '../../../../src/shared/rules/volunteer'
import { formatShort, hhmm, minutesOfDay, sh } from '../../../../src/shared/time'
import type { Ctx } from '../../runtime/context'
import { getOrNull } from '../common/docs'
import type { Effect, WithEffects } from '../common/effects'

export const ACTIVITIES = 'activities'
export const SIGNUPS = 'signups'
export const LEDGER = 'points_ledger'
export const TOTALS = 'volunteer_totals'
/** The 积分榜's rows: one per person, community and period (ranks.ts). */
export const RANKS = 'volunteer_ranks'

export const rankId = (communityId: string, period: string, openid: string) => `${communityId}:${period}:${openid}`

export interface ActivityDoc extends WithEffects {
  _id: string
  communityId: string
  title: string
  category: string
  description?: string
  startAt: Date
  endAt: Date
  signupDeadline: Date
  place: string
  address?: string | null
  location?: { latitude: number; longitude: number } | null
  capacity: number
  taken: number
  /** capacity − taken, moved with it: a place is taken by `placesLeft > 0` without knowing the capacity. Absent on activities saved before it existed (the job fills it in). */
  placesLeft?: number
  /** Waitlisted sign-ups (a display counter, repaired by the job like `taken`). */
  waiting?: number
  lastTakeAt?: Date | null
  hours: number
  points: number
  requirements?: string
  contact: string
  status: ActivityStatus
  cancelReason?: string | null
  /** Hours and points of everyone who attended were credited (the job, once the activity ended). */
  creditedAt?: Date | null
  remindedAt?: Date | null
  version?: number
  createdBy: string
  createdAt: Date
  updatedAt?: Date
}

export interface SignupDoc extends WithEffects {
  _id: string
  activityId: string
  communityId: string
  openid: string
  name: string
  phone: string
  partyUnit: string | null
  state: SignupState
  /** Its place in the waitlist's line (rank among the waitlisted, by seq then id). */
  seq: number
  startAt: Date
  signedAt: Date
  cancelledAt: Date | null
  late: boolean
  checkedInAt: Date | null
  checkedOutAt: Date | null
  /** Set by an organiser's adjustment (with its reason in `adjustments`): used instead of the computed hours. */
  hoursOverride: number | null
  adjustments: Array<{ at: Date; by: string; hours: number; reason: string }>
  credited: boolean
  hours: number | null
  points: number | null
  version: number
  /** What a list shows of the activity, copied by the job once it is over (it cannot change after). */
  activity?: ActivitySnapshot
}

/** The fields of an activity a summary is drawn from. */
export type ActivitySnapshot = Pick<ActivityDoc, 'title' | 'category' | 'status' | 'startAt' | 'endAt' | 'signupDeadline' | 'place' | 'capacity' | 'taken' | 'waiting' | 'hours' | 'points'>

export const SNAPSHOT_FIELDS = { title: true, category: true, status: true, startAt: true, endAt: true, signupDeadline: true, place: true, capacity: true, taken: true, placesLeft: true, waiting: true, hours: true, points: true } as const

export function snapshotOf(a: ActivitySnapshot): ActivitySnapshot {
  return {
    title: a.title,
    category: a.category,
    status: a.status,
    startAt: a.startAt,
    endAt: a.endAt,
    signupDeadline: a.signupDeadline,
    place: a.place,
    capacity: a.capacity,
    taken: a.taken,
    waiting: a.waiting ?? 0,
    hours: a.hours,
    points: a.points,
  }
}

export interface LedgerDoc extends WithEffects {
  _id: string
  openid: string
  communityId: string
  kind: LedgerKind
  points: number
  hours: number
  reason: string
  activityId: string | null
  /** The activity's category (earned hours and their corrections; absent on entries written before it was kept): the month boards' `cat` rows. */
  category?: string | null
  partyUnit: string | null
  at: Date
  by: string
}

export const signupId = (activityId: string, openid: string) => `${activityId}:${openid}`

export { getOrNull }

const NOT_FOUND = '没有找到该活动，或它不属于您所在的社区'

/** An activity of the caller's community; a draft only for its staff. Anything else: NOT_FOUND. */
export async function loadActivity(ctx: Ctx, id: string): Promise<ActivityDoc> {
  return visibleActivity(ctx, await getOrNull<ActivityDoc>(ctx, ACTIVITIES, id))
}

/** The same rule for an activity read beside other things. */
export function visibleActivity<T extends Pick<ActivityDoc, 'communityId' | 'status'>>(ctx: Pick<Ctx, 'user'>, a: T | null): T {
  const user = ctx.user
  if (!a || !user || a.communityId !== user.address.communityId || (a.status === 'draft' && !isStaff(user))) throw new AppError('NOT_FOUND', NOT_FOUND)
  return a
}

export const STATE_LABELS: Record<SignupState, string> = { confirmed: '已报名', waitlisted: '候补中', cancelled: '已取消' }

export function timeText(a: Pick<ActivityDoc, 'startAt' | 'endAt'>): string {
  const same = sh(a.startAt).format('YYYY-MM-DD') === sh(a.endAt).format('YYYY-MM-DD')
  return same ? `${formatShort(a.startAt)}–${hhmm(minutesOfDay(a.endAt))}` : `${formatShort(a.startAt)} 至 ${formatShort(a.endAt)}`
}

/**
 * Take a place of the activity: one conditional update, never more than the capacity whatever
 * arrives at once. `placesLeft` moves with `taken`, so the condition needs no capacity (`legacy`:
 * the activity was read without it — saved before it existed — and is held by `taken < capacity`).
 */
export async function takePlace(ctx: Ctx, id: string, now: Date, where: Record<string, unknown> = {}, legacy?: Pick<ActivityDoc, 'capacity'>): Promise<boolean> {
  const res = await ctx.db
    .collection(ACTIVITIES)
    .where({ ...where, _id: id, ...(legacy ? { taken: ctx._.lt(legacy.capacity), placesLeft: ctx._.exists(false) } : { placesLeft: ctx._.gt(0) }) })
    .update({ data: { taken: ctx._.inc(1), lastTakeAt: now, ...(legacy ? {} : { placesLeft: ctx._.inc(-1) }) } })
  return res.stats.updated === 1
}

/** Give a place back (both counters, or `taken` alone on an activity without `placesLeft` yet). */
export async function givePlace(ctx: Ctx, id: string, now: Date): Promise<void> {
  for (const counted of [true, false]) {
    const res = await ctx.db
      .collection(ACTIVITIES)
      .where({ _id: id, placesLeft: ctx._.exists(counted) })
      .update({ data: { taken: ctx._.inc(-1), lastTakeAt: now, ...(counted ? { placesLeft: ctx._.inc(1) } : {}) } })
    if (res.stats.updated === 1) return
  }
}

export function summaryOf(a: ActivitySnapshot & { _id: string }, now: Date, mine: SignupState | null): ActivitySummaryT {
  const phase = phaseOf(a, now)
  return {
    id: a._id,
    title: a.title,
    category: a.category,
    phase,
    phaseLabel: PHASE_LABELS[phase],
    startAt: a.startAt.toISOString(),
    endAt: a.endAt.toISOString(),
    timeText: timeText(a),
    place: a.place,
    capacity: a.capacity,
    taken: Math.min(a.taken, a.capacity),
    placesLeft: Math.max(0, a.capacity - a.taken),
    waitlisted: a.waiting ?? 0,
    hours: a.hours,
    points: a.points,
    mine,
  }
}

/** A waitlisted sign-up's position: 1 + how many waitlisted are ahead of it in line. */
export async function positionOf(ctx: Ctx, s: SignupDoc): Promise<number> {
  const _ = ctx._
  const ahead = await ctx.db
    .collection(SIGNUPS)
    .where(_.and([{ activityId: s.activityId, state: 'waitlisted' }, _.or([{ seq: _.lt(s.seq) }, { seq: s.seq, _id: _.lt(s._id) }])]))
    .count()
  return ahead.total + 1
}

/** The caller's sign-up as they see it; a waitlisted one's position is counted unless the caller knows it. */
export async function signupOut(ctx: Ctx, s: SignupDoc | null, position?: number): Promise<MySignupT | null> {
  if (!s) return null
  return {
    state: s.state,
    stateLabel: STATE_LABELS[s.state],
    position: s.state === 'waitlisted' ? (position ?? (await positionOf(ctx, s))) : null,
    checkedInAt: s.checkedInAt ? s.checkedInAt.toISOString() : null,
    checkedOutAt: s.checkedOutAt ? s.checkedOutAt.toISOString() : null,
    hours: s.credited ? s.hours : null,
    points: s.credited ? s.points : null,
    late: s.late,
  }
}

export async function detailOf(ctx: Ctx, a: ActivityDoc, s: SignupDoc | null, position?: number): Promise<ActivityDetailT> {
  const now = ctx.clock.now()
  const live = s && s.state !== 'cancelled' ? s : null
  const can: string[] = []
  if (!live && !signUpProblem(a, now)) can.push('signUp')
  if (live && !live.checkedInAt && !cancelProblem(a, now)) can.push('cancel')
  if (live?.state === 'confirmed' && !live.checkedInAt && !checkProblem(a, now, 'in')) can.push('checkIn')
  if (live?.state === 'confirmed' && live.checkedInAt && !live.checkedOutAt && !checkProblem(a, now, 'out')) can.push('checkOut')
  if (isStaff(ctx.user) && ctx.user?.address.communityId === a.communityId) {
    if (a.status === 'draft') can.push('edit', 'publish')
    if (a.status === 'published' && now.getTime() < a.endAt.getTime()) can.push('edit', 'cancelActivity', 'qr')
    can.push('roster')
  }
  return {
    ...summaryOf(a, now, s?.state ?? null),
    description: a.description ?? '',
    address: a.address ?? a.place,
    location: a.location ?? null,
    requirements: a.requirements ?? '',
    contact: a.contact,
    signupDeadline: a.signupDeadline.toISOString(),
    cancelUntil: new Date(a.startAt.getTime() - VOLUNTEER_RULES.cancelBeforeMs).toISOString(),
    status: a.status,
    version: a.version ?? 0,
    signup: await signupOut(ctx, s, position),
    can,
  }
}

/**
 * A counter effect on a person's totals and the community's month and year boards; on the month
 * board, hours and attendances (人次) also per activity category (`cat.<category>`: the statistics');
 * and on the person's month and year rows of the leaderboards (`volunteer_ranks`, created with
 * `name`: the name the boards show). All of them move in one transaction when the effects settle.
 */
export function totalsEffects(e: Pick<LedgerDoc, 'openid' | 'communityId' | 'points' | 'hours' | 'at' | 'kind' | 'category'>, name: string | null = null): Effect[] {
  const month = sh(e.at).format('YYYY-MM')
  const year = sh(e.at).format('YYYY')
  const inc = (prefix: string) => [
    { path: `${prefix}points`, n: e.points },
    { path: `${prefix}hours`, n: e.hours },
    ...(e.kind === 'earned' ? [{ path: `${prefix}activities`, n: 1 }] : []),
  ].filter((x) => x.n !== 0)
  const byCategory = e.category
    ? [{ path: `cat.${e.category}.hours`, n: e.hours }, ...(e.kind === 'earned' ? [{ path: `cat.${e.category}.credits`, n: 1 }] : [])].filter((x) => x.n !== 0)
    : []
  const board = (period: string, extra: Array<{ path: string; n: number }> = []): Effect => ({
    type: 'count',
    collection: TOTALS,
    id: `board:${e.communityId}:${period}`,
    seed: { communityId: e.communityId, period, people: {} },
    inc: [...inc(`people.${e.openid}.`), ...extra],
  })
  const row = (period: string): Effect => ({
    type: 'count',
    collection: RANKS,
    id: rankId(e.communityId, period, e.openid),
    seed: { communityId: e.communityId, period, openid: e.openid, name, points: 0, hours: 0 },
    inc: [
      { path: 'points', n: e.points },
      { path: 'hours', n: e.hours },
    ].filter((x) => x.n !== 0),
  })
  const all: Effect[] = [
    { type: 'count', collection: TOTALS, id: `person:${e.openid}`, seed: { openid: e.openid, points: 0, hours: 0, activities: 0 }, inc: inc('') },
    board(month, byCategory),
    board(year),
    row(month),
    row(year),
  ]
  return all.filter((x) => x.type !== 'count' || x.inc.length > 0)
}
