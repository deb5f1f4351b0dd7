/**
 * Figures per grid and month: visits (in time or late) from `grid_stats`, moved in the visit's
 * own transaction; patrol reports from the case engine's own counters (`case_stats`, kind event:
 * per grid, per type, per department); overdue households now, counted on the index.
 */
import type { gridApi } from '../../../../src/shared/api/grid'
import { EVENT_TYPES } from '../../../../src/shared/rules/grid'
import { hasRole, isStaff, type GridDoc } from '../../../../src/shared/domain/user'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { statsId } from '../cases/stats'
import { DEPARTMENTS, GRID_STATS, HOUSEHOLDS, VISITS, type VisitDoc } from './model'

type H = HandlersOf<typeof gridApi>
type Row = Partial<Record<'received' | 'resolved' | 'resolvedOnTime' | 'routed', number>>
interface EventStats {
  grid?: Record<string, Row>
  cat?: Record<string, Row>
  dept?: Record<string, Row>
}

export const stats: H['stats'] = async (input, ctx) => {
  const user = ctx.user!
  const communityId = user.address.communityId
  const all = (await ctx.db.collection<GridDoc>('grids').where({ communityId }).limit(200).get()).data
  const grids = all.filter((g) => isStaff(user) || (hasRole(user, 'grid_worker') && user.gridIds.includes(g._id)))
  const now = ctx.clock.now()
  const [visitDocs, events] = await Promise.all([
    grids.length
      ? ctx.db.collection<{ _id: string; visits: number; visitsOnTime: number }>(GRID_STATS).where({ _id: ctx._.in(grids.map((g) => `${g._id}:${input.month}`)) }).limit(grids.length).get()
      : Promise.resolve({ data: [] as Array<{ _id: string; visits: number; visitsOnTime: number }> }),
    ctx.db
      .collection<EventStats>('case_stats')
      .doc(statsId('event', communityId, input.month))
      .get()
      .then((r) => r.data)
      .catch(() => ({}) as EventStats),
  ])
  const visitsOf = new Map(visitDocs.data.map((d) => [d._id, d]))
  const rows = await Promise.all(
    grids.map(async (g) => {
      const [overdue, tagged] = await Promise.all([
        ctx.db.collection(HOUSEHOLDS).where({ gridId: g._id, nextDueAt: ctx._.lt(now) }).count(),
        ctx.db.collection(HOUSEHOLDS).where({ gridId: g._id, tagged: true }).count(),
      ])
      const v = visitsOf.get(`${g._id}:${input.month}`)
      const r = events.grid?.[g._id] ?? {}
      return {
        gridId: g._id,
        gridName: g.name,
        visits: v?.visits ?? 0,
        visitsOnTime: v?.visitsOnTime ?? 0,
        overdueNow: overdue.total,
        tagged: tagged.total,
        reports: r.received ?? 0,
        reportsClosed: r.resolved ?? 0,
        reportsClosedOnTime: r.resolvedOnTime ?? 0,
      }
    }),
  )
  const deptIds = Object.keys(events.dept ?? {})
  const named = deptIds.length ? (await ctx.db.collection<{ _id: string; name: string }>(DEPARTMENTS).where({ _id: ctx._.in(deptIds) }).limit(deptIds.length).get()).data : []
  const names = new Map(named.map((d) => [d._id, d.name]))
  return {
    month: input.month,
    grids: rows,
    byType: EVENT_TYPES.map((t) => ({ type: t, reports: events.cat?.[t]?.received ?? 0, closed: events.cat?.[t]?.resolved ?? 0, closedOnTime: events.cat?.[t]?.resolvedOnTime ?? 0 })),
    byDepartment: deptIds.map((id) => ({ key: id, name: names.get(id) ?? '职能部门', routed: events.dept![id].routed ?? 0, resolved: events.dept![id].resolved ?? 0, resolvedOnTime: events.dept![id].resolvedOnTime ?? 0 })),
  }
}

/** A month's visit figures recounted from the visits themselves (what `grid_stats` must equal). */
export async function recountVisits(ctx: Pick<Ctx, 'db' | '_'>, gridId: string, month: string): Promise<{ visits: number; visitsOnTime: number }> {
  const from = new Date(`${month}-01T00:00:00+08:00`)
  const [y, m] = month.split('-').map(Number)
  const to = new Date(`${m === 12 ? y + 1 : y}-${String(m === 12 ? 1 : m + 1).padStart(2, '0')}-01T00:00:00+08:00`)
  let visits = 0
  let visitsOnTime = 0
  for (let skip = 0; ; skip += 1000) {
    const page = await ctx.db.collection<VisitDoc>(VISITS).where({ gridId, at: ctx._.gte(from).and(ctx._.lt(to)) }).orderBy('at', 'asc').skip(skip).limit(1000).get()
    for (const v of page.data) {
      visits++
      if (v.onTime) visitsOnTime++
    }
    if (page.data.length < 1000) break
  }
  return { visits, visitsOnTime }
}
