/**
 * Figures for staff kept as counters per kind, community and month of submission — for disputes
 * 受理量、按期受理率、调解成功率、满意率, for messages the 三率 of 12345 hotlines (响应率 = first
 * reply within its deadline, 解决率, 满意率) — moved as cases move, by effects that travel in
 * the case's own write. Reading a month is one document, whatever the number of cases
 * (1,000,000 a year at city scale). Per category, per grid and per staff member (who first
 * answered, who recorded the outcome).
 */
import type { casesApi, StatRowT } from '../../../../src/shared/api/cases'
import { DISPUTE_CATEGORIES, MESSAGE_CATEGORIES } from '../../../../src/shared/rules/cases'
import { EVENT_TYPES } from '../../../../src/shared/rules/grid'
import { sh } from '../../../../src/shared/time'
import { hasRole, isStaff } from '../../../../src/shared/domain/user'
import type { HandlersOf } from '../../runtime/serve'
import type { Effect } from '../common/effects'
import type { Ctx } from '../../runtime/context'
import type { CaseDoc } from './model'
import { communityGrids, streetCommunities } from '../common/places'
import { knownDepartments } from './refs'

/** `routed` and `resolvedOnTime`: patrol reports (event) — routings to departments, and those finished in time (按期办结). */
export type Counter = 'received' | 'accepted' | 'acceptedOnTime' | 'resolved' | 'failed' | 'rated' | 'satisfied' | 'routed' | 'resolvedOnTime'
const COUNTERS: Counter[] = ['received', 'accepted', 'acceptedOnTime', 'resolved', 'failed', 'rated', 'satisfied', 'routed', 'resolvedOnTime']

type Row = Partial<Record<Counter, number>>
interface StatsDoc {
  _id: string
  kind: string
  communityId: string
  month: string
  total: Row
  cat: Record<string, Row>
  grid: Record<string, Row>
  staff?: Record<string, Row>
  /** Patrol reports: per department (routed to it, finished by it, in time). */
  dept?: Record<string, Row>
}

/** A change of some staff member's own counters. */
export interface StaffDelta {
  who: string | null | undefined
  inc: Partial<Record<Counter, number>>
}

export const statsId = (kind: string, communityId: string, month: string) => `${kind}:${communityId}:${month}`

/**
 * The counter change for a case, as an effect carried by the case's own write (see
 * common/effects.ts): it moves the month's counters exactly once, even across a crash.
 */
export function countEffect(
  c: Pick<CaseDoc, 'kind' | 'communityId' | 'submittedAt' | 'gridId' | 'category'>,
  inc: Partial<Record<Counter, number>>,
  staff: StaffDelta[] = [],
  /** Also count these under this department (patrol reports). */
  dept: { id: string; inc: Partial<Record<Counter, number>> } | null = null,
): Effect[] {
  const entries = Object.entries(inc).filter(([, n]) => n)
  const staffPaths = staff.flatMap(({ who, inc: own }) =>
    who ? Object.entries(own).filter(([, n]) => n).map(([k, n]) => ({ path: `staff.${who}.${k}`, n: n! })) : [],
  )
  const deptPaths = dept ? Object.entries(dept.inc).filter(([, n]) => n).map(([k, n]) => ({ path: `dept.${dept.id}.${k}`, n: n! })) : []
  if (entries.length === 0 && staffPaths.length === 0 && deptPaths.length === 0) return []
  const month = sh(c.submittedAt).format('YYYY-MM')
  const gridKey = c.gridId ?? 'none'
  const paths = entries.flatMap(([k, n]) => [`total.${k}`, `cat.${c.category}.${k}`, `grid.${gridKey}.${k}`].map((path) => ({ path, n: n! })))
  return [
    {
      type: 'count',
      collection: 'case_stats',
      id: statsId(c.kind, c.communityId, month),
      seed: { kind: c.kind, communityId: c.communityId, month, total: {}, cat: {}, grid: {}, staff: {}, dept: {} },
      inc: [...paths, ...staffPaths, ...deptPaths],
    },
  ]
}

/** The staff counters' change when `who` records outcome `next` over the case's previous one (by `prevBy`). */
export function outcomeStaffDelta(prev: 'resolved' | 'failed' | null | undefined, prevBy: string | null | undefined, next: 'resolved' | 'failed', who: string): StaffDelta[] {
  if (prev === next && prevBy === who) return []
  return [...(prev && prevBy ? [{ who: prevBy, inc: { [prev]: -1 } }] : []), { who, inc: { [next]: 1 } }]
}

/**
 * The counter change when a case's outcome becomes `next`: each case counts once, as resolved or
 * failed; a later different outcome (failed, then resolved a level up) moves it.
 */
export function outcomeDelta(prev: 'resolved' | 'failed' | null | undefined, next: 'resolved' | 'failed'): Partial<Record<Counter, number>> {
  if (prev === next) return {}
  return prev ? { [next]: 1, [prev]: -1 } : { [next]: 1 }
}

/**
 * A month's figures recounted from the case records themselves (what the counters must equal).
 * Used by the tests after crashes and available to a repair job: a page of 1,000 cases at a time
 * on the (communityId, kind, submittedAt) index, so a month costs its own cases only.
 */
export async function recountMonth(ctx: Pick<Ctx, 'db' | '_'>, kind: string, communityId: string, month: string): Promise<Omit<StatsDoc, '_id'>> {
  const from = new Date(`${month}-01T00:00:00+08:00`)
  const to = new Date(`${sh(from).add(1, 'month').format('YYYY-MM')}-01T00:00:00+08:00`)
  const out: Omit<StatsDoc, '_id'> & { staff: Record<string, Row>; dept: Record<string, Row> } = { kind, communityId, month, total: {}, cat: {}, grid: {}, staff: {}, dept: {} }
  const add = (row: Row, k: Counter) => {
    row[k] = (row[k] ?? 0) + 1
  }
  for (let skip = 0; ; skip += 1000) {
    const page = await ctx.db
      .collection<CaseDoc>('cases')
      .where({ communityId, kind, submittedAt: ctx._.gte(from).and(ctx._.lt(to)) })
      .orderBy('submittedAt', 'asc')
      .skip(skip)
      .limit(1000)
      .get()
    for (const c of page.data) {
      const rows = [out.total, (out.cat[c.category] ??= {}), (out.grid[c.gridId ?? 'none'] ??= {})]
      const counted: Counter[] = ['received']
      if (c.acceptedAt) counted.push('accepted')
      if (c.acceptedOnTime) counted.push('acceptedOnTime')
      if (c.countedOutcome) counted.push(c.countedOutcome)
      if (c.resolvedOnTime) counted.push('resolvedOnTime')
      for (const r of c.routings ?? []) {
        for (const row of [out.total, (out.cat[c.category] ??= {}), (out.grid[c.gridId ?? 'none'] ??= {}), (out.dept[r.departmentId] ??= {})]) add(row, 'routed')
      }
      if (c.resolvedByDepartment) {
        const row = (out.dept[c.resolvedByDepartment] ??= {})
        if (c.countedOutcome === 'resolved') add(row, 'resolved')
        if (c.resolvedOnTime) add(row, 'resolvedOnTime')
      }
      if (c.status === 'closed' && c.satisfaction) {
        counted.push('rated')
        if (c.satisfaction !== 'unsatisfied') counted.push('satisfied')
      }
      for (const row of rows) for (const k of counted) add(row, k)
      const by = (who: string | null | undefined, ks: Counter[]) => {
        if (!who) return
        const row = (out.staff[who] ??= {})
        for (const k of ks) add(row, k)
      }
      by(c.acceptedBy, counted.filter((k) => k === 'accepted' || k === 'acceptedOnTime'))
      by(c.outcomeBy, counted.filter((k) => k === 'resolved' || k === 'failed' || k === 'rated' || k === 'satisfied'))
    }
    if (page.data.length < 1000) break
  }
  return out
}

const rate = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 10 : null)

export function statRow(r: Row | undefined): StatRowT {
  const v = (k: Counter) => r?.[k] ?? 0
  return {
    received: v('received'),
    accepted: v('accepted'),
    acceptedOnTime: v('acceptedOnTime'),
    resolved: v('resolved'),
    failed: v('failed'),
    rated: v('rated'),
    satisfied: v('satisfied'),
    routed: v('routed'),
    resolvedOnTime: v('resolvedOnTime'),
    resolveOnTimeRate: rate(v('resolvedOnTime'), v('resolved')),
    onTimeRate: rate(v('acceptedOnTime'), v('accepted')),
    successRate: rate(v('resolved'), v('resolved') + v('failed')),
    satisfactionRate: rate(v('satisfied'), v('rated')),
  }
}

async function statsDocs(ctx: Ctx, ids: string[]): Promise<Map<string, StatsDoc>> {
  if (ids.length === 0) return new Map()
  const res = await ctx.db.collection<StatsDoc>('case_stats').where({ _id: ctx._.in(ids) }).limit(ids.length).get()
  return new Map(res.data.map((d) => [d._id, d]))
}

/**
 * A month's figures: the caller's record, then one wait for the month's document(s) and the names
 * to show beside them — the community's handlers (who the per-person rows are) by one indexed
 * query; grids, communities and departments from the instance's cache (common/places.ts,
 * ./refs.ts). Someone counted who no longer handles cases here is named by one more read.
 */
export const stats: HandlersOf<typeof casesApi>['stats'] = async (input, ctx) => {
  const user = ctx.user!
  const cats = input.kind === 'dispute' ? DISPUTE_CATEGORIES : input.kind === 'event' ? EVENT_TYPES : MESSAGE_CATEGORIES
  // The street (街道): every community of the street side by side, and their sum.
  if (hasRole(user, 'street') && !isStaff(user)) {
    const communities = await streetCommunities(ctx, user.address.streetId)
    const docs = await statsDocs(ctx, communities.map((c) => statsId(input.kind, c._id, input.month)))
    const sum = (pick: (d: StatsDoc) => Row | undefined): Row => {
      const row: Row = {}
      for (const d of docs.values()) for (const [k, n] of Object.entries(pick(d) ?? {})) row[k as Counter] = (row[k as Counter] ?? 0) + (n ?? 0)
      return row
    }
    return {
      month: input.month,
      total: statRow(sum((d) => d.total)),
      byCategory: cats.map((k) => ({ key: k, row: statRow(sum((d) => d.cat?.[k])) })),
      byGrid: [],
      byStaff: [],
      byCommunity: communities.map((c) => ({ key: c._id, name: c.name, row: statRow(docs.get(statsId(input.kind, c._id, input.month))?.total) })),
      byDepartment: await departmentRows(ctx, [...docs.values()]),
    }
  }
  const communityId = user.address.communityId
  const [docs, grids, handlers] = await Promise.all([
    statsDocs(ctx, [statsId(input.kind, communityId, input.month)]),
    communityGrids(ctx, communityId),
    ctx.db
      .collection<{ _id: string; name?: string }>('users')
      .where({ 'address.communityId': communityId, roles: ctx._.in(['staff', 'admin', 'grid_worker']) })
      .field({ _id: true, name: true })
      .limit(200)
      .get(),
  ])
  const doc = docs.get(statsId(input.kind, communityId, input.month)) ?? null
  const staffIds = Object.keys(doc?.staff ?? {})
  const names = new Map(handlers.data.map((p) => [p._id, p.name ?? '工作人员']))
  const unnamed = staffIds.filter((id) => !names.has(id))
  if (unnamed.length) {
    const more = await ctx.db.collection<{ _id: string; name?: string }>('users').where({ _id: ctx._.in(unnamed) }).field({ _id: true, name: true }).limit(unnamed.length).get()
    for (const p of more.data) names.set(p._id, p.name ?? '工作人员')
  }
  return {
    month: input.month,
    total: statRow(doc?.total),
    byCategory: cats.map((k) => ({ key: k, row: statRow(doc?.cat?.[k]) })),
    byGrid: [
      ...grids.map((g) => ({ key: g._id, name: g.name, row: statRow(doc?.grid?.[g._id]) })),
      ...(doc?.grid?.none ? [{ key: 'none', name: '未划分网格', row: statRow(doc.grid.none) }] : []),
    ],
    byStaff: staffIds.map((id) => ({ key: id, name: names.get(id) ?? '工作人员', row: statRow(doc?.staff?.[id]) })),
    byCommunity: [],
    byDepartment: await departmentRows(ctx, doc ? [doc] : []),
  }
}

/** Each department's rows summed over the given months' documents, named (the instance's cache of departments). */
async function departmentRows(ctx: Ctx, docs: StatsDoc[]): Promise<Array<{ key: string; name: string; row: StatRowT }>> {
  const rows = new Map<string, Row>()
  for (const d of docs) {
    for (const [id, r] of Object.entries(d.dept ?? {})) {
      const row = rows.get(id) ?? {}
      for (const [k, n] of Object.entries(r)) row[k as Counter] = (row[k as Counter] ?? 0) + (n ?? 0)
      rows.set(id, row)
    }
  }
  if (rows.size === 0) return []
  const ids = [...rows.keys()]
  const names = await knownDepartments(ctx, ids)
  return ids.map((id) => ({ key: id, name: names.get(id)?.name ?? '职能部门', row: statRow(rows.get(id)) }))
}

export { COUNTERS }
