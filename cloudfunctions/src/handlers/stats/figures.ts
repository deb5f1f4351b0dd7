/**
 * 统计 (issue 15): one month's figures of every feature, read from the counters the features keep
 * on write — never from the records themselves, whatever their number:
 * - disputes and messages: the case engine's `case_stats/<kind>:<community>:<month>` (moved in
 *   each change's own transaction: handlers/cases/stats.ts), per category, grid and staff member;
 * - rooms: `booking_stats/<community>:<month>` (used and 爽约 per room, minutes per hour of the
 *   day: handlers/booking/figures.ts), against the minutes the rooms were open — computed from
 *   their opening hours and blackouts (rules/stats.ts), which the room documents carry;
 * - volunteers: the month board `volunteer_totals/board:<community>:<month>` (hours, points and
 *   attendances per person and per category, moved by the ledger entries' effects);
 * - property: the quarter's `rating_sums` (per company) with its violations and substantiated
 *   complaints (the deductions), scored by rules/property.ts as the quarter close would.
 *
 * Who sees what is decided by the caller's record (`scopeOf`): staff and admins their community,
 * a grid worker their own grids' case figures, the street each of its communities side by side.
 * Everything is read in one wait after the caller's record (the street's community list and the
 * names of people counted who no longer handle cases may take one more).
 */
import { AppError } from '../../../../src/shared/errors'
import type { statsApi, BookingFiguresT, BookingRowT, CaseFiguresT, CaseRowT, MonthStatsT, PropertyFiguresT, PropertyRowT, VolunteerFiguresT, VolunteerRowT } from '../../../../src/shared/api/stats'
import { hasRole, isStaff } from '../../../../src/shared/domain/user'
import { DISPUTE_CATEGORIES, MESSAGE_CATEGORIES } from '../../../../src/shared/rules/cases'
import { ACTIVITY_CATEGORIES } from '../../../../src/shared/rules/volunteer'
import { DIMENSIONS, DIMENSION_LABELS, LIST_LABELS, emptyStars, quarterLabel, score, type ScoreInput } from '../../../../src/shared/rules/property'
import { datesSoFar, hourKey, openMinutesByHour, percent } from '../../../../src/shared/rules/stats'
import { businessDate, quarterOf, atShanghai } from '../../../../src/shared/time'
import type { Ctx } from '../../runtime/context'
import type { HandlersOf } from '../../runtime/serve'
import { communityGrids, knownPlaces, streetCommunities } from '../common/places'
import { statRow, statsId, type Counter } from '../cases/stats'
import { BOOKING_STATS, bookingStatsId, type BookingStatsDoc, type BookingStatsRow } from '../booking/figures'
import { blackoutMonth, ROOMS, type RoomDoc } from '../booking/model'
import { TOTALS } from '../volunteer/model'
import { COMPANIES, COMPLAINTS, SUMS, VIOLATIONS, loadSettings, type ComplaintDoc, type CompanyDoc, type SumsDoc, type ViolationDoc } from '../property/model'

/** Whose figures the caller may see. */
export interface Scope {
  kind: 'community' | 'grids' | 'street'
  /** The communities counted (one, except for the street). */
  communities: Array<{ _id: string; name: string }>
  /** A grid worker's own grids (id and name); null otherwise. */
  grids: Array<{ _id: string; name: string }> | null
  title: string
}

/** From the caller's record: staff / admin → their community; street → its communities; grid worker → their grids. */
export async function scopeOf(ctx: Ctx): Promise<Scope> {
  const user = ctx.user
  if (!user) throw new AppError('FORBIDDEN')
  const communityId = user.address.communityId
  if (isStaff(user)) {
    const name = (await knownPlaces(ctx, [communityId])).get(communityId)?.name ?? '本社区'
    return { kind: 'community', communities: [{ _id: communityId, name }], grids: null, title: name }
  }
  if (hasRole(user, 'street')) {
    const [communities, places] = await Promise.all([streetCommunities(ctx, user.address.streetId), knownPlaces(ctx, [user.address.streetId])])
    return { kind: 'street', communities, grids: null, title: places.get(user.address.streetId)?.name ?? '本街道' }
  }
  if (hasRole(user, 'grid_worker')) {
    const [all, places] = await Promise.all([communityGrids(ctx, communityId), knownPlaces(ctx, [communityId])])
    const grids = all.filter((g) => user.gridIds.includes(g._id))
    const name = places.get(communityId)?.name ?? '本社区'
    return { kind: 'grids', communities: [{ _id: communityId, name }], grids, title: grids.length ? grids.map((g) => g.name).join('、') : `${name}（暂无负责的网格）` }
  }
  throw new AppError('FORBIDDEN')
}

// ---------------------------------------------------------------- cases

type Row = Partial<Record<Counter, number>>
interface CaseStatsDoc {
  _id: string
  total?: Row
  cat?: Record<string, Row>
  grid?: Record<string, Row>
  staff?: Record<string, Row>
}

const CASE_KINDS = [
  { kind: 'dispute', label: '邻里纠纷', cats: DISPUTE_CATEGORIES },
  { kind: 'message', label: '居民留言', cats: MESSAGE_CATEGORIES },
] as const

function caseRow(key: string, name: string, r: Row | undefined): CaseRowT {
  const s = statRow(r)
  return {
    key,
    name,
    received: s.received,
    accepted: s.accepted,
    acceptedOnTime: s.acceptedOnTime,
    resolved: s.resolved,
    failed: s.failed,
    rated: s.rated,
    satisfied: s.satisfied,
    onTimeRate: s.onTimeRate,
    successRate: s.successRate,
    satisfactionRate: s.satisfactionRate,
  }
}

function sumRows(rows: ReadonlyArray<Row | undefined>): Row {
  const out: Row = {}
  for (const r of rows) for (const [k, n] of Object.entries(r ?? {})) out[k as Counter] = (out[k as Counter] ?? 0) + (n ?? 0)
  return out
}

async function caseFigures(ctx: Ctx, scope: Scope, month: string): Promise<CaseFiguresT[]> {
  const ids = scope.communities.flatMap((c) => CASE_KINDS.map((k) => statsId(k.kind, c._id, month)))
  const community = scope.communities[0]._id
  const [docs, grids, handlers] = await Promise.all([
    ctx.db.collection<CaseStatsDoc>('case_stats').where({ _id: ctx._.in(ids) }).limit(ids.length).get(),
    scope.kind === 'street' ? Promise.resolve([]) : scope.grids ?? communityGrids(ctx, community),
    scope.kind === 'community'
      ? ctx.db
          .collection<{ _id: string; name?: string }>('users')
          .where({ 'address.communityId': community, roles: ctx._.in(['staff', 'admin', 'grid_worker']) })
          .field({ _id: true, name: true })
          .limit(200)
          .get()
          .then((r) => r.data)
      : Promise.resolve([]),
  ])
  const byId = new Map(docs.data.map((d) => [d._id, d]))
  const names = new Map(handlers.map((p) => [p._id, p.name ?? '工作人员']))
  const staffIds = [...new Set(docs.data.flatMap((d) => Object.keys(d.staff ?? {})))]
  const unnamed = scope.kind === 'community' ? staffIds.filter((id) => !names.has(id)) : []
  if (unnamed.length) {
    const more = await ctx.db.collection<{ _id: string; name?: string }>('users').where({ _id: ctx._.in(unnamed) }).field({ _id: true, name: true }).limit(unnamed.length).get()
    for (const p of more.data) names.set(p._id, p.name ?? '工作人员')
  }
  return CASE_KINDS.map(({ kind, label, cats }) => {
    const mine = scope.communities.map((c) => byId.get(statsId(kind, c._id, month)))
    if (scope.kind === 'grids') {
      const doc = mine[0]
      const byGrid = (scope.grids ?? []).map((g) => caseRow(g._id, g.name, doc?.grid?.[g._id]))
      return { kind, label, total: caseRow('total', scope.title, sumRows((scope.grids ?? []).map((g) => doc?.grid?.[g._id]))), byCommunity: [], byGrid, byCategory: [], byStaff: [] }
    }
    const total = caseRow('total', scope.title, sumRows(mine.map((d) => d?.total)))
    const byCategory = cats.map((k) => caseRow(k, k, sumRows(mine.map((d) => d?.cat?.[k]))))
    if (scope.kind === 'street') {
      return { kind, label, total, byCommunity: scope.communities.map((c, i) => caseRow(c._id, c.name, mine[i]?.total)), byGrid: [], byCategory, byStaff: [] }
    }
    const doc = mine[0]
    const byGrid = [
      ...(grids as Array<{ _id: string; name: string }>).map((g) => caseRow(g._id, g.name, doc?.grid?.[g._id])),
      ...(doc?.grid?.none ? [caseRow('none', '未划分网格', doc.grid.none)] : []),
    ]
    const byStaff = Object.entries(doc?.staff ?? {}).map(([id, r]) => caseRow(id, names.get(id) ?? '工作人员', r))
    return { kind, label, total, byCommunity: [], byGrid, byCategory, byStaff }
  })
}

// ---------------------------------------------------------------- rooms

function bookingRow(key: string, name: string, r: BookingStatsRow | undefined, openMinutes: number): BookingRowT {
  const used = r?.used ?? 0
  const noShow = r?.noShow ?? 0
  const usedMinutes = r?.minutes ?? 0
  return { key, name, used, noShow, usedMinutes, openMinutes, utilisation: percent(usedMinutes, openMinutes), noShowRate: percent(noShow, used + noShow) }
}

type RoomFields = Pick<RoomDoc, '_id' | 'communityId' | 'name' | 'openHours' | 'blackouts' | 'active' | 'order'>

async function bookingFigures(ctx: Ctx, scope: Scope, month: string): Promise<BookingFiguresT> {
  const ids = scope.communities.map((c) => bookingStatsId(c._id, month))
  const communityIds = scope.communities.map((c) => c._id)
  const [docs, rooms] = await Promise.all([
    ctx.db.collection<BookingStatsDoc>(BOOKING_STATS).where({ _id: ctx._.in(ids) }).limit(ids.length).get(),
    ctx.db
      .collection<RoomFields>(ROOMS)
      .where({ communityId: communityIds.length === 1 ? communityIds[0] : ctx._.in(communityIds) })
      .field({ _id: true, communityId: true, name: true, openHours: true, blackouts: true, active: true, order: true })
      .limit(1000)
      .get(),
  ])
  const byCommunity = new Map(docs.data.map((d) => [d.communityId, d]))
  const dates = datesSoFar(month, businessDate(ctx.clock.now()))
  const mkey = blackoutMonth(`${month}-01`)
  const openOf = new Map<string, Map<number, number>>()
  for (const r of rooms.data) {
    const spans = Object.values(r.blackouts?.[mkey] ?? {}).map((b) => ({ date: b.date, start: b.start, end: b.end }))
    openOf.set(r._id, openMinutesByHour(r.openHours, spans, dates))
  }
  const sumOpen = (m: Map<number, number> | undefined) => [...(m ?? new Map<number, number>()).values()].reduce((a, b) => a + b, 0)
  const sorted = [...rooms.data].sort((a, b) => a.communityId.localeCompare(b.communityId) || (a.order ?? 0) - (b.order ?? 0))
  // A room counts where it was open or used this month (a closed room used before it was closed still shows).
  const shown = sorted.filter((r) => r.active || byCommunity.get(r.communityId)?.room?.[r._id])
  const byRoom = shown.map((r) => bookingRow(r._id, scope.kind === 'street' ? `${nameOf(scope, r.communityId)} ${r.name}` : r.name, byCommunity.get(r.communityId)?.room?.[r._id], r.active ? sumOpen(openOf.get(r._id)) : 0))
  const openHour = new Map<number, number>()
  for (const r of shown) if (r.active) for (const [h, m] of openOf.get(r._id) ?? []) openHour.set(h, (openHour.get(h) ?? 0) + m)
  const usedHour = new Map<number, number>()
  for (const d of docs.data) for (const [k, m] of Object.entries(d.total?.h ?? {})) usedHour.set(Number(k), (usedHour.get(Number(k)) ?? 0) + m)
  const hours = [...new Set([...openHour.keys(), ...usedHour.keys()])].sort((a, b) => a - b)
  const byHour = hours.map((h) => ({ hour: h, label: `${hourKey(h)}:00`, usedMinutes: usedHour.get(h) ?? 0, openMinutes: openHour.get(h) ?? 0, utilisation: percent(usedHour.get(h) ?? 0, openHour.get(h) ?? 0) }))
  const communityRows = scope.communities.map((c) => {
    const d = byCommunity.get(c._id)
    const open = shown.filter((r) => r.communityId === c._id && r.active).reduce((n, r) => n + sumOpen(openOf.get(r._id)), 0)
    return bookingRow(c._id, c.name, d?.total, open)
  })
  const totalOpen = communityRows.reduce((n, r) => n + r.openMinutes, 0)
  const total = bookingRow('total', scope.title, sumBookingRows(docs.data.map((d) => d.total)), totalOpen)
  return { total, byRoom, byHour, byCommunity: scope.kind === 'street' ? communityRows : [] }
}

function sumBookingRows(rows: ReadonlyArray<BookingStatsRow | undefined>): BookingStatsRow {
  return rows.reduce<BookingStatsRow>((a, r) => ({ used: (a.used ?? 0) + (r?.used ?? 0), noShow: (a.noShow ?? 0) + (r?.noShow ?? 0), minutes: (a.minutes ?? 0) + (r?.minutes ?? 0) }), {})
}

const nameOf = (scope: Scope, communityId: string) => scope.communities.find((c) => c._id === communityId)?.name ?? ''

// ---------------------------------------------------------------- volunteers

interface BoardDoc {
  _id: string
  communityId: string
  people?: Record<string, { points?: number; hours?: number; activities?: number }>
  cat?: Record<string, { hours?: number; credits?: number }>
}

const r1 = (n: number) => Math.round(n * 10) / 10

function boardRow(key: string, name: string, d: BoardDoc | undefined): VolunteerRowT {
  const people = Object.values(d?.people ?? {})
  return {
    key,
    name,
    hours: r1(people.reduce((n, p) => n + (p.hours ?? 0), 0)),
    people: people.filter((p) => (p.hours ?? 0) > 0).length,
    credits: people.reduce((n, p) => n + (p.activities ?? 0), 0),
    points: people.reduce((n, p) => n + (p.points ?? 0), 0),
  }
}

export const boardId = (communityId: string, month: string) => `board:${communityId}:${month}`

async function volunteerFigures(ctx: Ctx, scope: Scope, month: string): Promise<VolunteerFiguresT> {
  const ids = scope.communities.map((c) => boardId(c._id, month))
  const res = await ctx.db.collection<BoardDoc>(TOTALS).where({ _id: ctx._.in(ids) }).limit(ids.length).get()
  const byCommunity = new Map(res.data.map((d) => [d.communityId, d]))
  const rows = scope.communities.map((c) => boardRow(c._id, c.name, byCommunity.get(c._id)))
  const total: VolunteerRowT = {
    key: 'total',
    name: scope.title,
    hours: r1(rows.reduce((n, r) => n + r.hours, 0)),
    people: rows.reduce((n, r) => n + (r.people ?? 0), 0),
    credits: rows.reduce((n, r) => n + r.credits, 0),
    points: rows.reduce((n, r) => n + r.points, 0),
  }
  const byCategory = ACTIVITY_CATEGORIES.map((k) => {
    const cs = res.data.map((d) => d.cat?.[k])
    return { key: k, name: k, hours: r1(cs.reduce((n, c) => n + (c?.hours ?? 0), 0)), people: null, credits: cs.reduce((n, c) => n + (c?.credits ?? 0), 0), points: 0 }
  })
  return { total, byCategory, byCommunity: scope.kind === 'street' ? rows : [] }
}

// ---------------------------------------------------------------- property

/** The quarter a month belongs to. */
export const quarterOfMonth = (month: string): string => quarterOf(atShanghai(`${month}-01`, 12 * 60))

async function propertyFigures(ctx: Ctx, scope: Scope, month: string): Promise<PropertyFiguresT> {
  const quarter = quarterOfMonth(month)
  const ids = scope.communities.map((c) => c._id)
  const communityId = ids.length === 1 ? ids[0] : ctx._.in(ids)
  const [sums, violations, complaints, companies, settings] = await Promise.all([
    ctx.db.collection<SumsDoc>(SUMS).where({ communityId, quarter }).limit(1000).get(),
    ctx.db.collection<ViolationDoc>(VIOLATIONS).where({ communityId, quarter, removed: null }).field({ communityId: true, companyId: true, level: true }).limit(1000).get(),
    ctx.db.collection<ComplaintDoc>(COMPLAINTS).where({ communityId, quarter, substantiated: true }).field({ communityId: true, companyId: true }).limit(1000).get(),
    ctx.db.collection<CompanyDoc>(COMPANIES).where({ communityIds: ids.length === 1 ? ids[0] : ctx._.in(ids) }).field({ _id: true, name: true, communityIds: true, estateIds: true }).limit(1000).get(),
    Promise.all(ids.map((id) => loadSettings(ctx, id))),
  ])
  const names = new Map(companies.data.map((c) => [c._id, c.name]))
  const settingsOf = new Map(ids.map((id, i) => [id, settings[i]]))
  // Every company rated this quarter, and every company serving one of the communities' estates now.
  const pairs = new Map<string, { communityId: string; companyId: string }>()
  for (const s of sums.data) pairs.set(`${s.communityId}:${s.companyId}`, { communityId: s.communityId, companyId: s.companyId })
  for (const c of companies.data) for (const id of c.communityIds) if (ids.includes(id) && c.estateIds.length) pairs.set(`${id}:${c._id}`, { communityId: id, companyId: c._id })
  const rows: PropertyRowT[] = [...pairs.values()].map(({ communityId: cid, companyId }) => {
    const sum = sums.data.find((s) => s.communityId === cid && s.companyId === companyId)
    const input: ScoreInput = {
      n: sum?.n ?? 0,
      sums: sum?.sums ?? emptyStars(),
      complaints: complaints.data.filter((x) => x.communityId === cid && x.companyId === companyId).length,
      violations: {
        general: violations.data.filter((v) => v.communityId === cid && v.companyId === companyId && v.level === 'general').length,
        serious: violations.data.filter((v) => v.communityId === cid && v.companyId === companyId && v.level === 'serious').length,
      },
    }
    const s = score(input, settingsOf.get(cid))
    const average = input.n ? Math.round((DIMENSIONS.reduce((n, d) => n + input.sums[d], 0) / DIMENSIONS.length / input.n) * 100) / 100 : null
    return {
      key: `${cid}:${companyId}`,
      name: names.get(companyId) ?? '物业公司',
      communityName: nameOf(scope, cid),
      ratings: input.n,
      overall: s.published ? s.overall : null,
      average,
      list: s.list,
      listLabel: LIST_LABELS[s.list],
      dims: DIMENSIONS.map((d) => ({ key: d, label: DIMENSION_LABELS[d], score: s.dims[d] })),
    }
  })
  rows.sort((a, b) => (b.overall ?? -1) - (a.overall ?? -1) || b.ratings - a.ratings || a.key.localeCompare(b.key))
  return { quarter, quarterLabel: quarterLabel(quarter), companies: rows }
}

// ---------------------------------------------------------------- the month

/** The month's figures for the caller's scope (grid workers: their grids' cases only). */
export async function monthFigures(ctx: Ctx, scope: Scope, month: string): Promise<MonthStatsT> {
  const community = scope.kind !== 'grids'
  const [cases, booking, volunteer, property] = await Promise.all([
    caseFigures(ctx, scope, month),
    community ? bookingFigures(ctx, scope, month) : null,
    community ? volunteerFigures(ctx, scope, month) : null,
    community ? propertyFigures(ctx, scope, month) : null,
  ])
  const tabs: MonthStatsT['tabs'] = scope.kind === 'grids' ? ['grid'] : scope.kind === 'street' ? ['community', 'category'] : ['community', 'grid', 'category', 'staff']
  return { month, scope: scope.kind, title: scope.title, tabs, cases, booking, volunteer, property }
}

export const month: HandlersOf<typeof statsApi>['month'] = async (input, ctx) => monthFigures(ctx, await scopeOf(ctx), input.month)
