/**
 * Hours (工时) and points (积分): my activities, my profile and ledger, the leaderboards, the
 * organiser's adjustments and bonuses, and the period export (.xlsx) per person and per 双报到
 * unit. Every change of a balance is a ledger entry carrying its counter effects.
 */
import writeXlsxFile from 'write-excel-file/node'
import { AppError } from '../../../../src/shared/errors'
import type { volunteerApi } from '../../../../src/shared/api/volunteer'
import { LEDGER_LABELS, creditFor, type LedgerKind } from '../../../../src/shared/rules/volunteer'
import { atShanghai, addDays, formatDate, sh } from '../../../../src/shared/time'
import type { UserDoc } from '../../../../src/shared/domain/user'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { createdId } from '../../runtime/requests'
import { DB_DUPLICATE_KEY, isDbError } from '../../platform/db'
import { requireCleanText } from '../common/content'
import { pageArgs, pageResult } from '../common/paging'
import { effectKey, notifyEffect, pendingOnCreate, settleNow, type Effect } from '../common/effects'
import { placesById } from '../common/places'
import { ACTIVITIES, LEDGER, SIGNUPS, TOTALS, getOrNull, loadActivity, signupId, summaryOf, totalsEffects, type ActivityDoc, type LedgerDoc, type SignupDoc } from './model'
import { rosterOf } from './activities'

type H = HandlersOf<typeof volunteerApi>

export const mine: H['mine'] = async (input, ctx) => {
  const now = ctx.clock.now()
  const upcoming = input.when === 'upcoming'
  const { skip, limit } = pageArgs(input)
  const res = await ctx.db
    .collection<SignupDoc>(SIGNUPS)
    .where({ openid: ctx.openid, state: ctx._.in(['confirmed', 'waitlisted']), startAt: upcoming ? ctx._.gte(new Date(now.getTime() - 12 * 3600_000)) : ctx._.lt(now) })
    .orderBy('startAt', upcoming ? 'asc' : 'desc')
    .skip(skip)
    .limit(limit + 1)
    .get()
  const acts = res.data.length
    ? (await ctx.db.collection<ActivityDoc>(ACTIVITIES).where({ _id: ctx._.in(res.data.map((s) => s.activityId)) }).limit(res.data.length).get()).data
    : []
  const byId = new Map(acts.map((a) => [a._id, a]))
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

export const leaderboard: H['leaderboard'] = async (input, ctx) => {
  const communityId = ctx.user!.address.communityId
  const now = ctx.clock.now()
  const period = input.period === 'month' ? sh(now).format('YYYY-MM') : sh(now).format('YYYY')
  const board = await getOrNull<{ people?: Record<string, Totals> }>(ctx, TOTALS, `board:${communityId}:${period}`)
  const rows = Object.entries(board?.people ?? {})
    .map(([openid, t]) => ({ openid, points: t.points ?? 0, hours: Math.round((t.hours ?? 0) * 10) / 10 }))
    .filter((r) => r.points > 0 || r.hours > 0)
    .sort((a, b) => b.points - a.points || b.hours - a.hours)
    .slice(0, 50)
  const names = rows.length
    ? new Map((await ctx.db.collection<UserDoc>('users').where({ _id: ctx._.in(rows.map((r) => r.openid)) }).field({ _id: true, name: true }).limit(rows.length).get()).data.map((u) => [u._id, u.name ?? '志愿者']))
    : new Map<string, string>()
  return { period, items: rows.map((r, i) => ({ rank: i + 1, name: names.get(r.openid) ?? '志愿者', points: r.points, hours: r.hours })) }
}

/** Write one ledger entry with its counter effects (exactly once, whoever settles them). */
export async function addEntry(ctx: Ctx, e: LedgerDoc, notify: Effect[] = []): Promise<boolean> {
  const effects = [...totalsEffects(e), ...notify]
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
  await addEntry(ctx, e, [
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
 * correction entry. Either way the reason is kept on the sign-up (its audit trail).
 */
export const adjustHours: H['adjustHours'] = async (input, ctx) => {
  await requireCleanText(ctx, input.reason, 'reason')
  const a = await loadActivity(ctx, input.id)
  const s = await getOrNull<SignupDoc>(ctx, SIGNUPS, signupId(a._id, input.openid))
  if (!s || s.state !== 'confirmed') throw new AppError('PRECONDITION_FAILED', '这位居民不在本活动的报名名单上', [{ path: 'openid', message: '不在报名名单上' }])
  if (input.hours > a.hours) throw new AppError('INVALID_INPUT', `工时不能超过活动时长 ${a.hours} 小时`, [{ path: 'hours', message: `最多 ${a.hours} 小时` }])
  const now = ctx.clock.now()
  const adjustment = { at: now, by: ctx.openid, hours: input.hours, reason: input.reason }
  const res = await ctx.db
    .collection(SIGNUPS)
    .where({ _id: s._id, version: s.version })
    .update({ data: { hoursOverride: input.hours, adjustments: ctx._.push(adjustment), version: s.version + 1, ...(s.credited ? { hours: input.hours } : {}) } })
  if (res.stats.updated !== 1) throw new AppError('CONFLICT', '报名记录刚刚有了变化，请刷新后再调整')
  if (s.credited && input.hours !== (s.hours ?? 0)) {
    await addEntry(ctx, {
      _id: `fix:${s._id}:${s.version + 1}`,
      openid: s.openid,
      communityId: s.communityId,
      kind: 'correction',
      points: 0,
      hours: Math.round((input.hours - (s.hours ?? 0)) * 10) / 10,
      reason: `「${a.title}」工时调整：${input.reason}`,
      activityId: a._id,
      partyUnit: s.partyUnit,
      at: now,
      by: ctx.openid,
    })
  }
  return rosterOf(ctx, a)
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
        partyUnit: s.partyUnit,
        at: a.endAt,
        by: 'system',
      },
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
  for (let i = 0; i < ids.length; i += 100) {
    const res = await ctx.db.collection<UserDoc>('users').where({ _id: ctx._.in(ids.slice(i, i + 100)) }).limit(100).get()
    for (const u of res.data) users.set(u._id, u)
  }
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
  const header = (cols: string[]) => cols.map((value) => ({ value, fontWeight: 'bold' as const }))
  const sheetPeople = [
    header(['姓名', '报到单位', '参加活动（次）', '服务工时（小时）', '积分']),
    ...personRows.map((p) => [{ value: p.name }, { value: p.unit ?? '' }, { value: p.activities }, { value: r1(p.hours) }, { value: p.points }]),
    [{ value: '合计', fontWeight: 'bold' as const }, { value: '' }, { value: personRows.reduce((n, p) => n + p.activities, 0) }, { value: r1(personRows.reduce((n, p) => n + p.hours, 0)) }, { value: personRows.reduce((n, p) => n + p.points, 0) }],
  ]
  const unitRows = [...units.entries()].sort((a, b) => b[1].hours - a[1].hours)
  const sheetUnits = [
    header(['报到单位', '在职党员（人）', '服务工时（小时）', '积分']),
    ...unitRows.map(([name, u]) => [{ value: name }, { value: u.people }, { value: r1(u.hours) }, { value: u.points }]),
    [{ value: '合计', fontWeight: 'bold' as const }, { value: unitRows.reduce((n, [, u]) => n + u.people, 0) }, { value: r1(unitRows.reduce((n, [, u]) => n + u.hours, 0)) }, { value: unitRows.reduce((n, [, u]) => n + u.points, 0) }],
  ]
  const buffer = await writeXlsxFile([
    { data: sheetPeople, sheet: '志愿者工时积分' },
    { data: sheetUnits, sheet: '双报到单位' },
  ]).toBuffer()
  return {
    fileName: `志愿服务工时积分_${input.from}_${input.to}.xlsx`,
    base64: buffer.toString('base64'),
    people: personRows.length,
    units: unitRows.length,
  }
}

export type { LedgerKind }
