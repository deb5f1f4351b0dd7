/** Reading cases: my cases, the handler queue (sorted by deadline, overdue first), one case. */
import { isStaff, hasRole, type UserDoc } from '../../../../src/shared/domain/user'
import type { casesApi } from '../../../../src/shared/api/cases'
import { OPEN_STATUSES } from '../../../../src/shared/rules/cases'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { gridNames as namesOfGrids } from '../common/places'
import { pageArgs, pageResult } from '../common/paging'
import { detailOf, loadVisible, summaryOf, type CaseDoc } from './model'
import { markSeen } from './message'

type H = HandlersOf<typeof casesApi>

/** Grid names for cases written before they kept their own (`gridName`): from the instance's cache. */
export async function gridNames(ctx: Ctx, cases: Array<Pick<CaseDoc, 'gridId' | 'gridName'>>): Promise<Map<string, string>> {
  const ids = cases.flatMap((c) => (c.gridId && c.gridName === undefined ? [c.gridId] : []))
  if (ids.length === 0) return new Map()
  const grids = await namesOfGrids(ctx, ids)
  return new Map([...grids.values()].map((g) => [g._id, g.name]))
}

const LIST_FIELDS = { timeline: false } as const

export const mine: H['mine'] = async (input, ctx) => {
  const { skip, limit } = pageArgs(input)
  const res = await ctx.db
    .collection<CaseDoc>('cases')
    .where({ ownerId: ctx.openid, kind: input.kind })
    .orderBy('submittedAt', 'desc')
    .skip(skip)
    .limit(limit + 1)
    .field(LIST_FIELDS)
    .get()
  const names = await gridNames(ctx, res.data)
  const now = ctx.clock.now()
  return pageResult(
    res.data.map((c) => summaryOf(c, now, names, 'owner')),
    input,
  )
}

/**
 * Whose cases a handler's queue holds, by role: a department → the reports routed to it; the street
 * → its street's street-level cases; staff → the community; a grid worker → their grids. (The
 * workbench, handlers/work, reads the same scope.)
 */
export function queueScope(user: UserDoc, _: Ctx['_']): Record<string, unknown> {
  if (hasRole(user, 'department') && !isStaff(user)) return { departmentId: user.departmentId ?? '__none__', level: 'department' }
  if (hasRole(user, 'street') && !isStaff(user)) return { streetId: user.address.streetId, level: 'street' }
  if (isStaff(user)) return { communityId: user.address.communityId }
  return { gridId: _.in(user.gridIds) }
}

export const queue: H['queue'] = async (input, ctx) => {
  const user = ctx.user!
  const _ = ctx._
  const scope = queueScope(user, _)
  const where: Record<string, unknown> = { ...scope, kind: input.kind }
  if (input.status === 'open') where.status = _.in(OPEN_STATUSES)
  else where.status = input.status
  if (input.category) where.category = input.category
  if (input.gridId) where.gridId = isStaff(user) || user.gridIds.includes(input.gridId) ? input.gridId : '__none__'
  if (input.overdueOnly) where.dueAt = _.lt(ctx.clock.now())
  const { skip, limit } = pageArgs(input)
  // Deadline order, most urgent first. Cases without a deadline sort first (null < dates, as in
  // CloudBase): among open cases those are the ones flagged overdue at the top level and the
  // ones paused waiting for the resident — both want attention.
  const res = await ctx.db
    .collection<CaseDoc>('cases')
    .where(where)
    .orderBy('dueAt', 'asc')
    .orderBy('submittedAt', 'desc')
    .skip(skip)
    .limit(limit + 1)
    .field(LIST_FIELDS)
    .get()
  const names = await gridNames(ctx, res.data)
  const now = ctx.clock.now()
  return pageResult(
    res.data.map((c) => summaryOf(c, now, names, 'handler')),
    input,
  )
}

export const get: H['get'] = async (input, ctx) => {
  const { c, viewer } = await loadVisible(ctx, input.id)
  // Opening a message marks the viewer's side read (observers read without clearing it).
  const seen = viewer === 'observer' ? c : await markSeen(ctx, c, viewer)
  return detailOf(ctx, seen, viewer, await gridNames(ctx, [c]))
}
