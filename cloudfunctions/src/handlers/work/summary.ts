/**
 * 工作台 (issue 15): what waits for the caller across the features, read in one parallel wait
 * after the caller's record.
 *
 * Every group is the feature's own queue read the way its page reads it — the same where-shapes
 * on the same indexes (the case queue's scope, `queueScope`; 待审核's `(communityId, status,
 * startAt)`; 居民认证's `(address.communityId|gridId, verified, createdAt)`; 待走访's `(gridId,
 * nextDueAt)` …) — split in two where a group mixes "to do" and "overdue", so both are exact
 * counts (`count()`) and the first items are overdue first. Lists naturally bounded (today's
 * bookings, the activities of four days, the appeals of a year's closes) are read whole and
 * counted as read. What is waiting and what is overdue in each group: src/shared/rules/work.ts.
 *
 * Round trips: the caller's record (serve()), then every read of every group at once — one more
 * wait, however many groups (test/handlers/trips-work.test.ts pins the requests per role). The
 * place tree and a community's grids or a street's communities come from the instance's memory
 * (common/places.ts): on a cold instance they cost a wait before (grids, communities) and after
 * (the names of residents' and households' places) the main one.
 */
import type { CaseDoc } from '../cases/model'
import { caseLink } from '../cases/model'
import { queueScope } from '../cases/read'
import type { workApi, CommunityFigureT, WorkGroupKey, WorkGroupIn as WorkGroupT, WorkItemIn as WorkItemT } from '../../../../src/shared/api/work'
import { ITEMS_PER_GROUP, WORK_GROUP_TITLES } from '../../../../src/shared/api/work'
import { ACTIVITY_DAYS_AHEAD, APPEAL_QUARTERS, APPROVE_BEFORE_HOURS, byGroupUrgency, byUrgency, noteOf } from '../../../../src/shared/rules/work'
import { statusLabel, type CaseKind } from '../../../../src/shared/rules/cases'
import { timeText } from '../../../../src/shared/rules/booking'
import { DUE_SOON_DAYS } from '../../../../src/shared/rules/grid'
import { previousQuarter, quarterLabel } from '../../../../src/shared/rules/property'
import { VOLUNTEER_RULES } from '../../../../src/shared/rules/volunteer'
import { addDays, atShanghai, businessDate, formatShort, hhmm, quarterOf, sh } from '../../../../src/shared/time'
import { hasRole, isStaff, type UserDoc } from '../../../../src/shared/domain/user'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { createHash } from 'node:crypto'
import { communityGrids, knownPlaces, streetCommunities } from '../common/places'
import { keptOr, readKept } from '../common/kept'
import { BOOKINGS, type BookingDoc } from '../booking/model'
import { ACTIVITIES, type ActivityDoc } from '../volunteer/model'
import { BURSTS, RESULTS, type BurstDoc, type ResultDoc } from '../property/model'
import { HOUSEHOLDS, type HouseholdDoc } from '../grid/model'

type H = HandlersOf<typeof workApi>

const HOUR = 3600_000
const DAY = 24 * HOUR
/** Open cases someone must act on (waiting_info waits for the resident, its clock paused). */
const ACTIVE = ['submitted', 'accepted', 'mediating']

/** Where each group's 查看全部 and its items lead (the feature pages; subpackage paths). */
const q = encodeURIComponent
const PAGES = {
  disputes: '/packages/dispute/pages/queue/index',
  messages: '/packages/message/pages/inbox/index',
  events: '/packages/grid/pages/events/index',
  approvals: '/packages/booking/pages/pending/index',
  checkins: '/packages/booking/pages/verify/index',
  booking: (id: string) => `/packages/booking/pages/detail/index?id=${q(id)}`,
  activities: '/packages/volunteer/pages/list/index',
  activityQr: (id: string) => `/packages/volunteer/pages/qr/index?id=${q(id)}`,
  roster: (id: string) => `/packages/volunteer/pages/roster/index?id=${q(id)}`,
  close: (quarter?: string) => `/packages/property/pages/close/index${quarter ? `?quarter=${q(quarter)}` : ''}`,
  bursts: '/packages/property/pages/bursts/index',
  residents: '/packages/staff/pages/residents/index?filter=unverified',
  gridHome: '/packages/grid/pages/home/index',
  visit: (id: string) => `/packages/grid/pages/household/index?id=${q(id)}&visit=1`,
} as const

/** One call's facts, shared by the groups. */
interface Env {
  ctx: Ctx
  user: UserDoc
  now: Date
  /** false: counts only (the badge); the lists a count is read from are still read. */
  items: boolean
}

const none = Promise.resolve({ data: [] as never[] })
const counted = (p: Promise<{ total: number }>) => p.then((r) => r.total)

function group(key: WorkGroupKey, link: string, count: number, overdue: number, note: string | null, items: WorkItemT[]): WorkGroupT {
  return { key, title: WORK_GROUP_TITLES[key], count, overdue, note, link, items: items.sort(byUrgency).slice(0, ITEMS_PER_GROUP) }
}

// ------------------------------------------------------------------ cases

const CASE_FIELDS = { _id: true, kind: true, category: true, description: true, status: true, level: true, urgency: true, dueAt: true, overdue: true, location: true, gridName: true } as const

function casesPage(env: Env, where: Record<string, unknown>): Promise<{ data: CaseDoc[] }> {
  if (!env.items) return none
  return env.ctx.db.collection<CaseDoc>('cases').where(where).orderBy('dueAt', 'asc').orderBy('submittedAt', 'desc').limit(ITEMS_PER_GROUP).field(CASE_FIELDS).get()
}

const countCases = (env: Env, where: Record<string, unknown>) => counted(env.ctx.db.collection('cases').where(where).count())

/** What the deadline in force is for: 受理 (a message: its first reply; a patrol report at the community: 分流转办) or 办结. */
function caseDue(c: CaseDoc): string | null {
  if (!c.dueAt) return null
  const verb = c.status !== 'submitted' ? '办结' : c.kind === 'message' ? '回复' : c.kind === 'event' && c.level === 'community' ? '分流转办' : '受理'
  return `${formatShort(c.dueAt)} 前${verb}`
}

function caseItem(c: CaseDoc, now: Date): WorkItemT {
  const text = c.description.replace(/\s+/g, ' ')
  const kindTag = c.kind === 'message' ? '留言' : c.kind === 'event' ? '上报' : '纠纷'
  // At the top level the job flags an overdue case once and clears its deadline (cases/tick.ts).
  const overdue = c.dueAt ? c.dueAt.getTime() < now.getTime() : !!c.overdue
  return {
    id: c._id,
    title: `【${c.category}】${text.length > 24 ? `${text.slice(0, 24)}…` : text}`,
    detail: [c.location.text, c.gridName, c.level === 'street' ? kindTag : null, c.urgency === 'urgent' ? '紧急' : null].filter(Boolean).join(' · '),
    dueText: caseDue(c),
    dueAt: c.dueAt,
    overdue,
    tag: c.status !== 'submitted' ? statusLabel(c.kind, c.status, c.level) : c.kind === 'message' ? '待回复' : c.kind === 'event' && c.level === 'community' ? '待分流' : statusLabel(c.kind, c.status, c.level),
    link: caseLink(c),
  }
}

/**
 * 邻里纠纷 / 居民留言 in the caller's queue (its page's scope) at the levels the caller handles
 * (staff: the grids' and the community's; a grid worker: the grid's — cases/model.ts isHandler):
 * past their deadline (every active state), and to accept (待受理 / 待回复) still in time — two
 * disjoint sets, each counted.
 */
async function caseGroup(env: Env, key: 'disputes' | 'messages', kind: CaseKind): Promise<WorkGroupT> {
  const _ = env.ctx._
  const base = { ...queueScope(env.user, _), kind, level: isStaff(env.user) ? _.in(['grid', 'community']) : 'grid' }
  const late = { ...base, status: _.in(ACTIVE), dueAt: _.lt(env.now) }
  const fresh = { ...base, status: 'submitted', dueAt: _.gte(env.now) }
  const [lateRows, freshRows, lateN, freshN] = await Promise.all([casesPage(env, late), casesPage(env, fresh), countCases(env, late), countCases(env, fresh)])
  const toAccept = kind === 'message' ? '待回复' : '待受理'
  return group(key, PAGES[key], lateN + freshN, lateN, noteOf([['超期', lateN], [toAccept, freshN]]), [...lateRows.data, ...freshRows.data].map((c) => caseItem(c, env.now)))
}

/** The street: every active case escalated to it, of every kind; overdue by deadline or flagged (no deadline left). */
async function escalatedGroup(env: Env): Promise<WorkGroupT> {
  const _ = env.ctx._
  const base = { streetId: env.user.address.streetId, level: 'street', status: _.in(ACTIVE) }
  const [rows, all, late, flagged] = await Promise.all([
    casesPage(env, base),
    countCases(env, base),
    countCases(env, { ...base, dueAt: _.lt(env.now) }),
    countCases(env, { ...base, dueAt: null }),
  ])
  return group('escalated', PAGES.disputes, all, late + flagged, noteOf([['超期', late + flagged]]), rows.data.map((c) => caseItem(c, env.now)))
}

/** Patrol reports the community has not routed yet (still at its level). */
async function eventGroup(env: Env): Promise<WorkGroupT> {
  const _ = env.ctx._
  const base = { communityId: env.user.address.communityId, kind: 'event', level: 'community', status: _.in(ACTIVE) }
  const [rows, all, late] = await Promise.all([casesPage(env, base), countCases(env, base), countCases(env, { ...base, dueAt: _.lt(env.now) })])
  return group('events', PAGES.events, all, late, noteOf([['超期', late]]), rows.data.map((c) => caseItem(c, env.now)))
}

/** Each community of the street: its active cases at any level, and how many are past their deadline. */
async function communityFigures(env: Env, communities: Array<{ _id: string; name: string }>): Promise<CommunityFigureT[]> {
  const _ = env.ctx._
  return Promise.all(
    communities.map(async (c) => {
      const base = { communityId: c._id, status: _.in(ACTIVE) }
      const [open, overdue] = await Promise.all([countCases(env, base), countCases(env, { ...base, dueAt: _.lt(env.now) })])
      return { id: c._id, name: c.name, open, overdue }
    }),
  )
}

// ------------------------------------------------------------------ bookings

const BOOKING_FIELDS = { timeline: false, claimIds: false, effects: false } as const

/** 待审核: every pending booking; overdue when not decided APPROVE_BEFORE_HOURS before it starts. */
async function approvalGroup(env: Env): Promise<WorkGroupT> {
  const { ctx, now } = env
  const base = { communityId: env.user.address.communityId, status: 'pending' }
  const lateBefore = new Date(now.getTime() + APPROVE_BEFORE_HOURS * HOUR)
  const col = () => ctx.db.collection<BookingDoc>(BOOKINGS)
  const [rows, all, late] = await Promise.all([
    env.items ? col().where(base).orderBy('startAt', 'asc').limit(ITEMS_PER_GROUP).field(BOOKING_FIELDS).get() : none,
    counted(col().where(base).count()),
    counted(col().where({ ...base, startAt: ctx._.lt(lateBefore) }).count()),
  ])
  const items = rows.data.map((b): WorkItemT => {
    const due = new Date(b.startAt.getTime() - APPROVE_BEFORE_HOURS * HOUR)
    return {
      id: b._id,
      title: `${b.roomName}：${b.purpose}`,
      detail: `${timeText(b.date, b.start, b.end)} · ${b.organisation ?? b.ownerName} · ${b.attendees} 人`,
      dueText: `${formatShort(due)} 前审核`,
      dueAt: due,
      overdue: due.getTime() < now.getTime(),
      tag: '待审核',
      link: PAGES.booking(b._id),
    }
  })
  return group('approvals', PAGES.approvals, all, late, noteOf([['临近开始', late]]), items)
}

/** 今日签到: today's confirmed bookings (a day of a community's rooms: read whole); overdue once started. */
async function checkinGroup(env: Env): Promise<WorkGroupT> {
  const { ctx, now } = env
  const today = businessDate(now)
  const res = await ctx.db
    .collection<BookingDoc>(BOOKINGS)
    .where({ communityId: env.user.address.communityId, status: 'confirmed', startAt: ctx._.gte(atShanghai(today)).and(ctx._.lt(atShanghai(addDays(today, 1)))) })
    .orderBy('startAt', 'asc')
    .limit(500)
    .field(BOOKING_FIELDS)
    .get()
  const items = res.data.map((b): WorkItemT => ({
    id: b._id,
    title: `${b.roomName} ${hhmm(b.start)}–${hhmm(b.end)}`,
    detail: `${b.organisation ?? b.ownerName} · ${b.purpose}`,
    dueText: `今天 ${hhmm(b.start)} 开始`,
    dueAt: b.startAt,
    overdue: b.startAt.getTime() < now.getTime(),
    tag: '待签到',
    link: PAGES.booking(b._id),
  }))
  const late = items.filter((i) => i.overdue).length
  return group('checkins', PAGES.checkins, items.length, late, noteOf([['已开始未签到', late]]), items)
}

// ------------------------------------------------------------------ volunteer

/** Today's activities (the organiser shows the check-in QR until check-out closes) and the next days' (check the roster). */
async function activityGroup(env: Env): Promise<WorkGroupT> {
  const { ctx, now } = env
  const today = businessDate(now)
  const res = await ctx.db
    .collection<ActivityDoc>(ACTIVITIES)
    .where({ communityId: env.user.address.communityId, status: 'published', startAt: ctx._.gte(atShanghai(today)).and(ctx._.lt(atShanghai(addDays(today, ACTIVITY_DAYS_AHEAD + 1)))) })
    .orderBy('startAt', 'asc')
    .limit(200)
    .field({ _id: true, title: true, startAt: true, endAt: true, place: true, taken: true, capacity: true, waiting: true })
    .get()
  const tomorrow = atShanghai(addDays(today, 1)).getTime()
  const live = res.data.filter((a) => a.endAt.getTime() + VOLUNTEER_RULES.checkOutAfterMs > now.getTime())
  const items = live.map((a): WorkItemT => {
    const isToday = a.startAt.getTime() < tomorrow
    return {
      id: a._id,
      title: a.title,
      detail: `${a.place} · 已报名 ${a.taken}/${a.capacity}${a.waiting ? ` · 候补 ${a.waiting}` : ''}`,
      dueText: `${formatShort(a.startAt)} 开始`,
      dueAt: a.startAt,
      overdue: false,
      tag: isToday ? '今日签到' : '核对名单',
      link: isToday ? PAGES.activityQr(a._id) : PAGES.roster(a._id),
    }
  })
  const todays = items.filter((i) => i.tag === '今日签到').length
  return group('activities', PAGES.activities, items.length, 0, noteOf([['今日', todays], [`${ACTIVITY_DAYS_AHEAD} 天内`, items.length - todays]]), items)
}

// ------------------------------------------------------------------ property

/** Appeals not decided (in the closes of the last year's quarters) and rating bursts flagged for review. */
async function propertyGroup(env: Env): Promise<WorkGroupT> {
  const { ctx } = env
  const communityId = env.user.address.communityId
  // The ended quarters a close may still be open for (the newest first).
  const quarters = [previousQuarter(quarterOf(env.now))]
  while (quarters.length < APPEAL_QUARTERS) quarters.push(previousQuarter(quarters[quarters.length - 1]))
  const [appeals, bursts, burstN] = await Promise.all([
    ctx.db
      .collection<ResultDoc>(RESULTS)
      .where({ communityId, quarter: ctx._.in(quarters), 'appeal.state': 'pending' })
      .limit(200)
      .field({ _id: true, companyName: true, quarter: true, appeal: true })
      .get(),
    env.items ? ctx.db.collection<BurstDoc>(BURSTS).where({ communityId, status: 'flagged' }).orderBy('hourStart', 'desc').limit(ITEMS_PER_GROUP).get() : none,
    counted(ctx.db.collection(BURSTS).where({ communityId, status: 'flagged' }).count()),
  ])
  const items: WorkItemT[] = [
    ...appeals.data.map((r) => ({
      id: r._id,
      title: `${r.companyName}对${quarterLabel(r.quarter)}评定结果的申诉`,
      detail: r.appeal ? `${r.appeal.byName} · ${formatShort(r.appeal.at)} 提出` : '',
      dueText: null,
      dueAt: null,
      overdue: false,
      tag: '待处理申诉',
      link: PAGES.close(r.quarter),
    })),
    ...bursts.data.map((b) => ({
      id: b._id,
      title: `${b.companyName ?? '物业公司'} 一小时内集中评价 ${b.count} 条`,
      detail: `${formatShort(b.hourStart)} 起 · ${quarterLabel(b.quarter)}`,
      dueText: null,
      dueAt: null,
      overdue: false,
      tag: '待核查',
      link: PAGES.bursts,
    })),
  ]
  return group('property', PAGES.close(), appeals.data.length + burstN, 0, noteOf([['申诉', appeals.data.length], ['集中评价', burstN]]), items)
}

// ------------------------------------------------------------------ residents and grids

/** 居民认证 as its page reads it: the community (staff) or the caller's grids, not verified yet, newest first. */
async function residentGroup(env: Env): Promise<WorkGroupT> {
  const { ctx, user } = env
  const where = isStaff(user) ? { 'address.communityId': user.address.communityId, verified: false } : { 'address.gridId': ctx._.in(user.gridIds), verified: false }
  const [rows, all] = await Promise.all([
    env.items ? ctx.db.collection<UserDoc>('users').where(where).orderBy('createdAt', 'desc').limit(ITEMS_PER_GROUP).field({ _id: true, name: true, address: true, createdAt: true }).get() : none,
    counted(ctx.db.collection('users').where(where).count()),
  ])
  const places = await knownPlaces(ctx, rows.data.flatMap((u) => [u.address.estateId, u.address.buildingId, u.address.unitId]))
  const name = (id: string) => places.get(id)?.name ?? ''
  const items = rows.data.map((u): WorkItemT => ({
    id: u._id,
    title: u.name ?? '未留姓名',
    detail: `${[name(u.address.estateId), name(u.address.buildingId), name(u.address.unitId), u.address.room].filter(Boolean).join(' ')} · ${formatShort(u.createdAt)} 入驻`,
    dueText: null,
    dueAt: null,
    overdue: false,
    tag: '待认证',
    link: PAGES.residents,
  }))
  return group('residents', PAGES.residents, all, 0, null, items)
}

/** 重点户走访: care-tagged households of the caller's grids whose visit is due within DUE_SOON_DAYS; overdue once due. */
async function visitGroup(env: Env, gridIds: string[]): Promise<WorkGroupT> {
  const { ctx, now } = env
  const _ = ctx._
  const soon = new Date(now.getTime() + DUE_SOON_DAYS * DAY)
  const base = { gridId: _.in(gridIds), nextDueAt: _.lte(soon) }
  const [rows, all, late] = await Promise.all([
    env.items ? ctx.db.collection<HouseholdDoc>(HOUSEHOLDS).where(base).orderBy('nextDueAt', 'asc').limit(ITEMS_PER_GROUP).field({ recent: false }).get() : none,
    counted(ctx.db.collection(HOUSEHOLDS).where(base).count()),
    counted(ctx.db.collection(HOUSEHOLDS).where({ gridId: _.in(gridIds), nextDueAt: _.lt(now) }).count()),
  ])
  const places = await knownPlaces(ctx, rows.data.flatMap((h) => [h.buildingId, h.unitId]))
  const items = rows.data.map((h): WorkItemT => {
    const overdue = !!h.nextDueAt && h.nextDueAt.getTime() < now.getTime()
    return {
      id: h._id,
      title: `${places.get(h.buildingId)?.name ?? ''} ${places.get(h.unitId)?.name ?? ''} ${h.room}`.trim(),
      detail: h.tags.map((t) => t.tag).join('、') || '重点关爱对象',
      dueText: h.nextDueAt ? `${sh(h.nextDueAt).format('M月D日')} 前走访` : null,
      dueAt: h.nextDueAt,
      overdue,
      tag: '待走访',
      link: PAGES.visit(h._id),
    }
  })
  return group('visits', PAGES.gridHome, all, late, noteOf([['超期', late], [`${DUE_SOON_DAYS} 天内到期`, all - late]]), items)
}

// ------------------------------------------------------------------ the actions

interface Summary {
  groups: WorkGroupT[]
  communities: CommunityFigureT[] | null
}

async function summarize(ctx: Ctx, items: boolean): Promise<Summary> {
  const user = ctx.user!
  const env: Env = { ctx, user, now: ctx.clock.now(), items }
  const staff = isStaff(user)
  const gridWorker = hasRole(user, 'grid_worker') && !staff
  const street = hasRole(user, 'street')
  // From the instance's memory (a request only on a cold instance), before the main wait.
  const [grids, communities] = await Promise.all([
    staff ? communityGrids(ctx, user.address.communityId).then((gs) => gs.map((g) => g._id)) : Promise.resolve(user.gridIds),
    street ? streetCommunities(ctx, user.address.streetId) : Promise.resolve(null),
  ])
  const groups: Array<Promise<WorkGroupT>> = []
  if (street) groups.push(escalatedGroup(env))
  if (staff || gridWorker) groups.push(caseGroup(env, 'disputes', 'dispute'), caseGroup(env, 'messages', 'message'))
  if (staff) groups.push(eventGroup(env), approvalGroup(env), checkinGroup(env), activityGroup(env), propertyGroup(env))
  if (staff || gridWorker) groups.push(residentGroup(env), visitGroup(env, grids))
  const [done, figures] = await Promise.all([Promise.all(groups), communities && items ? communityFigures(env, communities) : Promise.resolve(null)])
  return { groups: done.sort(byGroupUrgency), communities: figures }
}

const totals = (groups: WorkGroupT[]) => ({
  total: groups.reduce((n, g) => n + g.count, 0),
  overdue: groups.reduce((n, g) => n + g.overdue, 0),
})

export const summary: H['summary'] = async (_input, ctx) => {
  const { groups, communities } = await summarize(ctx, true)
  return { at: ctx.clock.now(), ...totals(groups), groups, communities }
}

/** The badge is kept per scope (`work_badges`) this long: it is asked on every app show of every worker (and the client keeps the newest count it has seen, so a kept one never undoes the workbench just seen). */
export const BADGE_TTL_MS = 2 * 60_000
export const WORK_BADGES = 'work_badges'

/**
 * Whose queues a caller sees: the badge of every caller with the same scope is the same number.
 * Staff: their community; a grid worker: their grids; the street: its street.
 */
function badgeScope(user: UserDoc): string {
  const staff = isStaff(user)
  const parts = [
    hasRole(user, 'street') ? `s:${user.address.streetId}` : '',
    staff ? `c:${user.address.communityId}` : '',
    hasRole(user, 'grid_worker') && !staff ? `g:${[...user.gridIds].sort().join(',')}` : '',
  ]
  return createHash('sha1').update(parts.join('|')).digest('hex')
}

/**
 * The counts alone, kept per scope for BADGE_TTL_MS (common/kept.ts): on every app show of every
 * worker it is one document after the caller's record; at most once per two minutes per scope a look
 * counts every group again. The workbench itself (summary) always counts afresh, and its total
 * replaces the badge on the client.
 */
export const badge: H['badge'] = async (_input, ctx) => {
  const id = badgeScope(ctx.user!)
  const kept = await readKept<{ total: number; overdue: number; countedAt: number }>(ctx, WORK_BADGES, id)
  return keptOr(ctx, WORK_BADGES, id, kept, BADGE_TTL_MS, async () => ({ ...totals((await summarize(ctx, false)).groups), countedAt: ctx.clock.now().getTime() }))
}
