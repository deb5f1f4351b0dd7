import type { GridDoc } from '../../../../src/shared/domain/user'
import type { userApi } from '../../../../src/shared/api/user'
import type { HandlersOf } from '../../runtime/serve'
import { placeChildren } from '../common/places'

/** Children of a place, in display order; without a parent: every community (grouped by street). The instance's place tree answers once it has them. */
export const places: HandlersOf<typeof userApi>['places'] = async (input, ctx) => {
  const children = await placeChildren(ctx, input.parentId ?? null)
  return { items: children.map((p) => ({ id: p._id, name: p.name, kind: p.kind })) }
}

/** The grids of the caller's community, in the order they were numbered (for 转办 and the role editor). */
export const grids: HandlersOf<typeof userApi>['grids'] = async (_input, ctx) => {
  const me = ctx.user!
  const res = await ctx.db.collection<GridDoc>('grids').where({ communityId: me.address.communityId }).limit(200).get()
  return {
    items: res.data
      .map((g) => ({ id: g._id, name: g.name, workerCount: g.workerIds.length, mine: me.gridIds.includes(g._id) }))
      .sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true })),
  }
}
