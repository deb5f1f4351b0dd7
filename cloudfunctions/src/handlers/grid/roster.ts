/**
 * The grid worker's households: the roster, care tags, visits, the due list, and the job's reminders.
 *
 * Round trips (issue 13): every read asks the database what it needs in one wait — the grid's
 * residents, the households' documents and the grid itself together (the access check runs on
 * what came back, and nothing is answered before it passes). The place tree and the grids' names
 * come from `common/places`, which an instance keeps (they change only by import). A household's
 * page needs no visit query: its document keeps its latest visits. A write answers from what it
 * read and wrote instead of reading the household again.
 */
import { allPages, allPagesCounted, MAX_PAGE, pageArgs } from '../common/paging'
import { AppError } from '../../../../src/shared/errors'
import type { HouseholdOutT, HouseholdRowT, VisitOutT, gridApi } from '../../../../src/shared/api/grid'
import { VISIT_STATE_LABELS, DUE_SOON_DAYS, nextVisitDue, visitState, monthOf, type CareTag, type GridSettings } from '../../../../src/shared/rules/grid'
import { maskPhone } from '../../../../src/shared/ids'
import { hasRole, isStaff, type PlaceDoc, type UserDoc } from '../../../../src/shared/domain/user'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { createdId } from '../../runtime/requests'
import { early as startedEarly, type EarlyQuery } from '../../runtime/preload'
import { checkedPhotos, requireCleanText } from '../common/content'
import { photoViews } from '../common/media'
import { communityGrids, gridNames, knownPlaces } from '../common/places'
import { txGetOrNull } from '../common/docs'
import { keptOr, readKept, type KeptDoc } from '../common/kept'
import { backfillRosterKeys } from './backfill'
import { notifyEffect, settleNow, pendingOnCreate, effectKey, sweepEffects, type CountEffect } from '../common/effects'
import { DB_DUPLICATE_KEY, isDbError } from '../../platform/db'
import { GRID_STATS, HOUSEHOLDS, RECENT_VISITS, VISITS, getOrNull, gridSettings, seesGrid, type HouseholdDoc, type RecentVisit, type VisitDoc } from './model'

type H = HandlersOf<typeof gridApi>
/** A place of the tree as common/places keeps it (never an estate's company). */
type Place = Omit<PlaceDoc, 'propertyCompanyId'>
type GridName = { _id: string; name: string; communityId: string }

const NOT_FOUND_GRID = '没有找到该网格，或您不负责这个网格'
const NOT_FOUND_HOUSEHOLD = '没有找到这户居民，或不在您负责的网格内'
/** A page of the index; a grid with more verified residents than this is read in several. */
const PAGE = MAX_PAGE

/** The grid, if the caller may see it (by id through common/places, beside whatever else the caller asked for). */
function grantedGrid(ctx: Ctx, grids: Map<string, GridName>, gridId: string): GridName {
  const g = grids.get(gridId)
  if (!g || !seesGrid(ctx.user, g.communityId, g._id)) throw new AppError('NOT_FOUND', NOT_FOUND_GRID)
  return g
}

/** A grid's verified residents (the roster's source of truth: `users.householdId`). */
function residentsOfGrid(ctx: Ctx, gridId: string, fields?: Record<string, boolean>): Promise<UserDoc[]> {
  return allPages((skip) => {
    const q = ctx.db.collection<UserDoc>('users').where({ 'address.gridId': gridId, verified: true })
    return (fields ? q.field(fields) : q).skip(skip).limit(PAGE).get()
  })
}

function byHousehold(people: UserDoc[]): Map<string, UserDoc[]> {
  const out = new Map<string, UserDoc[]>()
  for (const u of people) out.set(u.householdId, [...(out.get(u.householdId) ?? []), u])
  return out
}

/** The grids the caller looks after: a grid worker's own; staff see every grid of the community. */
async function myGrids(ctx: Ctx): Promise<Array<{ _id: string; name: string }>> {
  const user = ctx.user!
  if (!isStaff(user)) {
    const grids = await gridNames(ctx, hasRole(user, 'grid_worker') ? user.gridIds : [])
    return user.gridIds.map((id) => grids.get(id)).filter((g): g is GridName => !!g && g.communityId === user.address.communityId)
  }
  return communityGrids(ctx, user.address.communityId)
}

function rowOf(id: string, places: Map<string, Place>, unitId: string, room: string, people: UserDoc[], h: HouseholdDoc | null, now: Date): HouseholdRowT {
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

/** A community's tagged households (the overdue and tagged figures), paged past 1000. */
export async function taggedOfCommunity(ctx: Ctx, communityId: string): Promise<Array<Pick<HouseholdDoc, 'gridId' | 'nextDueAt'>>> {
  return allPages((skip) => ctx.db.collection<HouseholdDoc>(HOUSEHOLDS).where({ communityId, tagged: true }).field({ gridId: true, nextDueAt: true }).skip(skip).limit(PAGE).get())
}

/**
 * The grids' tagged households (the figures of `mine`): one query for all of them, counted here.
 * Tagged households are the few a grid looks after closely (a tenth or so): paged past 1000.
 */
async function taggedOf(ctx: Ctx, gridIds: string[]): Promise<Array<Pick<HouseholdDoc, 'gridId' | 'nextDueAt'>>> {
  if (gridIds.length === 0) return []
  return allPages((skip) =>
    ctx.db
      .collection<HouseholdDoc>(HOUSEHOLDS)
      .where({ gridId: ctx._.in(gridIds), tagged: true })
      .field({ gridId: true, nextDueAt: true })
      .skip(skip)
      .limit(PAGE)
      .get(),
  )
}

/**
 * Every verified resident of a community (their household and grid only): the count and the first
 * page in one wait, the other pages together in the next.
 */
async function residentsOfCommunity(ctx: Ctx, communityId: string): Promise<UserDoc[]> {
  const q = () => ctx.db.collection<UserDoc>('users').where({ 'address.communityId': communityId, verified: true })
  return allPagesCounted(
    () => q().count(),
    (skip) => q().orderBy('createdAt', 'desc').field({ householdId: true, 'address.gridId': true }).skip(skip).limit(PAGE).get(),
  )
}

/** Households per grid of a community, kept by community id (common/kept.ts): what staff's tiles show. */
const GRID_COUNTS = 'grid_counts'
/** How old the households per grid may be before staff's next look recounts them. */
export const GRID_COUNTS_TTL_MS = 10 * 60_000

/** Households (verified residents grouped by `householdId`) per grid. */
export function householdsPerGrid(people: Array<Pick<UserDoc, 'householdId' | 'address'>>): Map<string, number> {
  const seen = new Map<string, Set<string>>()
  for (const u of people) {
    const g = u.address?.gridId
    if (!g || !u.householdId) continue
    const s = seen.get(g) ?? new Set<string>()
    s.add(u.householdId)
    seen.set(g, s)
  }
  return new Map([...seen].map(([g, s]) => [g, s.size]))
}

/**
 * The community's households per grid for staff: the kept counts while fresh, else a recount over
 * the community's verified residents (every page: thousands at district scale), kept for the next
 * look (common/kept.ts).
 */
async function communityHouseholds(ctx: Ctx, communityId: string, kept: KeptDoc<Record<string, number>> | null): Promise<Map<string, number>> {
  const counts = await keptOr(ctx, GRID_COUNTS, communityId, kept, GRID_COUNTS_TTL_MS, async () =>
    Object.fromEntries(householdsPerGrid(await residentsOfCommunity(ctx, communityId))),
  )
  return new Map(Object.entries(counts))
}

/**
 * A grid worker reads their grids, the tagged households and the residents of their grids in one
 * wait. Staff (every grid of the community) read the community's grids, tagged households and the
 * kept households per grid in one wait; the households are recounted over the community's
 * residents when the kept counts are older than GRID_COUNTS_TTL_MS (a newly verified household
 * shows within that time), so the page costs the same in a community of 50 households or 5,000.
 */
export const mine: H['mine'] = async (_input, ctx) => {
  const user = ctx.user!
  const communityId = user.address.communityId
  const known = isStaff(user) ? null : user.gridIds
  const [grids, tagged, households] = known
    ? await Promise.all([
        myGrids(ctx),
        taggedOf(ctx, known),
        Promise.all(known.map((g) => residentsOfGrid(ctx, g, { householdId: true, 'address.gridId': true }))).then((x) => householdsPerGrid(x.flat())),
      ])
    : await Promise.all([
        myGrids(ctx),
        taggedOfCommunity(ctx, communityId),
        readKept<Record<string, number>>(ctx, GRID_COUNTS, communityId).then((kept) => communityHouseholds(ctx, communityId, kept)),
      ])
  const now = ctx.clock.now()
  const soon = new Date(now.getTime() + DUE_SOON_DAYS * 24 * 3600_000)
  return {
    grids: grids.map((g) => {
      const mineTagged = tagged.filter((h) => h.gridId === g._id)
      return {
        id: g._id,
        name: g.name,
        households: households.get(g._id) ?? 0,
        tagged: mineTagged.length,
        overdue: mineTagged.filter((h) => h.nextDueAt && h.nextDueAt < now).length,
        due: mineTagged.filter((h) => h.nextDueAt && h.nextDueAt >= now && h.nextDueAt <= soon).length,
      }
    }),
  }
}

type HouseholdsInput = Parameters<H['households']>[0]

/** The first read of a 网格户籍 page: the grid's residents (全部), or the households' documents (重点户, 待走访). */
type HouseholdsFirst = { kind: 'people'; people: UserDoc[] } | { kind: 'docs'; docs: HouseholdDoc[] }

/** People read per household asked for (a household has two or three): the 全部 page reads `pageSize` × this, and one more. */
const PEOPLE_PER_HOUSEHOLD = 3
const peopleToRead = (pageSize: number) => Math.min(MAX_PAGE - 1, pageSize * PEOPLE_PER_HOUSEHOLD)
/** What a row shows of a person. */
const PERSON_FIELDS = { _id: true, name: true, phone: true, householdId: true, address: true } as const

/**
 * The first read of a 网格户籍 page, which the input alone determines, so it starts beside the
 * caller's record (runtime/preload.ts, functions/grid.ts); access is checked on what came back.
 * - 全部: the grid's verified residents in roster order (users.rosterKey, then the household), from
 *   the page's offset in people.
 * - 重点户: the tagged households' documents in roster order; 待走访: the documents due within
 *   DUE_SOON_DAYS or overdue, most urgent first (as the 待走访 list). A page of documents.
 */
export function householdsPage(input: HouseholdsInput): EarlyQuery<HouseholdsFirst> {
  const { skip, limit } = pageArgs(input)
  return {
    key: 'grid.households',
    run: async (db, now) => {
      if (input.filter === 'all') {
        const res = await db
          .collection<UserDoc>('users')
          .where({ 'address.gridId': input.gridId, verified: true })
          .orderBy('rosterKey', 'asc')
          .orderBy('householdId', 'asc')
          .skip(skip)
          .limit(peopleToRead(limit) + 1)
          .field(PERSON_FIELDS)
          .get()
        return { kind: 'people', people: res.data }
      }
      const q =
        input.filter === 'tagged'
          ? db.collection<HouseholdDoc>(HOUSEHOLDS).where({ gridId: input.gridId, tagged: true }).orderBy('rosterKey', 'asc').orderBy('_id', 'asc')
          : db
              .collection<HouseholdDoc>(HOUSEHOLDS)
              .where({ gridId: input.gridId, nextDueAt: db.command.lte(new Date(now.getTime() + DUE_SOON_DAYS * 24 * 3600_000)) })
              .orderBy('nextDueAt', 'asc')
      const res = await q.skip(skip).limit(limit + 1).field({ recent: false }).get()
      return { kind: 'docs', docs: res.data }
    },
  }
}

/** Consecutive people of one household together, in the order read. */
function householdRuns(people: UserDoc[]): Array<{ id: string; people: UserDoc[] }> {
  const out: Array<{ id: string; people: UserDoc[] }> = []
  for (const u of people) {
    const last = out[out.length - 1]
    if (last && last.id === u.householdId) last.people.push(u)
    else out.push({ id: u.householdId, people: [u] })
  }
  return out
}

/**
 * 网格户籍, a page at a time: the first read (started beside the caller's record), then in one
 * wait what the page's rows need of the other side — the households' documents by id (全部) or
 * their verified residents (重点户, 待走访) — with the grid's name and the places (an instance
 * keeps those). A page costs its own rows, whatever the grid's size.
 *
 * 全部 pages through people: a household is never split (the people read are cut after the last
 * household read whole, unless it is the only one), and the cursor is the next person's offset.
 * A household without a verified resident is not listed.
 */
export const households: H['households'] = async (input, ctx) => {
  const now = ctx.clock.now()
  const { skip, limit } = pageArgs(input)
  const first = await startedEarly(ctx.db, householdsPage(input), now)
  let runs: Array<{ id: string; people: UserDoc[] }>
  let nextCursor: string | null
  let docOf: Map<string, HouseholdDoc>
  let grids: Map<string, GridName>
  let places: Map<string, Place>
  if (first.kind === 'people') {
    const max = peopleToRead(limit)
    const more = first.people.length > max
    const read = householdRuns(first.people.slice(0, max))
    // The last household read may go on past what was read: it starts the next page (unless it is all there is).
    const whole = more && read.length > 1 ? read.slice(0, -1) : read
    runs = whole.slice(0, limit)
    const used = runs.reduce((n, r) => n + r.people.length, 0)
    nextCursor = more || whole.length > runs.length ? String(skip + used) : null
    const ids = runs.map((r) => r.id)
    const [g, docs, p] = await Promise.all([
      gridNames(ctx, [input.gridId]),
      ids.length ? ctx.db.collection<HouseholdDoc>(HOUSEHOLDS).where({ _id: ctx._.in(ids) }).field({ recent: false }).limit(ids.length).get() : null,
      knownPlaces(ctx, [...new Set(runs.flatMap((r) => [r.people[0].address.unitId, r.people[0].address.buildingId]))]),
    ])
    grids = g
    docOf = new Map((docs?.data ?? []).map((d) => [d._id, d]))
    places = p
  } else {
    const page = first.docs.slice(0, limit)
    nextCursor = first.docs.length > limit ? String(skip + limit) : null
    const ids = page.map((d) => d._id)
    const [g, people, p] = await Promise.all([
      gridNames(ctx, [input.gridId]),
      ids.length
        ? ctx.db.collection<UserDoc>('users').where({ householdId: ctx._.in(ids), verified: true }).field(PERSON_FIELDS).limit(Math.min(MAX_PAGE, ids.length * 20)).get()
        : null,
      knownPlaces(ctx, [...new Set(page.flatMap((d) => [d.unitId, d.buildingId]))]),
    ])
    grids = g
    docOf = new Map(page.map((d) => [d._id, d]))
    places = p
    const groups = byHousehold(people?.data ?? [])
    runs = page.flatMap((d) => {
      const ps = groups.get(d._id)
      return ps?.length ? [{ id: d._id, people: ps }] : []
    })
  }
  const grid = grantedGrid(ctx, grids, input.gridId)
  let items = runs
    .filter((r) => (docOf.get(r.id)?.communityId ?? grid.communityId) === grid.communityId)
    .map((r) => rowOf(r.id, places, r.people[0].address.unitId, r.people[0].address.room, r.people, docOf.get(r.id) ?? null, now))
  if (input.filter === 'due') items = items.filter((r) => r.visitState !== 'ok')
  return { gridName: grid.name, items, nextCursor }
}

interface Household {
  id: string
  unit: Place
  room: string
  people: UserDoc[]
  /** Its place in 网格户籍's order, from its residents' records (null: written before it was kept). */
  rosterKey: string | null
}

/**
 * The household's unit and verified residents, if the caller may see it: its unit's grid must be
 * one they look after. `also` runs beside these reads (the household's document, settings…), and
 * its answer is handed back only once the check passed.
 */
async function readHousehold<T>(ctx: Ctx, id: string, also: () => Promise<T>): Promise<Household & { also: T }> {
  const parts = splitHousehold(id)
  if (!parts) throw new AppError('NOT_FOUND', NOT_FOUND_HOUSEHOLD)
  const [places, people, extra] = await Promise.all([
    knownPlaces(ctx, [parts.unitId]),
    ctx.db.collection<UserDoc>('users').where({ householdId: id, verified: true }).limit(20).get(),
    also(),
  ])
  const unit = places.get(parts.unitId)
  if (!unit || unit.kind !== 'unit' || !unit.communityId || !seesGrid(ctx.user, unit.communityId, unit.gridId ?? null)) throw new AppError('NOT_FOUND', NOT_FOUND_HOUSEHOLD)
  if (people.data.length === 0) throw new AppError('NOT_FOUND', '这户还没有已认证的居民')
  return { id, unit, room: parts.room, people: people.data, rosterKey: people.data.find((p) => p.rosterKey)?.rosterKey ?? null, also: extra }
}

/** The names a household's page shows: its building (with the unit) and its grid, through common/places. */
async function namesOf(ctx: Ctx, unit: Place): Promise<{ places: Map<string, Place>; gridName: string | null }> {
  const [buildings, grids] = await Promise.all([knownPlaces(ctx, [unit.buildingId ?? '']), gridNames(ctx, [unit.gridId ?? ''])])
  return { places: new Map([...buildings, [unit._id, unit]]), gridName: unit.gridId ? (grids.get(unit.gridId)?.name ?? null) : null }
}

function recentOf(v: VisitDoc & { _id: string }): RecentVisit {
  return { id: v._id, at: v.at, found: v.found, photos: v.photos, followUp: v.followUp, followUpNote: v.followUpNote, onTime: v.onTime, by: v.by, byName: v.byName }
}

/** The latest visits: kept on the document; a document written before `recent` was kept asks the visits. */
async function visitsOf(ctx: Ctx, id: string, doc: HouseholdDoc | null): Promise<RecentVisit[]> {
  if (!doc) return []
  if (doc.recent) return doc.recent
  if (!doc.lastVisitAt) return []
  const res = await ctx.db.collection<VisitDoc & { _id: string }>(VISITS).where({ householdId: id }).orderBy('at', 'desc').limit(RECENT_VISITS).get()
  return res.data.map(recentOf)
}

async function householdOut(ctx: Ctx, h: Household, doc: HouseholdDoc | null, names: { places: Map<string, Place>; gridName: string | null }): Promise<HouseholdOutT> {
  const visits = await visitsOf(ctx, h.id, doc)
  const views = await photoViews(ctx, visits.map((v) => ({ photos: v.photos, author: v.by })))
  const visitOut = (v: RecentVisit, i: number): VisitOutT => ({
    id: v.id,
    at: v.at.toISOString(),
    found: v.found,
    photos: views[i].photos,
    followUp: v.followUp,
    followUpNote: v.followUpNote,
    onTime: v.onTime,
    byName: v.byName,
  })
  return {
    ...rowOf(h.id, names.places, h.unit._id, h.room, h.people, doc, ctx.clock.now()),
    gridId: h.unit.gridId ?? null,
    gridName: names.gridName,
    tagDetails: (doc?.tags ?? []).map((t) => ({ tag: t.tag, reason: t.reason, byName: t.byName, at: t.at.toISOString() })),
    visits: visits.map(visitOut),
    actFor: h.people.map((p) => ({ openid: p._id, name: p.name ?? '居民', buildingId: h.unit.buildingId ?? '', unitId: h.unit._id })),
    version: doc?.version ?? 0,
  }
}

export const household: H['household'] = async (input, ctx) => {
  const h = await readHousehold(ctx, input.id, () => getOrNull<HouseholdDoc>(ctx, HOUSEHOLDS, input.id))
  return householdOut(ctx, h, h.also, await namesOf(ctx, h.unit))
}

/** A grid worker acts only inside their own grids (staff: anywhere in the community). */
function requireOwnGrid(ctx: Ctx, unit: Place): void {
  const user = ctx.user!
  if (isStaff(user)) return
  if (!unit.gridId || !user.gridIds.includes(unit.gridId)) throw new AppError('FORBIDDEN', '只能登记本网格住户的走访和标签')
}

function blankHousehold(unit: Place, id: string, room: string, now: Date): HouseholdDoc {
  return { _id: id, communityId: unit.communityId!, gridId: unit.gridId ?? null, buildingId: unit.buildingId ?? '', unitId: unit._id, room, tags: [], lastVisitAt: null, nextDueAt: null, remindedFor: null, recent: [], version: 0, updatedAt: now }
}

const TAG_CONFLICT = '这户的信息刚刚有变化，请刷新后再试'

/**
 * A tag changes one document: the household's, by compare-and-set on its version (created with
 * a duplicate-failing `add`), retried on a concurrent change. Its reads (residents, document,
 * settings) share one wait; the page is answered from them and the write.
 */
export const tag: H['tag'] = async (input, ctx) => {
  const reason = input.reason?.trim() ?? ''
  if (input.on && !reason) throw new AppError('INVALID_INPUT', '请写明加上「' + input.tag + '」标签的原因', [{ path: 'reason', message: '请写明原因' }])
  const communityId = ctx.user!.address.communityId
  for (let attempt = 0; ; attempt++) {
    const h = await readHousehold(ctx, input.id, () =>
      Promise.all([getOrNull<HouseholdDoc>(ctx, HOUSEHOLDS, input.id), gridSettings(ctx, communityId), attempt === 0 && reason ? requireCleanText(ctx, reason, 'reason') : null]),
    )
    requireOwnGrid(ctx, h.unit)
    const [stored, settings] = h.also
    const now = ctx.clock.now()
    const base = stored ?? blankHousehold(h.unit, input.id, h.room, now)
    const others = base.tags.filter((t) => t.tag !== input.tag)
    const tags = input.on ? [...others, { tag: input.tag as CareTag, reason, by: ctx.openid, byName: ctx.user?.name ?? '网格员', at: now }] : others
    // The household's place in 网格户籍 goes with it: 重点户 are paged in roster order.
    const next: HouseholdDoc = { ...base, rosterKey: h.rosterKey ?? base.rosterKey ?? null, tags, tagged: tags.length > 0, nextDueAt: nextVisitDue(tags, base.lastVisitAt, settings), reminded: false, version: base.version + 1, updatedAt: now }
    const [written, names] = await Promise.all([writeHousehold(ctx, stored, next), namesOf(ctx, h.unit)])
    if (written) return householdOut(ctx, h, next, names)
    if (attempt >= 4) throw new AppError('CONFLICT', TAG_CONFLICT)
  }
}

/** The household's document as `next`, if it is still as read (`before`; null: not there yet). */
async function writeHousehold(ctx: Ctx, before: HouseholdDoc | null, next: HouseholdDoc): Promise<boolean> {
  const { _id, ...data } = next
  if (!before) {
    try {
      await ctx.db.collection(HOUSEHOLDS).add({ data: { _id, ...data } as unknown as Record<string, unknown> })
      return true
    } catch (e) {
      if (isDbError(e, DB_DUPLICATE_KEY)) return false
      throw e
    }
  }
  const { tags, recent, ...plain } = data
  const r = await ctx.db
    .collection(HOUSEHOLDS)
    .where({ _id, version: before.version })
    .update({ data: { ...plain, tags: ctx._.set(tags), ...(recent ? { recent: ctx._.set(recent) } : {}) } })
  return r.stats.updated === 1
}

/**
 * A visit and its household's visit state move in one transaction; the month's figures ride on
 * the visit's record and the job settles them (≤ 5 min, exactly once: they equal a recount once
 * settled). Its reads outside the transaction (the unit, the residents, the settings) share a wait
 * with the transaction's first read, the household's document; then its two writes go together:
 * three waits and six requests with the caller's record and rate count (issue 13). The retry of a
 * request finds its visit in the household's `recent` (kept with it), so it counts once.
 */
export const visit: H['visit'] = async (input, ctx) => {
  const id = createdId(ctx, 'vs')
  const now = ctx.clock.now()
  const at = input.at ? new Date(input.at) : now
  if (at.getTime() > now.getTime() + 5 * 60_000) throw new AppError('INVALID_INPUT', '走访时间不能晚于现在', [{ path: 'at', message: '走访时间不能晚于现在' }])
  if (at.getTime() < now.getTime() - 30 * 24 * 3600_000) throw new AppError('INVALID_INPUT', '只能补记 30 天内的走访', [{ path: 'at', message: '只能补记 30 天内的走访' }])
  const note = input.followUpNote?.trim() ? input.followUpNote.trim() : null
  const communityId = ctx.user!.address.communityId
  // A request seen before (idempotent: 'record'): its visit, if written, is the answer.
  if (ctx.retry && (await getOrNull<VisitDoc>(ctx, VISITS, id))) {
    const h = await readHousehold(ctx, input.id, () => getOrNull<HouseholdDoc>(ctx, HOUSEHOLDS, input.id))
    return householdOut(ctx, h, h.also, await namesOf(ctx, h.unit))
  }
  // The text checks run beside the reads (started here, outside the transaction, and awaited with them).
  const texts = Promise.all([requireCleanText(ctx, input.found, 'found'), note ? requireCleanText(ctx, note, 'followUpNote') : null])
  texts.catch(() => undefined)
  const month = monthOf(at)
  // With photos, the household is checked before they are (their checks are recorded before the visit).
  const early = input.photos.length > 0 ? await readHousehold(ctx, input.id, () => Promise.all([gridSettings(ctx, communityId), texts])) : null
  if (early) requireOwnGrid(ctx, early.unit)
  const photos = early ? await checkedPhotos(ctx, input.photos, { collection: VISITS, docId: id }) : []
  let names: Promise<{ places: Map<string, Place>; gridName: string | null }> | null = null
  const done = await ctx.db.runTransaction(async (tx) => {
    const [found, h] = await Promise.all([
      txGetOrNull<HouseholdDoc>(tx, HOUSEHOLDS, input.id),
      early ? Promise.resolve(early) : readHousehold(ctx, input.id, () => Promise.all([gridSettings(ctx, communityId), texts])),
    ])
    requireOwnGrid(ctx, h.unit)
    names ??= namesOf(ctx, h.unit)
    const settings: GridSettings = h.also[0]
    const base = found ?? blankHousehold(h.unit, input.id, h.room, now)
    if (base.recent?.some((v) => v.id === id)) return { h, doc: base } // this request's visit is there already
    const onTime = base.nextDueAt ? at.getTime() <= base.nextDueAt.getTime() : null
    const lastVisitAt = base.lastVisitAt && base.lastVisitAt > at ? base.lastVisitAt : at
    const doc: Omit<VisitDoc, '_id'> = {
      householdId: input.id,
      communityId: h.unit.communityId!,
      gridId: h.unit.gridId ?? null,
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
    const recent = [recentOf({ _id: id, ...doc }), ...(await visitsOf(ctx, input.id, found))].sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, RECENT_VISITS)
    const next: HouseholdDoc = { ...base, lastVisitAt, nextDueAt: nextVisitDue(base.tags, lastVisitAt, settings), tagged: base.tags.length > 0, reminded: false, recent, version: base.version + 1, updatedAt: now }
    const { _id, ...rest } = next
    void _id
    // The visit and its household together; the month's figures (grid_stats) ride on the visit's
    // own record as a pending count, settled exactly once by the job's next run (common/effects.ts).
    const figures: CountEffect = {
      type: 'count',
      collection: GRID_STATS,
      id: `${h.unit.gridId ?? 'none'}:${month}`,
      seed: { gridId: h.unit.gridId ?? 'none', communityId: h.unit.communityId, month, visits: 0, visitsOnTime: 0 },
      inc: [{ path: 'visits', n: 1 }, ...(onTime ? [{ path: 'visitsOnTime', n: 1 }] : [])],
    }
    await Promise.all([tx.collection(VISITS).doc(id).set({ data: { ...doc, ...pendingOnCreate(ctx, effectKey(1), [figures]) } }), tx.collection(HOUSEHOLDS).doc(input.id).set({ data: rest })])
    return { h, doc: next }
  })
  return householdOut(ctx, done.h, done.doc, await (names ?? namesOf(ctx, done.h.unit)))
}

export const due: H['due'] = async (input, ctx) => {
  const now = ctx.clock.now()
  const soon = new Date(now.getTime() + DUE_SOON_DAYS * 24 * 3600_000)
  const [grids, docs, people] = await Promise.all([
    gridNames(ctx, [input.gridId]),
    ctx.db.collection<HouseholdDoc>(HOUSEHOLDS).where({ gridId: input.gridId, nextDueAt: ctx._.lte(soon) }).orderBy('nextDueAt', 'asc').limit(200).get(),
    residentsOfGrid(ctx, input.gridId, { householdId: true, name: true, phone: true }),
  ])
  const grid = grantedGrid(ctx, grids, input.gridId)
  const mine = docs.data.filter((d) => d.communityId === grid.communityId)
  const groups = byHousehold(people)
  const places = await knownPlaces(ctx, [...new Set(mine.flatMap((d) => [d.unitId, d.buildingId]))])
  return { items: mine.map((d) => rowOf(d._id, places, d.unitId, d.room, groups.get(d._id) ?? [], d, now)) }
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
  const marked = await Promise.all(
    due.data.map((h) => ctx.db.collection(HOUSEHOLDS).where({ _id: h._id, version: h.version }).update({ data: { reminded: true, remindedFor: h.nextDueAt } })),
  )
  due.data.forEach((h, i) => {
    if (marked[i].stats.updated === 1 && h.gridId) perGrid.set(h.gridId, (perGrid.get(h.gridId) ?? 0) + 1)
  })
  await Promise.all(
    [...perGrid].map(async ([gridId, n]) => {
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
    }),
  )
  // The visits' figures (carried by each visit's record), reminders a crash left behind, and the roster order of records older than it.
  const [, , ordered] = await Promise.all([sweepEffects(ctx, VISITS), sweepEffects(ctx, 'grid_reminders'), backfillRosterKeys(ctx)])
  return { reminded: [...perGrid.values()].reduce((a, b) => a + b, 0), ordered }
}
