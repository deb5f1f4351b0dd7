import type { PlaceDoc } from '../../../../src/shared/domain/user'
import type { userApi } from '../../../../src/shared/api/user'
import type { HandlersOf } from '../../runtime/serve'

/** Children of a place, in display order; without a parent: every community (grouped by street). */
export const places: HandlersOf<typeof userApi>['places'] = async (input, ctx) => {
  const where = input.parentId ? { parentId: input.parentId } : { kind: 'community' }
  const res = await ctx.db.collection<PlaceDoc>('places').where(where).orderBy('order', 'asc').limit(200).get()
  return { items: res.data.map((p) => ({ id: p._id, name: p.name, kind: p.kind })) }
}
