/** Reading the place tree (街道/社区/小区/楼栋/单元) and grids, in as few round trips as possible. */
import type { Address, AddressOut, GridDoc, PlaceDoc, PlaceOut } from '../../../../src/shared/domain/user'
import type { Ctx } from '../../runtime/context'

export async function placesById(ctx: Ctx, ids: string[]): Promise<Map<string, PlaceDoc>> {
  const unique = [...new Set(ids.filter(Boolean))]
  if (unique.length === 0) return new Map()
  const res = await ctx.db
    .collection<PlaceDoc>('places')
    .where({ _id: ctx._.in(unique) })
    .limit(unique.length)
    .get()
  return new Map(res.data.map((p) => [p._id, p]))
}

export async function gridsById(ctx: Ctx, ids: string[]): Promise<Map<string, GridDoc>> {
  const unique = [...new Set(ids.filter(Boolean))]
  if (unique.length === 0) return new Map()
  const res = await ctx.db
    .collection<GridDoc>('grids')
    .where({ _id: ctx._.in(unique) })
    .limit(unique.length)
    .get()
  return new Map(res.data.map((g) => [g._id, g]))
}

function out(p: PlaceDoc | undefined, fallbackKind: PlaceOut['kind']): PlaceOut {
  return p ? { id: p._id, kind: p.kind, name: p.name } : { id: '', kind: fallbackKind, name: '（已删除）' }
}

export function addressIds(a: Address): string[] {
  return [a.streetId, a.communityId, a.estateId, a.buildingId, a.unitId]
}

/** "翠园小区 3栋 2单元 1203" — what a person reads. */
export function addressOut(a: Address, places: Map<string, PlaceDoc>, grids: Map<string, GridDoc>): AddressOut {
  const estate = out(places.get(a.estateId), 'estate')
  const building = out(places.get(a.buildingId), 'building')
  const unit = out(places.get(a.unitId), 'unit')
  return {
    street: out(places.get(a.streetId), 'street'),
    community: out(places.get(a.communityId), 'community'),
    estate,
    building,
    unit,
    room: a.room,
    gridName: a.gridId ? (grids.get(a.gridId)?.name ?? null) : null,
    text: `${estate.name} ${building.name} ${unit.name} ${a.room}`,
  }
}
