/**
 * Figures for staff (受理量、按期受理率、调解成功率、满意率) kept as counters per community and
 * month of submission, updated with `_.inc` as cases move — reading a month is one document,
 * whatever the number of cases (1,000,000 a year at city scale).
 */
import { AppError } from '../../../../src/shared/errors'
import type { casesApi, StatRowT } from '../../../../src/shared/api/cases'
import { DISPUTE_CATEGORIES, MESSAGE_CATEGORIES } from '../../../../src/shared/rules/cases'
import { sh } from '../../../../src/shared/time'
import { hasRole } from '../../../../src/shared/domain/user'
import type { HandlersOf } from '../../runtime/serve'
import { DB_NOT_FOUND, isDbError } from '../../platform/db'
import type { Effect } from '../common/effects'
import type { Ctx } from '../../runtime/context'
import type { CaseDoc } from './model'

export type Counter = 'received' | 'accepted' | 'acceptedOnTime' | 'resolved' | 'failed' | 'rated' | 'satisfied'
const COUNTERS: Counter[] = ['received', 'accepted', 'acceptedOnTime', 'resolved', 'failed', 'rated', 'satisfied']

type Row = Partial<Record<Counter, number>>
interface StatsDoc {
  _id: string
  kind: string
  communityId: string
  month: string
  total: Row
  cat: Record<string, Row>
  grid: Record<string, Row>
}

export const statsId = (kind: string, communityId: string, month: string) => `${kind}:${communityId}:${month}`

/**
 * The counter change for a case, as an effect carried by the case's own write (see
 * common/effects.ts): it moves the month's counters exactly once, even across a crash.
 */
export function countEffect(c: Pick<CaseDoc, 'kind' | 'communityId' | 'submittedAt' | 'gridId' | 'category'>, inc: Partial<Record<Counter, number>>): Effect[] {
  const entries = Object.entries(inc).filter(([, n]) => n)
  if (entries.length === 0) return []
  const month = sh(c.submittedAt).format('YYYY-MM')
  const gridKey = c.gridId ?? 'none'
  const paths = entries.flatMap(([k, n]) => [`total.${k}`, `cat.${c.category}.${k}`, `grid.${gridKey}.${k}`].map((path) => ({ path, n: n! })))
  return [
    {
      type: 'count',
      collection: 'case_stats',
      id: statsId(c.kind, c.communityId, month),
      seed: { kind: c.kind, communityId: c.communityId, month, total: {}, cat: {}, grid: {} },
      inc: paths,
    },
  ]
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
  const out: Omit<StatsDoc, '_id'> = { kind, communityId, month, total: {}, cat: {}, grid: {} }
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
      if (c.status === 'closed' && c.satisfaction) {
        counted.push('rated')
        if (c.satisfaction !== 'unsatisfied') counted.push('satisfied')
      }
      for (const row of rows) for (const k of counted) add(row, k)
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
    onTimeRate: rate(v('acceptedOnTime'), v('accepted')),
    successRate: rate(v('resolved'), v('resolved') + v('failed')),
    satisfactionRate: rate(v('satisfied'), v('rated')),
  }
}

export const stats: HandlersOf<typeof casesApi>['stats'] = async (input, ctx) => {
  const user = ctx.user!
  if (hasRole(user, 'street') && !hasRole(user, 'staff', 'admin')) throw new AppError('FORBIDDEN', '请在街道统计中查看各社区数据')
  let doc: StatsDoc | null = null
  try {
    doc = (await ctx.db.collection<StatsDoc>('case_stats').doc(statsId(input.kind, user.address.communityId, input.month)).get()).data
  } catch (e) {
    if (!isDbError(e, DB_NOT_FOUND)) throw e
  }
  const grids = await ctx.db.collection<{ _id: string; name: string }>('grids').where({ communityId: user.address.communityId }).limit(200).get()
  const cats = input.kind === 'dispute' ? DISPUTE_CATEGORIES : MESSAGE_CATEGORIES
  return {
    month: input.month,
    total: statRow(doc?.total),
    byCategory: cats.map((k) => ({ key: k, row: statRow(doc?.cat?.[k]) })),
    byGrid: [
      ...grids.data.map((g) => ({ key: g._id, name: g.name, row: statRow(doc?.grid?.[g._id]) })),
      ...(doc?.grid?.none ? [{ key: 'none', name: '未划分网格', row: statRow(doc.grid.none) }] : []),
    ],
  }
}

export { COUNTERS }
