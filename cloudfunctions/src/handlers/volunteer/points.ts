/**
 * Hours (工时) and points (积分): my activities, my profile and ledger, the leaderboards, the
 * organiser's adjustments and bonuses, and the period export (.xlsx) per person and per 双报到
 * unit. Every change of a balance is a ledger entry carrying its counter effects.
 *
 * Reads are one step after the caller's record: 我的志愿 reads the caller's sign-ups beside the
 * community's coming activities (past ones carry what the list shows of their activity, copied by
 * the job once it ended); a board reads its top rows by index and the caller's own row by id
 * (ranks.ts).
 */
import { AppError } from '../../../../src/shared/errors'
import type { volunteerApi } from '../../../../src/shared/api/volunteer'
import { LEDGER_LABELS, creditFor, type LedgerKind } from '../../../../src/shared/rules/volunteer'
import { atShanghai, addDays, formatDate } from '../../../../src/shared/time'
import type { UserDoc } from '../../../../src/shared/domain/user'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { createdId } from '../../runtime/requests'
import { DB_DUPLICATE_KEY, isDbError } from '../../platform/db'
import { requireCleanText } from '../common/content'
import { pageArgs, pageResult } from '../common/paging'
import { effectKey, notifyEffect, pendingOnCreate, settleNow, type Effect } from '../common/effects'
import { placesById } from '../common/places'
import { txGetOrNull } from '../common/docs'
import { headerRow, totalRow, valueRow, xlsxBuffer } from '../common/xlsx'
import {
  ACTIVITIES,
  LEDGER,
  SIGNUPS,
  SNAPSHOT_FIELDS,
  TOTALS,
  getOrNull,
  loadActivity,
  signupId,
  summaryOf,
  totalsEffects,
  type ActivityDoc,
  type ActivitySnapshot,
  type LedgerDoc,
  type SignupDoc,
} from './model'
import { rosterOf, rosterRows } from './activities'
import { periodsOf, readBoard } from './ranks'

type H = HandlersOf<typeof volunteerApi>

/** How far back 我的志愿's coming activities reach: one that started longer ago than its longest length has ended. */
const MAX_LENGTH_MS = 12 * 3600_000
/** The community's coming activities read beside the caller's sign-ups (their live places and waitlist). */
const COMING = 200

export const mine: H['mine'] = async (input, ctx) => {
  const now = ctx.clock.now()
  const upcoming = input.when === 'upcoming'
  const { skip, limit } = pageArgs(input)
  const since = new Date(now.getTime() - MAX_LENGTH_MS)
  const [res, coming] = await Promise.all([
    ctx.db
      .collection<SignupDoc>(SIGNUPS)
      .where({ openid: ctx.openid, state: ctx._.in(['confirmed', 'waitlisted']), startAt: upcoming ? ctx._.gte(since) : ctx._.lt(now) })
      .orderBy('startAt', upcoming ? 'asc' : 'desc')
      .skip(skip)
      .limit(limit + 1)
      .get(),
    upcoming
      ? ctx.db
          .collection<ActivityDoc>(ACTIVITIES)
          .where({ communityId: ctx.user!.address.communityId, status: 'published', startAt: ctx._.gte(since) })
          .orderBy('startAt', 'asc')
          .limit(COMING)
          .field(SNAPSHOT_FIELDS)
          .get()
      : null,
  ])
  const byId = new Map<string, ActivitySnapshot & { _id: string }>((coming?.data ?? []).map((a) => [a._id, a]))
  for (const s of res.data) if (!byId.has(s.activityId) && s.activity && !upcoming) byId.set(s.activityId, { ...s.activity, _id: s.activityId })
  // Not among those (one far ahead, a cancelled one, one that has not ended long enough to be copied): by id.
  const missing = res.data.map((s) => s.activityId).filter((id) => !byId.has(id))
  if (missing.length) {
    const more = await ctx.db.collection<ActivityDoc>(ACTIVITIES).where({ _id: ctx._.in(missing) }).field(SNAPSHOT_FIELDS).limit(missing.length).get()
    for (const a of more.data) byId.set(a._id, a)
  }
  return pageResult(
    res.data.flatMap((s) => {
      const a = byId.get(s.activityId)
      return a ? [summaryOf(a, now, s.state)] : []
    }),
    input,
  )
}

interface Totals {
  points?: number
  hours?: number
  activities?: number
}

export const profile: H['profile'] = async (_input, ctx) => {
  const user = ctx.user!
  const [totals, places, recent] = await Promise.all([
    getOrNull<Totals>(ctx, TOTALS, `person:${ctx.openid}`),
    placesById(ctx, [user.address.communityId]),
    ctx.db.collection<LedgerDoc & { title?: string }>(LEDGER).where({ openid: ctx.openid, kind: 'earned' }).orderBy('at', 'desc').limit(5).get(),
  ])
  return {
    name: user.name ?? '志愿者',
    communityName: places.get(user.address.communityId)?.name ?? '',
    partyUnit: user.roles.includes('party_member') ? (user.partyUnit ?? null) : null,
    hours: Math.round((totals?.hours ?? 0) * 10) / 10,
    points: totals?.points ?? 0,
    activities: totals?.activities ?? 0,
    recent: recent.data.map((e) => ({ title: e.reason, date: formatDate(e.at), hours: e.hours })),
  }
}

const entryOut = (e: LedgerDoc) => ({ id: e._id, kind: e.kind, label: LEDGER_LABELS[e.kind], points: e.points, hours: e.hours, reason: e.reason, at: e.at.toISOString() })

export const ledger: H['ledger'] = async (input, ctx) => {
  const { skip, limit } = pageArgs(input)
  const res = await ctx.db.collection<LedgerDoc>(LEDGER).where({ openid: ctx.openid }).orderBy('at', 'desc').skip(skip).limit(limit + 1).get()
  return pageResult(res.data.map(entryOut), input)
}

/** The names of the community's volunteers, as they signed up (`volunteer_totals/names:<communityId>`, kept by the job when it credits them; the 工作台账 reads them, the boards' rows carry their own). */
export const namesId = (communityId: string) => `names:${communityId}`

/** Keep these people's names for the boards (one update; the first time, the document). */
export async function rememberNames(ctx: Ctx, communityId: string, names: Record<string, string>): Promise<void> {
  const entries = Object.entries(names)
  if (entries.length === 0) return
  const data = Object.fromEntries(entries.map(([openid, name]) => [`names.${openid}`, name]))
  const res = await ctx.db.collection(TOTALS).where({ _id: namesId(communityId) }).update({ data })
  if (res.stats.updated === 1) return
  try {
    await ctx.db.collection(TOTALS).add({ data: { _id: namesId(communityId), communityId, names } })
  } catch (e) {
    // It exists and already held these names (an update that changes nothing counts none).
    if (!isDbError(e, DB_DUPLICATE_KEY)) throw e
  }
}

/**
 * 积分榜: the community's month or year board from its rows (ranks.ts) — the top of the board in
 * the order of their index and the caller's own row by id, in one wait after the caller's record,
 * whatever the number of volunteers.
 */
export const leaderboard: H['leaderboard'] = async (input, ctx) => {
  const communityId = ctx.user!.address.communityId
  const [month, year] = periodsOf(ctx.clock.now())
  const period = input.period === 'month' ? month : year
  return { period, ...(await readBoard(ctx, communityId, period)) }
}

/** Write one ledger entry with its counter effects (exactly once, whoever settles them). */
export async function addEntry(ctx: Ctx, e: LedgerDoc, name: string | null, notify: Effect[] = []): Promise<boolean> {
  const effects = [...totalsEffects(e, name), ...notify]
  try {
    await ctx.db.collection(LEDGER).add({ data: { ...e, ...pendingOnCreate(ctx, effectKey(1), effects) } as unknown as Record<string, unknown> })
  } catch (err) {
    if (isDbError(err, DB_DUPLICATE_KEY)) return false // written by an earlier run: its effects are settled by it or by the job
    throw err
  }
  await settleNow(ctx, LEDGER, e._id, effectKey(1), effects)
  return true
}

async function member(ctx: Ctx, openid: string): Promise<UserDoc> {
  const u = await getOrNull<UserDoc>(ctx, 'users', openid)
  if (!u || u.address.communityId !== ctx.user!.address.communityId) throw new AppError('NOT_FOUND', '没有找到这位居民，或不属于本社区', [{ path: 'openid', message: '不是本社区的居民' }])
  return u
}

export const bonus: H['bonus'] = async (input, ctx) => {
  await requireCleanText(ctx, input.reason, 'reason')
  const u = await member(ctx, input.openid)
  const e: LedgerDoc = {
    _id: createdId(ctx, 'lg'),
    openid: u._id,
    communityId: u.address.communityId,
    kind: 'bonus',
    points: input.points,
    hours: 0,
    reason: input.reason,
    activityId: null,
    partyUnit: u.roles.includes('party_member') ? (u.partyUnit ?? null) : null,
    at: ctx.clock.now(),
    by: ctx.openid,
  }
  await addEntry(ctx, e, u.name ?? null, [
    notifyEffect(ctx, [{ people: [u._id] }], {
      title: `获得 ${input.points} 志愿积分`,
      body: input.reason,
      link: '/packages/volunteer/pages/mine/index',
      ref: `ledger:${e._id}`,
      template: 'volunteer_points',
      fields: { source: '奖励积分', points: input.points, note: input.reason },
    }),
  ])
  return entryOut(e)
}

/**
 * 调整工时: before crediting it replaces the computed hours; after, the difference goes in as a
 * correction entry. Either way the reason is kept on the sign-up (its audit trail). The sign-up and
 * its correction entry are written in one transaction (read the sign-up, then write both); the
 * activity and the roster are read beside the sign-up.
 */
export const adjustHours: H['adjustHours'] = async (input, ctx) => {
  await requireCleanText(ctx, input.reason, 'reason')
  const now = ctx.clock.now()
  const done = await ctx.db.runTransaction(async (tx) => {
    const [s, a, rows] = await Promise.all([txGetOrNull<SignupDoc>(tx, SIGNUPS, signupId(input.id, input.openid)), loadActivity(ctx, input.id), rosterRows(ctx, input.id)])
    if (!s || s.state !== 'confirmed') throw new AppError('PRECONDITION_FAILED', '这位居民不在本活动的报名名单上', [{ path: 'openid', message: '不在报名名单上' }])
    if (input.hours > a.hours) throw new AppError('INVALID_INPUT', `工时不能超过活动时长 ${a.hours} 小时`, [{ path: 'hours', message: `最多 ${a.hours} 小时` }])
    const adjustment = { at: now, by: ctx.openid, hours: input.hours, reason: input.reason }
    const next: SignupDoc = { ...s, hoursOverride: input.hours, adjustments: [...s.adjustments, adjustment], version: s.version + 1, ...(s.credited ? { hours: input.hours } : {}) }
    const entry: LedgerDoc | null =
      s.credited && input.hours !== (s.hours ?? 0)
        ? {
            _id: `fix:${s._id}:${s.version + 1}`,
            openid: s.openid,
            communityId: s.communityId,
            kind: 'correction',
            points: 0,
            hours: Math.round((input.hours - (s.hours ?? 0)) * 10) / 10,
            reason: `「${a.title}」工时调整：${input.reason}`,
            activityId: a._id,
            category: a.category,
            partyUnit: s.partyUnit,
            at: now,
            by: ctx.openid,
          }
        : null
    const effects = entry ? totalsEffects(entry, s.name) : []
    await Promise.all([
      tx.collection(SIGNUPS).doc(s._id).update({ data: { hoursOverride: input.hours, adjustments: ctx._.push(adjustment), version: s.version + 1, ...(s.credited ? { hours: input.hours } : {}) } }),
      entry ? tx.collection(LEDGER).doc(entry._id).set({ data: { ...withoutId(entry), ...pendingOnCreate(ctx, effectKey(1), effects) } as unknown as Record<string, unknown> }) : null,
    ])
    return { next, entry, effects, rows }
  })
  const rows = done.rows
  if (done.entry) await settleNow(ctx, LEDGER, done.entry._id, effectKey(1), done.effects)
  return rosterOf(rows.map((r) => (r._id === done.next._id ? done.next : r)))
}

function withoutId<T extends { _id: string }>(doc: T): Omit<T, '_id'> {
  const { _id, ...rest } = doc
  void _id
  return rest
}

/** Crediting one sign-up of a finished activity: a ledger entry by deterministic id, then the sign-up marked. */
export async function credit(ctx: Ctx, a: ActivityDoc, s: SignupDoc): Promise<boolean> {
  const c = creditFor(a, s.checkedInAt, s.checkedOutAt)
  const hours = s.hoursOverride ?? c.hours
  const points = s.hoursOverride !== null ? (s.hoursOverride > 0 ? a.points : 0) : c.points
  let wrote = false
  if (hours > 0 || points > 0) {
    wrote = await addEntry(
      ctx,
      {
        _id: `earn:${s._id}`,
        openid: s.openid,
        communityId: s.communityId,
        kind: 'earned',
        points,
        hours,
        reason: a.title,
        activityId: a._id,
        category: a.category,
        partyUnit: s.partyUnit,
        at: a.endAt,
        by: 'system',
      },
      s.name,
      [
        notifyEffect(ctx, [{ people: [s.openid] }], {
          title: `志愿服务已记录 ${hours} 小时`,
          body: `「${a.title}」获得 ${points} 积分，可在我的志愿查看和生成志愿服务证明`,
          link: '/packages/volunteer/pages/mine/index',
          ref: `activity:${a._id}`,
          template: 'volunteer_points',
          fields: { source: a.title, points, note: `${hours} 小时` },
        }),
      ],
    )
  }
  await ctx.db.collection(SIGNUPS).where({ _id: s._id, credited: false }).update({ data: { credited: true, hours, points } })
  return wrote
}

/** The period's hours and points per person and per 双报到 unit, from the ledger, as .xlsx. */
export const exportXlsx: H['export'] = async (input, ctx) => {
  const communityId = ctx.user!.address.communityId
  if (input.to < input.from) throw new AppError('INVALID_INPUT', '结束日期不能早于开始日期', [{ path: 'to', message: '结束日期不能早于开始日期' }])
  const from = atShanghai(input.from, 0)
  const to = atShanghai(addDays(input.to, 1), 0)
  const entries: LedgerDoc[] = []
  for (let skip = 0; skip < 50_000; skip += 1000) {
    const page = await ctx.db.collection<LedgerDoc>(LEDGER).where({ communityId, at: ctx._.gte(from).and(ctx._.lt(to)) }).orderBy('at', 'asc').skip(skip).limit(1000).get()
    entries.push(...page.data)
    if (page.data.length < 1000) break
  }
  const people = new Map<string, { hours: number; points: number; activities: number; unit: string | null }>()
  for (const e of entries) {
    const p = people.get(e.openid) ?? { hours: 0, points: 0, activities: 0, unit: e.partyUnit }
    p.hours += e.hours
    p.points += e.points
    if (e.kind === 'earned') p.activities += 1
    p.unit = p.unit ?? e.partyUnit
    people.set(e.openid, p)
  }
  const ids = [...people.keys()]
  const users = new Map<string, UserDoc>()
  // Their names, a page of 100 people per request, all pages at once.
  const pages = await Promise.all(
    Array.from({ length: Math.ceil(ids.length / 100) }, (_, k) =>
      ctx.db
        .collection<UserDoc>('users')
        .where({ _id: ctx._.in(ids.slice(k * 100, k * 100 + 100)) })
        .field({ _id: true, name: true })
        .limit(100)
        .get(),
    ),
  )
  for (const res of pages) for (const u of res.data) users.set(u._id, u)
  const r1 = (n: number) => Math.round(n * 10) / 10
  const personRows = ids
    .map((id) => ({ id, ...people.get(id)!, name: users.get(id)?.name ?? '居民' }))
    .sort((a, b) => b.hours - a.hours || b.points - a.points)
  const units = new Map<string, { people: number; hours: number; points: number }>()
  for (const p of personRows) {
    if (!p.unit) continue
    const u = units.get(p.unit) ?? { people: 0, hours: 0, points: 0 }
    u.people += 1
    u.hours += p.hours
    u.points += p.points
    units.set(p.unit, u)
  }
  const sheetPeople = [
    headerRow(['姓名', '报到单位', '参加活动（次）', '服务工时（小时）', '积分']),
    ...personRows.map((p) => valueRow([p.name, p.unit ?? '', p.activities, r1(p.hours), p.points])),
    totalRow(['', personRows.reduce((n, p) => n + p.activities, 0), r1(personRows.reduce((n, p) => n + p.hours, 0)), personRows.reduce((n, p) => n + p.points, 0)]),
  ]
  const unitRows = [...units.entries()].sort((a, b) => b[1].hours - a[1].hours)
  const sheetUnits = [
    headerRow(['报到单位', '在职党员（人）', '服务工时（小时）', '积分']),
    ...unitRows.map(([name, u]) => valueRow([name, u.people, r1(u.hours), u.points])),
    totalRow([unitRows.reduce((n, [, u]) => n + u.people, 0), r1(unitRows.reduce((n, [, u]) => n + u.hours, 0)), unitRows.reduce((n, [, u]) => n + u.points, 0)]),
  ]
  const buffer = await xlsxBuffer([
    { data: sheetPeople, sheet: '志愿者工时积分' },
    { data: sheetUnits, sheet: '双报到单位' },
  ])
  return {
    fileName: `志愿服务工时积分_${input.from}_${input.to}.xlsx`,
    base64: buffer.toString('base64'),
    people: personRows.length,
    units: unitRows.length,
  }
}

export type { LedgerKind }
