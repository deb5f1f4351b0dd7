/**
 * Figures per grid and month: visits (in time or late) from `grid_stats`, moved in the visit's
 * own transaction; patrol reports from the case engine's own counters (`case_stats`, kind event:
 * per grid, per type, per department); overdue and tagged households now, from one indexed query.
 */
import type { gridApi } from '../../../../src/shared/api/grid'
import { EVENT_TYPES } from '../../../../src/shared/rules/grid'
import { hasRole, isStaff } from '../../../../src/shared/domain/user'
import { communityGrids } from '../common/places'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { statsId } from '../cases/stats'
import { DEPARTMENTS, GRID_STATS, VISITS, type VisitDoc } from './model'
import { taggedOfCommunity } from './roster'

type H = HandlersOf<typeof gridApi>
type Row = Partial<Record<'received' | 'resolved' | 'resolvedOnTime' | 'routed', number>>
interface EventStats {
  grid?: Record<string, Row>
  cat?: Record<string, Row>
  dept?: Record<string, Row>
}

/**
 * One wait: the grid list (kept by the instance: common/places), the month's visit figures (by
 * community and month), the case engine's patrol-report counters, the tagged households now
 * (overdue and tagged per grid, counted here) and the street's departments (the counters key them
 * by id) are read together.
 */
export const stats: H['stats'] = async (input, ctx) => {
  const user = ctx.user!
  const communityId = user.address.communityId
  const now = ctx.clock.now()
  type VisitFigures = { _id: string; gridId: string; visits: number; visitsOnTime: number }
  const [all, visitDocs, events, tagged, departments] = await Promise.all([
    communityGrids(ctx, communityId),
    ctx.db.collection<VisitFigures>(GRID_STATS).where({ communityId, month: input.month }).limit(1000).get(),
    ctx.db
      .collection<EventStats>('case_stats')
      .doc(statsId('event', communityId, input.month))
      .get()
      .then((r) => r.data)
      .catch(() => ({}) as EventStats),
    taggedOfCommunity(ctx, communityId),
    ctx.db.collection<{ _id: string; name: string }>(DEPARTMENTS).where({ streetId: user.address.streetId }).field({ _id: true, name: true }).limit(200).get(),
  ])
  const grids = all.filter((g) => isStaff(user) || (hasRole(user, 'grid_worker') && user.gridIds.includes(g._id)))
  const visitsOf = new Map(visitDocs.data.map((d) => [d._id, d]))
  const rows = grids.map((g) => {
    const mine = tagged.filter((h) => h.gridId === g._id)
    const v = visitsOf.get(`${g._id}:${input.month}`)
    const r = events.grid?.[g._id] ?? {}
    return {
      gridId: g._id,
      gridName: g.name,
      visits: v?.visits ?? 0,
      visitsOnTime: v?.visitsOnTime ?? 0,
      overdueNow: mine.filter((h) => h.nextDueAt && h.nextDueAt < now).length,
      tagged: mine.length,
      reports: r.received ?? 0,
      reportsClosed: r.resolved ?? 0,
      reportsClosedOnTime: r.resolvedOnTime ?? 0,
    }
  })
  const deptIds = Object.keys(events.dept ?? {})
  const names = new Map(departments.data.map((d) => [d._id, d.name]))
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
