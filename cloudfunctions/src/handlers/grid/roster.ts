/** The grid worker's households: the roster, care tags, visits, the due list, and the job's reminders. */
import { AppError } from '../../../../src/shared/errors'
import type { HouseholdOutT, HouseholdRowT, VisitOutT, gridApi } from '../../../../src/shared/api/grid'
import { VISIT_STATE_LABELS, DUE_SOON_DAYS, nextVisitDue, visitState, monthOf, type CareTag } from '../../../../src/shared/rules/grid'
import { maskPhone } from '../../../../src/shared/ids'
import { hasRole, isStaff, type GridDoc, type PlaceDoc, type UserDoc } from '../../../../src/shared/domain/user'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { createdId } from '../../runtime/requests'
import { checkedPhotos, requireCleanText } from '../common/content'
import { photoViews } from '../common/media'
import { placesById } from '../common/places'
import { txGetOrNull } from '../common/docs'
import { notifyEffect, settleNow, pendingOnCreate, effectKey, sweepEffects } from '../common/effects'
import { GRID_STATS, HOUSEHOLDS, VISITS, getOrNull, gridSettings, seesGrid, type HouseholdDoc, type VisitDoc } from './model'

type H = HandlersOf<typeof gridApi>

const NOT_FOUND_GRID = '没有找到该网格，或您不负责这个网格'
const NOT_FOUND_HOUSEHOLD = '没有找到这户居民，或不在您负责的网格内'

async function loadGrid(ctx: Ctx, gridId: string): Promise<GridDoc> {
  const g = await getOrNull<GridDoc>(ctx, 'grids', gridId)
  if (!g || !seesGrid(ctx.user, g.communityId, g._id)) throw new AppError('NOT_FOUND', NOT_FOUND_GRID)
  return g
}

/** The grids the caller looks after: a grid worker's own; staff see every grid of the community. */
async function myGrids(ctx: Ctx): Promise<GridDoc[]> {
  const user = ctx.user!
  const res = await ctx.db.collection<GridDoc>('grids').where({ communityId: user.address.communityId }).limit(200).get()
  return res.data.filter((g) => isStaff(user) || (hasRole(user, 'grid_worker') && user.gridIds.includes(g._id)))
}

function rowOf(id: string, places: Map<string, PlaceDoc>, unitId: string, room: string, people: UserDoc[], h: HouseholdDoc | null, now: Date): HouseholdRowT {
  const unit = places.get(unitId)
  const building = unit?.buildingId ? places.get(unit.buildingId) : undefined
  const state = visitState(h?.nextDueAt ?? null, now)
  return {
    id,
    buildingName: building?.name ?? '',
    unitName: unit?.name ?? '',
    room,
    residents: people.map((p) => ({ name: p.name ?? '居民', phoneMasked: maskPhone(p.phone) ?? null })),
    tags: (h?.tags ?? []).map((t) => t.tag),
    lastVisitAt: h?.lastVisitAt ? h.lastVisitAt.toISOString() : null,
    nextDueAt: h?.nextDueAt ? h.nextDueAt.toISOString() : null,
    visitState: state,
    visitStateLabel: h?.nextDueAt ? VISIT_STATE_LABELS[state] : '无走访计划',
  }
}

/** `unitId:room` → its parts (a household's id is its unit and room: users.householdId). */
function splitHousehold(id: string): { unitId: string; room: string } | null {
  const i = id.lastIndexOf(':')
  if (i <= 0 || i === id.length - 1) return null
  return { unitId: id.slice(0, i), room: id.slice(i + 1) }
}

export const mine: H['mine'] = async (_input, ctx) => {
  const grids = await myGrids(ctx)
  const now = ctx.clock.now()
  const soon = new Date(now.getTime() + DUE_SOON_DAYS * 24 * 3600_000)
  const rows = await Promise.all(
    grids.map(async (g) => {
      const [people, tagged, overdue, due] = await Promise.all([
        ctx.db.collection<UserDoc>('users').where({ 'address.gridId': g._id, verified: true }).field({ householdId: true }).limit(1000).get(),
        ctx.db.collection(HOUSEHOLDS).where({ gridId: g._id, tagged: true }).count(),
        ctx.db.collection(HOUSEHOLDS).where({ gridId: g._id, nextDueAt: ctx._.lt(now) }).count(),
        ctx.db.collection(HOUSEHOLDS).where({ gridId: g._id, nextDueAt: ctx._.gte(now).and(ctx._.lte(soon)) }).count(),
      ])
      return { id: g._id, name: g.name, households: new Set(people.data.map((u) => u.householdId)).size, tagged: tagged.total, overdue: overdue.total, due: due.total }
    }),
  )
  return { grids: rows }
}

export const households: H['households'] = async (input, ctx) => {
  const grid = await loadGrid(ctx, input.gridId)
  const [people, docs] = await Promise.all([
    ctx.db.collection<UserDoc>('users').where({ 'address.gridId': grid._id, verified: true }).limit(1000).get(),
    ctx.db.collection<HouseholdDoc>(HOUSEHOLDS).where({ gridId: grid._id }).limit(1000).get(),
  ])
  const byHousehold = new Map<string, UserDoc[]>()
  for (const u of people.data) byHousehold.set(u.householdId, [...(byHousehold.get(u.householdId) ?? []), u])
  const docOf = new Map(docs.data.map((d) => [d._id, d]))
  const unitIds = [...new Set(people.data.map((u) => u.address.unitId))]
  const buildingIds = [...new Set(people.data.map((u) => u.address.buildingId))]
  const places = await placesById(ctx, [...unitIds, ...buildingIds])
  const now = ctx.clock.now()
  let items = [...byHousehold.entries()].map(([id, ps]) => rowOf(id, places, ps[0].address.unitId, ps[0].address.room, ps, docOf.get(id) ?? null, now))
  const order = (id: string) => places.get(id)?.order ?? 0
  items.sort((a, b) => {
    const ua = byHousehold.get(a.id)![0].address
    const ub = byHousehold.get(b.id)![0].address
    return order(ua.buildingId) - order(ub.buildingId) || order(ua.unitId) - order(ub.unitId) || a.room.localeCompare(b.room, 'en', { numeric: true })
  })
  if (input.filter === 'tagged') items = items.filter((r) => r.tags.length > 0)
  if (input.filter === 'due') items = items.filter((r) => r.visitState !== 'ok')
  return { gridName: grid.name, items }
}

/** The household, if the caller may see it: its unit's grid must be one they look after. */
async function loadHousehold(ctx: Ctx, id: string): Promise<{ unit: PlaceDoc; room: string; people: UserDoc[]; doc: HouseholdDoc | null; places: Map<string, PlaceDoc> }> {
  const parts = splitHousehold(id)
  if (!parts) throw new AppError('NOT_FOUND', NOT_FOUND_HOUSEHOLD)
  const places = await placesById(ctx, [parts.unitId])
  const unit = places.get(parts.unitId)
  if (!unit || unit.kind !== 'unit' || !unit.communityId || !seesGrid(ctx.user, unit.communityId, unit.gridId ?? null)) throw new AppError('NOT_FOUND', NOT_FOUND_HOUSEHOLD)
  const [people, doc, more] = await Promise.all([
    ctx.db.collection<UserDoc>('users').where({ householdId: id, verified: true }).limit(20).get(),
    getOrNull<HouseholdDoc>(ctx, HOUSEHOLDS, id),
    placesById(ctx, [unit.buildingId ?? '']),
  ])
  if (people.data.length === 0) throw new AppError('NOT_FOUND', '这户还没有已认证的居民')
  for (const [k, v] of more) places.set(k, v)
  return { unit, room: parts.room, people: people.data, doc, places }
}

async function householdOut(ctx: Ctx, id: string): Promise<HouseholdOutT> {
  const { unit, room, people, doc, places } = await loadHousehold(ctx, id)
  const [visits, grid] = await Promise.all([
    ctx.db.collection<VisitDoc>(VISITS).where({ householdId: id }).orderBy('at', 'desc').limit(20).get(),
    unit.gridId ? getOrNull<GridDoc>(ctx, 'grids', unit.gridId) : Promise.resolve(null),
  ])
  const views = await photoViews(ctx, visits.data.map((v) => ({ photos: v.photos, author: v.by })))
  const visitOut = (v: VisitDoc, i: number): VisitOutT => ({
    id: v._id,
    at: v.at.toISOString(),
    found: v.found,
    photos: views[i].photos,
    followUp: v.followUp,
    followUpNote: v.followUpNote,
    onTime: v.onTime,
    byName: v.byName,
  })
  return {
    ...rowOf(id, places, unit._id, room, people, doc, ctx.clock.now()),
    gridId: unit.gridId ?? null,
    gridName: grid?.name ?? null,
    tagDetails: (doc?.tags ?? []).map((t) => ({ tag: t.tag, reason: t.reason, byName: t.byName, at: t.at.toISOString() })),
    visits: visits.data.map(visitOut),
    version: doc?.version ?? 0,
  }
}

export const household: H['household'] = async (input, ctx) => householdOut(ctx, input.id)

/** A grid worker acts only inside their own grids (staff: anywhere in the community). */
function requireOwnGrid(ctx: Ctx, unit: PlaceDoc): void {
  const user = ctx.user!
  if (isStaff(user)) return
  if (!unit.gridId || !user.gridIds.includes(unit.gridId)) throw new AppError('FORBIDDEN', '只能登记本网格住户的走访和标签')
}

function blankHousehold(unit: PlaceDoc, id: string, room: string, now: Date): HouseholdDoc {
  return { _id: id, communityId: unit.communityId!, gridId: unit.gridId ?? null, buildingId: unit.buildingId ?? '', unitId: unit._id, room, tags: [], lastVisitAt: null, nextDueAt: null, remindedFor: null, version: 0, updatedAt: now }
}


export const tag: H['tag'] = async (input, ctx) => {
  const reason = input.reason?.trim() ?? ''
  if (input.on && !reason) throw new AppError('INVALID_INPUT', '请写明加上「' + input.tag + '」标签的原因', [{ path: 'reason', message: '请写明原因' }])
  const { unit, room } = await loadHousehold(ctx, input.id)
  requireOwnGrid(ctx, unit)
  if (reason) await requireCleanText(ctx, reason, 'reason')
  const settings = await gridSettings(ctx, unit.communityId!)
  const now = ctx.clock.now()
  await ctx.db.runTransaction(async (tx) => {
    const h = (await txGetOrNull<HouseholdDoc>(tx, HOUSEHOLDS, input.id)) ?? blankHousehold(unit, input.id, room, now)
    const others = h.tags.filter((t) => t.tag !== input.tag)
    const tags = input.on ? [...others, { tag: input.tag as CareTag, reason, by: ctx.openid, byName: ctx.user?.name ?? '网格员', at: now }] : others
    const nextDueAt = nextVisitDue(tags, h.lastVisitAt, settings)
    const { _id, ...rest } = { ...h, tags, tagged: tags.length > 0, nextDueAt, reminded: false, version: h.version + 1, updatedAt: now }
    void _id
    await tx.collection(HOUSEHOLDS).doc(input.id).set({ data: rest })
  })
  return householdOut(ctx, input.id)
}

export const visit: H['visit'] = async (input, ctx) => {
  const id = createdId(ctx, 'vs')
  const { unit, room } = await loadHousehold(ctx, input.id)
  requireOwnGrid(ctx, unit)
  if (ctx.retry && (await getOrNull<VisitDoc>(ctx, VISITS, id))) return householdOut(ctx, input.id)
  const now = ctx.clock.now()
  const at = input.at ? new Date(input.at) : now
  if (at.getTime() > now.getTime() + 5 * 60_000) throw new AppError('INVALID_INPUT', '走访时间不能晚于现在', [{ path: 'at', message: '走访时间不能晚于现在' }])
  if (at.getTime() < now.getTime() - 30 * 24 * 3600_000) throw new AppError('INVALID_INPUT', '只能补记 30 天内的走访', [{ path: 'at', message: '只能补记 30 天内的走访' }])
  await requireCleanText(ctx, input.found, 'found')
  const note = input.followUpNote?.trim() ? input.followUpNote.trim() : null
  if (note) await requireCleanText(ctx, note, 'followUpNote')
  const photos = await checkedPhotos(ctx, input.photos, { collection: VISITS, docId: id })
  const settings = await gridSettings(ctx, unit.communityId!)
  const month = monthOf(at)
  const statsId = `${unit.gridId ?? 'none'}:${month}`
  await ctx.db.runTransaction(async (tx) => {
    if (await txGetOrNull<VisitDoc>(tx, VISITS, id)) return // this request's visit is there already
    const h = (await txGetOrNull<HouseholdDoc>(tx, HOUSEHOLDS, input.id)) ?? blankHousehold(unit, input.id, room, now)
    const onTime = h.nextDueAt ? at.getTime() <= h.nextDueAt.getTime() : null
    const lastVisitAt = h.lastVisitAt && h.lastVisitAt > at ? h.lastVisitAt : at
    const doc: Omit<VisitDoc, '_id'> = {
      householdId: input.id,
      communityId: unit.communityId!,
      gridId: unit.gridId ?? null,
      at,
      found: input.found,
      photos,
      followUp: input.followUp,
      followUpNote: note,
      onTime,
      by: ctx.openid,
      byName: ctx.user?.name ?? '网格员',
      createdAt: now,
    }
    await tx.collection(VISITS).doc(id).set({ data: doc })
    const { _id, ...rest } = { ...h, lastVisitAt, nextDueAt: nextVisitDue(h.tags, lastVisitAt, settings), tagged: h.tags.length > 0, reminded: false, version: h.version + 1, updatedAt: now }
    void _id
    await tx.collection(HOUSEHOLDS).doc(input.id).set({ data: rest })
    // The month's figures move in the same transaction as the visit they count.
    const s = await txGetOrNull<{ visits: number; visitsOnTime: number }>(tx, GRID_STATS, statsId)
    await tx
      .collection(GRID_STATS)
      .doc(statsId)
      .set({ data: { gridId: unit.gridId ?? 'none', communityId: unit.communityId, month, visits: (s?.visits ?? 0) + 1, visitsOnTime: (s?.visitsOnTime ?? 0) + (onTime ? 1 : 0) } })
  })
  return householdOut(ctx, input.id)
}

export const due: H['due'] = async (input, ctx) => {
  const grid = await loadGrid(ctx, input.gridId)
  const now = ctx.clock.now()
  const soon = new Date(now.getTime() + DUE_SOON_DAYS * 24 * 3600_000)
  const docs = await ctx.db.collection<HouseholdDoc>(HOUSEHOLDS).where({ gridId: grid._id, nextDueAt: ctx._.lte(soon) }).orderBy('nextDueAt', 'asc').limit(200).get()
  const ids = docs.data.map((d) => d._id)
  const people = ids.length ? (await ctx.db.collection<UserDoc>('users').where({ householdId: ctx._.in(ids), verified: true }).limit(1000).get()).data : []
  const byHousehold = new Map<string, UserDoc[]>()
  for (const u of people) byHousehold.set(u.householdId, [...(byHousehold.get(u.householdId) ?? []), u])
  const places = await placesById(ctx, [...new Set(docs.data.flatMap((d) => [d.unitId, d.buildingId]))])
  return { items: docs.data.map((d) => rowOf(d._id, places, d.unitId, d.room, byHousehold.get(d._id) ?? [], d, now)) }
}

/**
 * The job: households whose visit is overdue and not yet reminded about are collected per grid,
 * and the grid's workers get one notice per grid and run, carried by a reminder record's own
 * write (deterministic id per grid and run) and settled like every effect. Each household is
 * marked reminded by compare-and-set on its version, so it is reminded once per due date.
 */
export const tick: H['tick'] = async (_input, ctx) => {
  const now = ctx.clock.now()
  const due = await ctx.db.collection<HouseholdDoc>(HOUSEHOLDS).where({ reminded: false, nextDueAt: ctx._.lt(now) }).orderBy('nextDueAt', 'asc').limit(500).get()
  const perGrid = new Map<string, number>()
  for (const h of due.data) {
    const r = await ctx.db.collection(HOUSEHOLDS).where({ _id: h._id, version: h.version }).update({ data: { reminded: true, remindedFor: h.nextDueAt } })
    if (r.stats.updated === 1 && h.gridId) perGrid.set(h.gridId, (perGrid.get(h.gridId) ?? 0) + 1)
  }
  for (const [gridId, n] of perGrid) {
    const rid = `remind:${gridId}:${now.toISOString()}`
    const effects = [
      notifyEffect(
        ctx,
        [{ gridWorkers: gridId }],
        { title: '重点户走访已到期', body: `您的网格有 ${n} 户重点关爱对象已超过走访周期，请尽快走访。`, link: `/packages/grid/pages/home/index?gridId=${gridId}`, template: 'grid_visit', fields: { subject: '重点户走访到期', households: `${n} 户` } },
        null,
      ),
    ]
    await ctx.db.collection('grid_reminders').add({ data: { _id: rid, gridId, n, at: now, ...pendingOnCreate(ctx, effectKey(1), effects) } })
    await settleNow(ctx, 'grid_reminders', rid, effectKey(1), effects)
  }
  await sweepEffects(ctx, 'grid_reminders')
  return { reminded: [...perGrid.values()].reduce((a, b) => a + b, 0) }
}
