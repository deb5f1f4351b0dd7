/**
 * Reading the place tree (街道/社区/小区/楼栋/单元) and grids, in as few round trips as possible.
 *
 * `placesById` and `gridsById` read the database every time (a grid's `workerIds` route cases; an
 * estate's `propertyCompanyId` is moved by the property function). The tree itself — a place's
 * kind, name, parent, street, community, estate, building and grid — and a grid's name and
 * community change only when the places are imported again (README, Deploying: 数据库 → 导入), so
 * `knownPlaces`, `gridNames`, `communityGrids`, `streetCommunities` and `placeChildren` keep
 * them per function instance (runtime/instance.ts) for `REFERENCE_TTL_MS` (a warm instance is
 * reused while calls come): reading a case's location, a profile's address or a page of residents
 * then costs no request at all once the instance has seen those places.
 */
import type { Address, AddressOut, GridDoc, PlaceDoc, PlaceOut } from '../../../../src/shared/domain/user'
import type { Ctx } from '../../runtime/context'
import { instanceMap } from '../../runtime/instance'

/** How long an instance keeps the place tree and grid names. */
export const REFERENCE_TTL_MS = 10 * 60_000
const MAX_CACHED = 50_000

type TreePlace = Omit<PlaceDoc, 'propertyCompanyId'>
type Clocked = Pick<Ctx, 'clock'>
const placeCacheOf = (ctx: Clocked) => instanceMap<{ at: number; p: TreePlace }>(ctx, 'places')
const gridCacheOf = (ctx: Clocked) => instanceMap<{ at: number; g: { _id: string; name: string; communityId: string } }>(ctx, 'gridNames')
const listCacheOf = (ctx: Clocked) => instanceMap<{ at: number; ids: string[] }>(ctx, 'placeLists')

function put<V>(cache: Map<string, V>, k: string, v: V): void {
  if (cache.size >= MAX_CACHED) cache.clear()
  cache.set(k, v)
}
const live = (at: number, now: number) => Math.abs(now - at) < REFERENCE_TTL_MS

function treeOf(p: PlaceDoc): TreePlace {
  const { propertyCompanyId: _omit, ...tree } = p
  void _omit
  return tree
}

/** Places by id, from this instance's cache where it has them, the rest in one read (the tree only: no `propertyCompanyId`). */
export async function knownPlaces(ctx: Pick<Ctx, 'db' | '_' | 'clock'>, ids: string[]): Promise<Map<string, TreePlace>> {
  const now = ctx.clock.now().getTime()
  const placeCache = placeCacheOf(ctx)
  const out = new Map<string, TreePlace>()
  const missing: string[] = []
  for (const id of new Set(ids.filter(Boolean))) {
    const hit = placeCache.get(id)
    if (hit && live(hit.at, now)) out.set(id, hit.p)
    else missing.push(id)
  }
  if (missing.length) {
    const res = await ctx.db.collection<PlaceDoc>('places').where({ _id: ctx._.in(missing) }).limit(missing.length).get()
    for (const p of res.data) {
      const tree = treeOf(p)
      put(placeCache, p._id, { at: now, p: tree })
      out.set(p._id, tree)
    }
  }
  return out
}

/** Remember grids just read (their names and communities) for `gridNames`. */
export function rememberGrids(ctx: Pick<Ctx, 'clock'>, grids: Iterable<GridDoc>): void {
  const now = ctx.clock.now().getTime()
  const gridCache = gridCacheOf(ctx)
  for (const g of grids) put(gridCache, g._id, { at: now, g: { _id: g._id, name: g.name, communityId: g.communityId } })
}

/** Grids' names and communities by id, cached like the tree (never their workers: `gridsById` reads those). */
export async function gridNames(ctx: Pick<Ctx, 'db' | '_' | 'clock'>, ids: string[]): Promise<Map<string, { _id: string; name: string; communityId: string }>> {
  const now = ctx.clock.now().getTime()
  const gridCache = gridCacheOf(ctx)
  const out = new Map<string, { _id: string; name: string; communityId: string }>()
  const missing: string[] = []
  for (const id of new Set(ids.filter(Boolean))) {
    const hit = gridCache.get(id)
    if (hit && live(hit.at, now)) out.set(id, hit.g)
    else missing.push(id)
  }
  if (missing.length) {
    const res = await ctx.db.collection<GridDoc>('grids').where({ _id: ctx._.in(missing) }).limit(missing.length).field({ _id: true, name: true, communityId: true }).get()
    rememberGrids(ctx, res.data)
    for (const g of res.data) out.set(g._id, { _id: g._id, name: g.name, communityId: g.communityId })
  }
  return out
}

/** A community's grids (id and name, in their numbering order), cached like the tree. */
export async function communityGrids(ctx: Pick<Ctx, 'db' | '_' | 'clock'>, communityId: string): Promise<Array<{ _id: string; name: string }>> {
  const now = ctx.clock.now().getTime()
  const listCache = listCacheOf(ctx)
  const hit = listCache.get(`grids:${communityId}`)
  if (hit && live(hit.at, now)) {
    const named = await gridNames(ctx, hit.ids)
    return hit.ids.flatMap((id) => (named.has(id) ? [named.get(id)!] : []))
  }
  const res = await ctx.db.collection<GridDoc>('grids').where({ communityId }).limit(200).field({ _id: true, name: true, communityId: true }).get()
  rememberGrids(ctx, res.data)
  const sorted = [...res.data].sort((a, b) => a._id.localeCompare(b._id, 'en', { numeric: true }))
  put(listCache, `grids:${communityId}`, { at: now, ids: sorted.map((g) => g._id) })
  return sorted.map((g) => ({ _id: g._id, name: g.name }))
}

/** A street's communities (id and name, in order), cached like the tree. */
export async function streetCommunities(ctx: Pick<Ctx, 'db' | '_' | 'clock'>, streetId: string): Promise<Array<{ _id: string; name: string }>> {
  const now = ctx.clock.now().getTime()
  const listCache = listCacheOf(ctx)
  const hit = listCache.get(`communities:${streetId}`)
  if (hit && live(hit.at, now)) {
    const known = await knownPlaces(ctx, hit.ids)
    return hit.ids.flatMap((id) => (known.has(id) ? [{ _id: id, name: known.get(id)!.name }] : []))
  }
  const res = await ctx.db.collection<PlaceDoc>('places').where({ kind: 'community', streetId }).orderBy('order', 'asc').limit(200).get()
  for (const p of res.data) put(placeCacheOf(ctx), p._id, { at: now, p: treeOf(p) })
  put(listCache, `communities:${streetId}`, { at: now, ids: res.data.map((p) => p._id) })
  return res.data.map((p) => ({ _id: p._id, name: p.name }))
}

/** A place's children in display order (without a parent: every community), cached like the tree. */
export async function placeChildren(ctx: Pick<Ctx, 'db' | '_' | 'clock'>, parentId: string | null): Promise<TreePlace[]> {
  const now = ctx.clock.now().getTime()
  const listCache = listCacheOf(ctx)
  const k = `children:${parentId ?? ''}`
  const hit = listCache.get(k)
  if (hit && live(hit.at, now)) {
    const known = await knownPlaces(ctx, hit.ids)
    if (hit.ids.every((id) => known.has(id))) return hit.ids.map((id) => known.get(id)!)
  }
  const where = parentId ? { parentId } : { kind: 'community' }
  const res = await ctx.db.collection<PlaceDoc>('places').where(where).orderBy('order', 'asc').limit(200).get()
  for (const p of res.data) put(placeCacheOf(ctx), p._id, { at: now, p: treeOf(p) })
  put(listCache, k, { at: now, ids: res.data.map((p) => p._id) })
  return res.data.map(treeOf)
}

/** Places by id, read now (with `propertyCompanyId`); the tree part of what was read is kept for `knownPlaces`. */
export async function placesById(ctx: Ctx, ids: string[]): Promise<Map<string, PlaceDoc>> {
  const unique = [...new Set(ids.filter(Boolean))]
  if (unique.length === 0) return new Map()
  const res = await ctx.db
    .collection<PlaceDoc>('places')
    .where({ _id: ctx._.in(unique) })
    .limit(unique.length)
    .get()
  const now = ctx.clock.now().getTime()
  for (const p of res.data) put(placeCacheOf(ctx), p._id, { at: now, p: treeOf(p) })
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
  rememberGrids(ctx, res.data)
  return new Map(res.data.map((g) => [g._id, g]))
}

function out(p: Pick<PlaceDoc, '_id' | 'kind' | 'name'> | undefined, fallbackKind: PlaceOut['kind']): PlaceOut {
  return p ? { id: p._id, kind: p.kind, name: p.name } : { id: '', kind: fallbackKind, name: '（已删除）' }
}

export function addressIds(a: Address): string[] {
  return [a.streetId, a.communityId, a.estateId, a.buildingId, a.unitId]
}

/** "翠园小区 3栋 2单元 1203" — what a person reads. */
export function addressOut(a: Address, places: ReadonlyMap<string, Pick<PlaceDoc, '_id' | 'kind' | 'name'>>, grids: ReadonlyMap<string, Pick<GridDoc, 'name'>>): AddressOut {
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
