/**
 * District-scale bench (issue 13 item 3), run by scripts/bench.mjs once per size, each in its own
 * Node process (a clean heap; the full size holds ~1.5 million documents):
 *
 *   node --max-old-space-size=8192 .build/bench-scale.cjs <scale> <out.json>
 *
 * 1. Seeds an in-memory local cloud in bulk (`add` of BATCH documents at a time, straight into
 *    the engine), timing each collection: a district of 4 streets, 20 communities, 400 grids,
 *    2,000 buildings, 4,000 units; 30 property companies, 60 rooms, 16 departments; and, times
 *    `scale`, 100,000 residents, 200,000 cases (disputes, messages, patrol reports, two years of
 *    them, in every state) with a notification each, 50,000 bookings with their slot claims, quota
 *    places and check-in codes, 5,000 activities with 200,000 sign-ups and the points ledger of
 *    those who came, 200,000 property ratings with their sums and four published quarters, and the
 *    care-tagged households with their visits. The place tree is the same at every scale; the
 *    records scale. Cases are copies of documents made by the real functions (submit, accept,
 *    rate, reply, publish, report, route …) in this very world, their dates moved, so they have
 *    exactly the shape the handlers write; the other records are typed by the handlers' own
 *    document interfaces.
 * 2. Measures every read and write action listed in `specs()` through the runtime
 *    (`cloud.call(fn, { action, payload }, openid)`, rate limits on, as shipped): first one client
 *    (SINGLE calls one after another), then CLIENTS clients at once (PER_CLIENT calls each).
 *    Callers rotate over the 20 communities; each write acts on its own target (a write's results
 *    are the next write's targets: submit → accept → start → resolve → rate …).
 */
import { writeFileSync } from 'node:fs'
import { createLocalCloud, type LocalCloud } from '../cloudfunctions/src/local/cloud'
import { quietLogger } from '../cloudfunctions/src/platform/local/services'
import type { Address, GridDoc, PlaceDoc, UserDoc } from '../src/shared/domain/user'
import type { Role } from '../src/shared/api/define'
import type { CaseDoc } from '../cloudfunctions/src/handlers/cases/model'
import type { BookingDoc, BookingTimelineDoc, ClaimDoc, CodeDoc, QuotaDoc, RoomDoc } from '../cloudfunctions/src/handlers/booking/model'
import { rankId, snapshotOf, type ActivityDoc, type LedgerDoc, type SignupDoc } from '../cloudfunctions/src/handlers/volunteer/model'
import { pageFrom, type CloseDoc, type CompanyDoc, type PublishedRow, type RatingDoc, type ResultDoc, type SumsDoc, type ViolationDoc } from '../cloudfunctions/src/handlers/property/model'
import type { KeptDoc } from '../cloudfunctions/src/handlers/common/kept'
import { householdsPerGrid } from '../cloudfunctions/src/handlers/grid/roster'
import { RECENT_VISITS, type DepartmentDoc, type HouseholdDoc, type RecentVisit, type VisitDoc } from '../cloudfunctions/src/handlers/grid/model'
import type { NotificationDoc } from '../cloudfunctions/src/handlers/common/notify'
import { DISPUTE_CATEGORIES, MESSAGE_CATEGORIES } from '../src/shared/rules/cases'
import { EVENT_TYPES, rosterKey } from '../src/shared/rules/grid'
import { ACTIVITY_CATEGORIES } from '../src/shared/rules/volunteer'
import { DEFAULT_SCORE_SETTINGS, DIMENSIONS, addStars, emptyStars, previousQuarter, quarterRange, score, type Stars } from '../src/shared/rules/property'
import { DEFAULT_BOOKING_SETTINGS, bookingWeek, claimId, claimUnits, quotaId } from '../src/shared/rules/booking'
import { addDays, atShanghai, businessDate, quarterOf, sh } from '../src/shared/time'

/** The district at full size (issue 13). The place tree below is fixed; these scale. */
export const FULL = { residents: 100_000, cases: 200_000, bookings: 50_000, activities: 5_000, signups: 200_000, ratings: 200_000 }

const STREETS = 4
const COMMUNITIES = 20
const ESTATES = 5 // per community
const BUILDINGS = 100 // per community, 20 per estate
const UNITS = 2 // per building
const GRIDS = 20 // per community, 5 buildings each
const ROOMS = 3 // per community
const DEPARTMENTS = 4 // per street
const COMPANIES = 30
const HOUSEHOLDS_PER_UNIT = 10
const UNITS_PER_COMMUNITY = BUILDINGS * UNITS

/** Single-client calls per action, then CLIENTS clients × PER_CLIENT calls at once. */
const SINGLE = 30
const CLIENTS = 20
const PER_CLIENT = 2
/** An action whose single-client calls take longer than this stops early (at least MIN_SAMPLES). */
const SINGLE_CAP_MS = 4000
const MIN_SAMPLES = 8
const TARGETS = SINGLE + CLIENTS * PER_CLIENT

const DAY = 86_400_000

// ---------------------------------------------------------------- ids

const streetId = (s: number) => `dst-${s}`
const communityId = (c: number) => `dc-${c}`
const streetOf = (c: number) => Math.floor(c / (COMMUNITIES / STREETS))
const estateId = (c: number, e: number) => `de-${c}-${e}`
const buildingId = (c: number, b: number) => `db-${c}-${b}`
const unitId = (c: number, b: number, u: number) => `db-${c}-${b}-u${u}`
const gridId = (c: number, g: number) => `dg-${c}-${g}`
const gridOfBuilding = (b: number) => Math.floor(b / (BUILDINGS / GRIDS))
const gridNameOf = (c: number, g: number) => `第${c + 1}社区第${g + 1}网格`
const companyId = (k: number) => `dpco-${k}`
/** Community c's estate e is served by one of its three companies; community c and c + 10 share them. */
const companyOf = (c: number, e: number) => (c * 3 + (e % 3)) % COMPANIES
const roomId = (c: number, r: number) => `drm-${c}-${r}`
const departmentId = (s: number, d: number) => `dd-${s}-${d}`
const staffOf = (c: number) => `dstaff-${c}`
const workerOf = (c: number, g: number) => `dgw-${c}-${g}`
const streetWorkerOf = (s: number) => `dstreet-${s}`
const deptContactOf = (s: number, d: number) => `ddept-${s}-${d}`
const residentId = (i: number) => `dr-${i}`

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志明玉兰红梅海燕文辉晓东春梅'
const nameOf = (i: number) => `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 7) % GIVEN.length]}${i % 3 === 0 ? '' : GIVEN[(i * 13 + 5) % GIVEN.length]}`
const phoneOf = (i: number) => `139${String(i).padStart(8, '0')}`

/** A resident as the generator knows them (the seeded `users` record is built from this). */
interface Person {
  id: string
  i: number
  c: number
  b: number
  unit: string
  grid: number
  household: string
  room: string
  verified: boolean
  name: string
  phone: string
  roles: Role[]
}

function personOf(i: number): Person {
  // Community i % 20, unit (i / 20) % 200 of it, household (i / 4000) % 10 of the unit: at every
  // scale each community gets its share and the first units fill first.
  const c = i % COMMUNITIES
  const u = Math.floor(i / COMMUNITIES) % UNITS_PER_COMMUNITY
  const h = Math.floor(i / (COMMUNITIES * UNITS_PER_COMMUNITY)) % HOUSEHOLDS_PER_UNIT
  const b = Math.floor(u / UNITS)
  const unit = unitId(c, b, (u % UNITS) + 1)
  const room = `${h + 1}0${(b % 2) + 1}`
  // Rank within the community: whatever varies per person must not follow the community (and one
  // unverified person in ten, never a whole household).
  const k = Math.floor(i / COMMUNITIES)
  const roles: Role[] = ['resident']
  if (k % 10 === 3) roles.push('volunteer')
  if (k % 50 === 7) roles.push('party_member')
  return { id: residentId(i), i, c, b, unit, grid: gridOfBuilding(b), household: `${unit}:${room}`, room, verified: (k * 7 + Math.floor(i / (COMMUNITIES * UNITS_PER_COMMUNITY * HOUSEHOLDS_PER_UNIT))) % 10 !== 9, name: nameOf(i), phone: phoneOf(i), roles }
}

const addressOf = (c: number, b: number, unit: string, room: string): Address => ({
  streetId: streetId(streetOf(c)),
  communityId: communityId(c),
  estateId: estateId(c, Math.floor(b / (BUILDINGS / ESTATES))),
  buildingId: buildingId(c, b),
  unitId: unit,
  room,
  gridId: gridId(c, gridOfBuilding(b)),
})

// ---------------------------------------------------------------- seeding helpers

type Raw = Record<string, unknown>
const raw = <T>(d: T) => d as unknown as Raw

/**
 * Documents per `add`: a whole collection at once (up to 250,000). Each commit merges its new
 * entries into every ordered index of the collection and the engine's per-document work makes a
 * large heap; with 1,000-document batches the full size took over 5 minutes to seed, in one
 * `add` per collection (one sort per index) about 3.
 */
const BATCH = 250_000

/** Bulk writer: buffers documents per collection and adds them BATCH at a time, timing each collection. */
class Bulk {
  readonly counts: Record<string, number> = {}
  readonly ms: Record<string, number> = {}
  private buf = new Map<string, Raw[]>()
  constructor(private readonly cloud: LocalCloud) {}
  async put(collection: string, doc: Raw): Promise<void> {
    let b = this.buf.get(collection)
    if (!b) this.buf.set(collection, (b = []))
    b.push(doc)
    if (b.length >= BATCH) await this.flush(collection)
  }
  async flush(collection?: string): Promise<void> {
    for (const name of collection ? [collection] : [...this.buf.keys()]) {
      const docs = this.buf.get(name)
      if (!docs?.length) continue
      this.buf.set(name, [])
      const t0 = performance.now()
      await this.cloud.db.collection(name).add({ data: docs })
      this.ms[name] = (this.ms[name] ?? 0) + performance.now() - t0
      this.counts[name] = (this.counts[name] ?? 0) + docs.length
    }
  }
}

/** A deep copy with every Date moved by `delta` ms (a template case moved to another time). */
function moved<T>(v: T, delta: number): T {
  if (v instanceof Date) return new Date(v.getTime() + delta) as T
  if (Array.isArray(v)) return v.map((x: unknown) => moved(x, delta)) as T
  if (v && typeof v === 'object') {
    const out: Raw = {}
    for (const [k, x] of Object.entries(v as Raw)) out[k] = moved(x, delta)
    return out as T
  }
  return v
}

/** Deterministic spread in [0, 1). */
const spread = (n: number) => (((n * 2654435761) >>> 0) % 1_000_003) / 1_000_003

// ---------------------------------------------------------------- the world

interface World {
  scale: number
  now: Date
  people: Person[]
  /** Residents per community (indexes into `people`). */
  byCommunity: Person[][]
  /** Households with a verified resident, per community. */
  households: Array<{ id: string; p: Person }>[]
  /** A seeded case of each resident's, for `cases.get`. */
  caseOf: Map<string, string>
  bookingOf: Map<string, string>
  /** Per community: an activity open for sign-up (big), and one with a full roster. */
  openActivity: string[]
  rosterActivity: string[]
  quarter: string
  seedMs: number
  seeded: Record<string, number>
  seedMsBy: Record<string, number>
}

type Call = (who: string, fn: string, action: string, payload: unknown) => Promise<unknown>

function caller(cloud: LocalCloud): Call {
  return async (who, fn, action, payload) => {
    const r = await cloud.call(fn, { action, payload }, who)
    if (!r.ok) throw new Error(`${fn}.${action} as ${who}: ${JSON.stringify(r.error)}`)
    return r.data
  }
}

type Ref = { id: string; version: number }
const ref = (d: unknown): Ref => ({ id: (d as Ref).id, version: (d as Ref).version })

async function seedPlaces(bulk: Bulk, now: Date): Promise<void> {
  for (let s = 0; s < STREETS; s++) {
    await bulk.put('places', raw<PlaceDoc>({ _id: streetId(s), kind: 'street', name: `第${s + 1}街道`, parentId: null, streetId: streetId(s), communityId: null, order: s }))
    for (let d = 0; d < DEPARTMENTS; d++) {
      const kinds = ['城管', '派出所', '市场监管', '住建']
      await bulk.put('departments', raw<DepartmentDoc>({ _id: departmentId(s, d), streetId: streetId(s), name: `第${s + 1}街道${kinds[d]}`, kind: kinds[d], phone: `0571-8800${s}${d}00`, version: 1, createdAt: now }))
    }
  }
  for (let c = 0; c < COMMUNITIES; c++) {
    const st = streetId(streetOf(c))
    const cid = communityId(c)
    await bulk.put('places', raw<PlaceDoc>({ _id: cid, kind: 'community', name: `第${c + 1}社区`, parentId: st, streetId: st, communityId: cid, order: c % (COMMUNITIES / STREETS) }))
    for (let e = 0; e < ESTATES; e++) {
      await bulk.put('places', raw<PlaceDoc>({ _id: estateId(c, e), kind: 'estate', name: `${'春夏秋冬和'[e]}苑小区`, parentId: cid, streetId: st, communityId: cid, propertyCompanyId: companyId(companyOf(c, e)), order: e }))
    }
    for (let b = 0; b < BUILDINGS; b++) {
      const e = Math.floor(b / (BUILDINGS / ESTATES))
      const gid = gridId(c, gridOfBuilding(b))
      await bulk.put('places', raw<PlaceDoc>({ _id: buildingId(c, b), kind: 'building', name: `${(b % 20) + 1}栋`, parentId: estateId(c, e), streetId: st, communityId: cid, estateId: estateId(c, e), gridId: gid, order: b % 20 }))
      for (let u = 1; u <= UNITS; u++) {
        await bulk.put('places', raw<PlaceDoc>({ _id: unitId(c, b, u), kind: 'unit', name: `${u}单元`, parentId: buildingId(c, b), streetId: st, communityId: cid, estateId: estateId(c, e), buildingId: buildingId(c, b), gridId: gid, order: u }))
      }
    }
    for (let g = 0; g < GRIDS; g++) await bulk.put('grids', raw<GridDoc>({ _id: gridId(c, g), communityId: cid, name: gridNameOf(c, g), workerIds: [workerOf(c, g)] }))
    for (let r = 0; r < ROOMS; r++) {
      const open = Array.from({ length: 7 }, () => ({ open: 8 * 60, close: 21 * 60 }))
      await bulk.put(
        'rooms',
        raw<RoomDoc>({
          _id: roomId(c, r), communityId: cid, name: ['多功能活动室', '议事会议室', '书画室'][r], capacity: [40, 12, 16][r], facilities: ['空调', '桌椅'], photos: [],
          location: '党群服务中心', description: null, openHours: open, slotMinutes: 30, bookableBy: r === 0 ? 'verified' : 'residents', needsApproval: r === 0, active: true, order: r, version: 1,
          // As a room saved now carries them: the community's rules and the blackouts (none).
          rules: { ...DEFAULT_BOOKING_SETTINGS }, blackouts: {},
        }),
      )
    }
  }
}

function userDoc(p: { id: string; name: string; phone: string; roles: Role[]; verified: boolean; address: Address; household: string; gridIds?: string[]; extra?: Raw }, at: Date): Raw {
  return raw<UserDoc>({
    _id: p.id, name: p.name, phone: p.phone, roles: p.roles, verified: p.verified, ...(p.verified ? { verifiedBy: 'system', verifiedAt: at } : {}),
    address: p.address, householdId: p.household, rosterKey: rosterKeyOf(p.address), gridIds: p.gridIds ?? [], createdAt: at, updatedAt: at, version: 1, ...(p.extra ?? {}),
  })
}

/** 网格户籍's order of an address, as onboarding keeps it (places' `order`: the estate's, the building's within it, the unit's). */
function rosterKeyOf(a: Address): string {
  const last = (id: string) => Number(id.split(/[-u]/).pop())
  return rosterKey({ estate: { _id: a.estateId, order: last(a.estateId) }, building: { _id: a.buildingId, order: last(a.buildingId) % (BUILDINGS / ESTATES) }, unit: { _id: a.unitId, order: last(a.unitId) } }, a)
}

async function seedPeople(bulk: Bulk, world: World): Promise<void> {
  const at = new Date(world.now.getTime() - 400 * DAY)
  let k = 0
  const staffAddress = (c: number, b: number) => addressOf(c, b, unitId(c, b, 1), '1901')
  for (let c = 0; c < COMMUNITIES; c++) {
    await bulk.put('users', userDoc({ id: staffOf(c), name: `社区${c + 1}李主任`, phone: `1370000${String(c).padStart(4, '0')}`, roles: ['resident', 'staff', 'admin'], verified: true, address: staffAddress(c, 0), household: `${unitId(c, 0, 1)}:1901` }, at))
    for (let g = 0; g < GRIDS; g++) {
      const b = g * (BUILDINGS / GRIDS)
      await bulk.put('users', userDoc({ id: workerOf(c, g), name: `网格员${c + 1}-${g + 1}`, phone: `1360${String(c * 100 + g).padStart(7, '0')}`, roles: ['resident', 'grid_worker'], verified: true, address: staffAddress(c, b), household: `${unitId(c, b, 1)}:1901`, gridIds: [gridId(c, g)] }, at))
    }
  }
  for (let s = 0; s < STREETS; s++) {
    const c = s * (COMMUNITIES / STREETS)
    await bulk.put('users', userDoc({ id: streetWorkerOf(s), name: `街道${s + 1}周科长`, phone: `1350000${String(s).padStart(4, '0')}`, roles: ['resident', 'street'], verified: true, address: staffAddress(c, 1), household: `${unitId(c, 1, 1)}:1901` }, at))
    for (let d = 0; d < DEPARTMENTS; d++) {
      await bulk.put('users', userDoc({ id: deptContactOf(s, d), name: `部门${s + 1}-${d + 1}马队长`, phone: `1340000${String(s * 10 + d).padStart(4, '0')}`, roles: ['resident', 'department'], verified: true, address: staffAddress(c, 2), household: `${unitId(c, 2, 1)}:1901`, extra: { departmentId: departmentId(s, d) } }, at))
    }
  }
  for (let co = 0; co < COMPANIES; co++) {
    const c = co % COMMUNITIES
    await bulk.put('users', userDoc({ id: `dpc-${co}`, name: `物业联系人${co + 1}`, phone: `1330000${String(co).padStart(4, '0')}`, roles: ['resident', 'property'], verified: true, address: staffAddress(c, 3), household: `${unitId(c, 3, 1)}:1901`, extra: { companyId: companyId(co) } }, at))
  }
  const n = Math.round(FULL.residents * world.scale)
  const seen = new Set<string>()
  for (let i = 0; i < n; i++) {
    const p = personOf(i)
    world.people.push(p)
    world.byCommunity[p.c].push(p)
    if (p.verified && !seen.has(p.household)) {
      seen.add(p.household)
      world.households[p.c].push({ id: p.household, p })
    }
    const created = new Date(world.now.getTime() - (30 + spread(i) * 700) * DAY)
    await bulk.put(
      'users',
      userDoc({ id: p.id, name: p.name, phone: p.phone, roles: p.roles, verified: p.verified, address: addressOf(p.c, p.b, p.unit, p.room), household: p.household, extra: p.roles.includes('party_member') ? { partyUnit: `市第${(i % 9) + 1}医院` } : {} }, created),
    )
    k++
  }
  void k
}

// ---------------------------------------------------------------- cases

type Stage = 'submitted' | 'accepted' | 'mediating' | 'resolved' | 'closed' | 'published'
type Kind = 'dispute' | 'message' | 'event'

/** Cases made by the real functions in community 0, one per kind and stage: the shapes to copy. */
async function caseTemplates(cloud: LocalCloud, world: World): Promise<Record<Kind, Partial<Record<Stage, CaseDoc>>>> {
  const call = caller(cloud)
  const res = world.byCommunity[0].find((p) => p.verified && p.grid === 0) ?? world.byCommunity[0].find((p) => p.verified)
  if (!res) throw new Error('no verified resident in community 0')
  const gw = workerOf(0, res.grid)
  const staff = staffOf(0)
  const dept = deptContactOf(0, 0)
  const loc = { buildingId: buildingId(0, res.b), unitId: res.unit }
  const ids: Record<Kind, Partial<Record<Stage, string>>> = { dispute: {}, message: {}, event: {} }
  const dispute = async (stage: Stage) => {
    let d = ref(await call(res.id, 'cases', 'submit', { kind: 'dispute', category: '噪音', description: '楼上每晚十一点后还在拖动家具、走路很重，持续一周了，希望协调晚上十点后保持安静。', location: loc, urgency: 'normal' }))
    if (stage !== 'submitted') d = ref(await call(gw, 'cases', 'accept', d))
    if (stage === 'mediating' || stage === 'resolved' || stage === 'closed') d = ref(await call(gw, 'cases', 'start', d))
    if (stage === 'resolved' || stage === 'closed') d = ref(await call(gw, 'cases', 'resolve', { ...d, agreement: '双方同意晚上十点后不再拖动家具，楼上加装家具脚垫。' }))
    if (stage === 'closed') d = ref(await call(res.id, 'cases', 'rate', { ...d, satisfaction: 'satisfied', comment: '网格员很耐心' }))
    ids.dispute[stage] = d.id
  }
  const message = async (stage: Stage) => {
    let m = ref(await call(res.id, 'cases', 'write', { category: '建议', text: '建议在小区东门旁增设电动自行车充电桩，现在很多人从楼上拉线充电，很危险。', wantsPublic: stage === 'published' }))
    if (stage !== 'submitted') m = ref(await call(gw, 'cases', 'reply', { ...m, text: '感谢建议！社区已联系物业，计划下月安装 10 个充电口。' }))
    if (stage === 'resolved' || stage === 'closed' || stage === 'published') m = ref(await call(gw, 'cases', 'resolve', { ...m, agreement: '已安装充电桩。' }))
    if (stage === 'closed' || stage === 'published') m = ref(await call(res.id, 'cases', 'rate', { ...m, satisfaction: 'satisfied' }))
    if (stage === 'published') await call(staff, 'cases', 'publish', { ...m, text: '建议在小区东门旁增设电动自行车充电桩。', reply: '已安装充电桩。' })
    ids.message[stage] = m.id
  }
  const event = async (stage: Stage) => {
    let e = ref(await call(gw, 'cases', 'report', { type: '安全隐患', description: '消防通道被电动车和纸箱堵住，已口头提醒，仍未清理。', location: { buildingId: buildingId(0, res.b) } }))
    if (stage !== 'submitted') e = ref(await call(staff, 'cases', 'route', { ...e, departmentId: departmentId(0, 0), days: 3, note: '请协调清理消防通道' }))
    if (stage === 'closed') {
      e = ref(await call(dept, 'cases', 'accept', e))
      e = ref(await call(dept, 'cases', 'resolve', { ...e, agreement: '已清理消防通道。' }))
    }
    ids.event[stage] = e.id
  }
  for (const s of ['submitted', 'accepted', 'mediating', 'resolved', 'closed'] as const) await dispute(s)
  for (const s of ['submitted', 'accepted', 'resolved', 'closed', 'published'] as const) await message(s)
  for (const s of ['submitted', 'accepted', 'closed'] as const) await event(s)
  const out: Record<Kind, Partial<Record<Stage, CaseDoc>>> = { dispute: {}, message: {}, event: {} }
  for (const kind of Object.keys(ids) as Kind[]) {
    for (const [stage, id] of Object.entries(ids[kind])) out[kind][stage as Stage] = (await cloud.db.collection<CaseDoc>('cases').doc(id).get()).data
  }
  return out
}

type Row = Record<string, number>
interface StatsAcc {
  _id: string
  kind: string
  communityId: string
  month: string
  total: Row
  cat: Record<string, Row>
  grid: Record<string, Row>
  staff: Record<string, Row>
  dept: Record<string, Row>
}

/** A month's counters as the handlers keep them (cases/stats.ts recountMonth, in memory). */
function count(acc: Map<string, StatsAcc>, c: CaseDoc): void {
  const month = sh(c.submittedAt).format('YYYY-MM')
  const id = `${c.kind}:${c.communityId}:${month}`
  let s = acc.get(id)
  if (!s) acc.set(id, (s = { _id: id, kind: c.kind, communityId: c.communityId, month, total: {}, cat: {}, grid: {}, staff: {}, dept: {} }))
  const add = (row: Row, k: string) => (row[k] = (row[k] ?? 0) + 1)
  const counted = ['received']
  if (c.acceptedAt) counted.push('accepted')
  if (c.acceptedOnTime) counted.push('acceptedOnTime')
  if (c.countedOutcome) counted.push(c.countedOutcome)
  if (c.resolvedOnTime) counted.push('resolvedOnTime')
  if (c.status === 'closed' && c.satisfaction) counted.push('rated', ...(c.satisfaction !== 'unsatisfied' ? ['satisfied'] : []))
  const rows = [s.total, (s.cat[c.category] ??= {}), (s.grid[c.gridId ?? 'none'] ??= {})]
  for (const row of rows) for (const k of counted) add(row, k)
  for (const r of c.routings ?? []) for (const row of [...rows, (s.dept[r.departmentId] ??= {})]) add(row, 'routed')
  if (c.acceptedBy) for (const k of counted.filter((x) => x === 'accepted' || x === 'acceptedOnTime')) add((s.staff[c.acceptedBy] ??= {}), k)
  if (c.outcomeBy) for (const k of counted.filter((x) => ['resolved', 'failed', 'rated', 'satisfied'].includes(x))) add((s.staff[c.outcomeBy] ??= {}), k)
}

async function seedCases(cloud: LocalCloud, bulk: Bulk, world: World): Promise<void> {
  const templates = await caseTemplates(cloud, world)
  const t0gw = templates.dispute.accepted!.assigneeId
  const t0staff = staffOf(0)
  const t0dept = deptContactOf(0, 0)
  // The templates' own counters are there already: start from them.
  const made = (await cloud.db.collection<StatsAcc>('case_stats').limit(1000).get()).data
  const stats = new Map<string, StatsAcc>(made.map((d) => [d._id, { ...d, staff: d.staff ?? {}, dept: d.dept ?? {} }]))
  if (made.length) await cloud.db.collection('case_stats').where({ _id: cloud.db.command.in(made.map((d) => d._id)) }).remove()
  const n = Math.round(FULL.cases * world.scale)
  const R = world.people.length
  const now = world.now.getTime()
  for (let j = 0; j < n; j++) {
    const p = world.people[j % R]
    // p is in community j % 20: what varies per case follows m, not j.
    const m = Math.floor(j / COMMUNITIES)
    const kind: Kind = m % 10 < 6 ? 'dispute' : m % 10 < 9 ? 'message' : 'event'
    const ageDays = spread(j + 17) * 730
    const stage: Stage =
      ageDays < 1 ? 'submitted' : ageDays < 2 ? 'accepted' : ageDays < 4 ? (kind === 'dispute' ? 'mediating' : 'accepted') : ageDays < 9 && kind !== 'event' ? 'resolved' : kind === 'message' && m % 5 === 0 ? 'published' : 'closed'
    const t = templates[kind][stage] ?? templates[kind].closed!
    const submittedAt = new Date(now - ageDays * DAY)
    const c = moved(t, submittedAt.getTime() - t.submittedAt.getTime())
    const s = streetOf(p.c)
    const gw = workerOf(p.c, p.grid)
    const who = (x: string | null | undefined) => (x === t0gw ? gw : x === t0staff ? staffOf(p.c) : x === t0dept ? deptContactOf(s, 0) : (x ?? null))
    const owner = kind === 'event' ? { id: gw, name: `网格员${p.c + 1}-${p.grid + 1}`, phone: null, household: `${unitId(p.c, p.grid * 5, 1)}:1901` } : { id: p.id, name: p.name, phone: p.phone, household: p.household }
    c._id = `dcase-${j}`
    c.communityId = communityId(p.c)
    c.streetId = streetId(s)
    c.gridId = gridId(p.c, p.grid)
    c.ownerId = owner.id
    c.ownerName = owner.name
    c.ownerPhone = owner.phone
    c.householdId = owner.household
    c.category = kind === 'dispute' ? DISPUTE_CATEGORIES[m % DISPUTE_CATEGORIES.length] : kind === 'message' ? MESSAGE_CATEGORIES[m % MESSAGE_CATEGORIES.length] : EVENT_TYPES[m % EVENT_TYPES.length]
    c.location = { buildingId: buildingId(p.c, p.b), unitId: kind === 'event' ? null : p.unit, text: `${'春夏秋冬和'[Math.floor(p.b / 20)]}苑小区 ${(p.b % 20) + 1}栋` }
    c.otherParty = null
    if ('gridName' in c) c.gridName = gridNameOf(p.c, p.grid)
    c.assigneeId = who(c.assigneeId)
    c.acceptedBy = who(c.acceptedBy)
    c.outcomeBy = who(c.outcomeBy)
    if (c.departmentId) {
      c.departmentId = departmentId(s, 0)
      c.routings = (c.routings ?? []).map((r) => ({ ...r, departmentId: departmentId(s, 0), by: staffOf(p.c) }))
      if (c.resolvedByDepartment) c.resolvedByDepartment = departmentId(s, 0)
    }
    delete c.effects
    delete c.effectsDue
    count(stats, c)
    await bulk.put('cases', raw(c))
    if (kind !== 'event') world.caseOf.set(p.id, c._id)
    const toOwner = m % 2 === 0
    const to = toOwner ? owner.id : (c.assigneeId ?? gw)
    await bulk.put(
      'notifications',
      raw<NotificationDoc>({ _id: `dn-${j}`, to, title: toOwner ? '您的事项有新进展' : '新的事项待受理', body: `${c.location.text}：${c.category}`, link: `/packages/dispute/pages/detail/index?id=${c._id}`, read: ageDays > 7, createdAt: new Date(submittedAt.getTime() + 3600_000), ref: `case:${c._id}` }),
    )
  }
  await bulk.flush('cases')
  for (const s of stats.values()) await bulk.put('case_stats', raw(s))
}

// ---------------------------------------------------------------- bookings

async function seedBookings(bulk: Bulk, world: World): Promise<void> {
  const n = Math.round(FULL.bookings * world.scale)
  const today = businessDate(world.now)
  const roomsAll = COMMUNITIES * ROOMS
  const SPAN = 744 // days: two years back, two weeks ahead
  const quota = new Map<string, number>()
  let code = 0
  for (let j = 0; j < n; j++) {
    const q = j % roomsAll
    const c = q % COMMUNITIES
    const r = Math.floor(q / COMMUNITIES)
    const k = Math.floor(j / roomsAll)
    const offset = ((k * 97) % SPAN) - 730
    const block = Math.floor(k / SPAN)
    const date = addDays(today, offset)
    const start = (block % 2 === 0 ? 9 : 14) * 60
    const end = start + ((k % 3) + 2) * 30
    const people = world.byCommunity[c]
    const owner = people[(k * 31 + r * 7) % people.length]
    const startAt = atShanghai(date, start)
    const past = startAt.getTime() < world.now.getTime()
    const status: BookingDoc['status'] = !past ? (r === 0 ? 'pending' : 'confirmed') : k % 20 === 0 ? 'cancelled' : k % 20 === 1 ? 'no_show' : k % 20 === 2 && r === 0 ? 'rejected' : 'completed'
    const id = `dbk-${j}`
    const week = bookingWeek(date)
    const holdsClaims = status !== 'cancelled' && status !== 'rejected' && status !== 'no_show'
    const holdsQuota = status !== 'cancelled' && status !== 'rejected'
    const claimIds = holdsClaims ? claimUnits(start, end).map((m) => claimId(roomId(c, r), date, m)) : []
    const qn = (quota.get(`${owner.id}:${week}`) ?? 0) + 1
    quota.set(`${owner.id}:${week}`, qn)
    const qid = quotaId(owner.id, week, qn)
    const checkCode = String(100000 + (code++ % 900000))
    const createdAt = new Date(startAt.getTime() - 3 * DAY)
    const timeline: BookingTimelineDoc[] = [{ at: createdAt, by: owner.id, byName: owner.name, action: 'book', from: null, to: r === 0 ? 'pending' : 'confirmed', note: null }]
    if (status !== 'pending' && status !== 'confirmed') timeline.push({ at: startAt, by: 'system', byName: '系统', action: status === 'cancelled' ? 'cancel' : status === 'rejected' ? 'reject' : status === 'no_show' ? 'noShow' : 'complete', from: 'confirmed', to: status, note: null })
    const doc: BookingDoc = {
      _id: id, communityId: communityId(c), roomId: roomId(c, r), roomName: ['多功能活动室', '议事会议室', '书画室'][r], ownerId: owner.id, ownerName: owner.name, contactName: owner.name, contactPhone: owner.phone,
      organisation: null, purpose: ['楼栋议事会', '书法兴趣小组活动', '志愿者培训', '老年合唱排练'][k % 4], attendees: 5 + (k % 20), date, start, end, startAt, endAt: atShanghai(date, end), week,
      claimIds, quotaId: qid, checkCode, status, version: timeline.length, remindAt: new Date(startAt.getTime() - 3600_000), reminded: past, noShowAt: new Date(startAt.getTime() + 15 * 60_000),
      rejectReason: status === 'rejected' ? '当天已安排社区活动' : null, cancelReason: status === 'cancelled' ? '活动改期' : null, checkedInAt: status === 'completed' ? startAt : null, checkedInBy: status === 'completed' ? owner.id : null,
      createdAt, updatedAt: past ? startAt : createdAt, timeline,
      cancelBy: new Date(startAt.getTime() - DEFAULT_BOOKING_SETTINGS.cancelBeforeMinutes * 60_000), checkInFrom: new Date(startAt.getTime() - DEFAULT_BOOKING_SETTINGS.checkInBeforeMinutes * 60_000), roomLocation: '党群服务中心',
    }
    await bulk.put('bookings', raw(doc))
    world.bookingOf.set(owner.id, id)
    for (const [m, cid] of claimUnits(start, end).map((x, i) => [x, claimIds[i]] as const)) {
      if (!cid) continue
      await bulk.put('slot_claims', raw<ClaimDoc>({ _id: cid, bookingId: id, roomId: roomId(c, r), communityId: communityId(c), date, minute: m, openid: owner.id, at: createdAt, bound: true }))
    }
    if (holdsQuota) await bulk.put('booking_quota', raw<QuotaDoc>({ _id: qid, bookingId: id, openid: owner.id, week, n: qn, at: createdAt, bound: true }))
    if (status === 'pending' || status === 'confirmed') await bulk.put('booking_codes', raw<CodeDoc>({ _id: checkCode, bookingId: id, communityId: communityId(c), at: createdAt, bound: true }))
  }
}

// ---------------------------------------------------------------- volunteer

async function seedVolunteer(bulk: Bulk, world: World): Promise<void> {
  const A = Math.max(COMMUNITIES * 2, Math.round(FULL.activities * world.scale))
  const S = Math.round(FULL.signups * world.scale)
  const today = businessDate(world.now)
  const totals = new Map<string, { openid: string; points: number; hours: number; activities: number }>()
  const boards = new Map<string, { communityId: string; period: string; people: Record<string, { points: number; hours: number; activities: number }> }>()
  const names: Array<Record<string, string>> = []
  let s = 0
  for (let a = 0; a < A; a++) {
    const c = a % COMMUNITIES
    const n = Math.floor(a / COMMUNITIES)
    // The first two of each community: open for sign-up, room for every bench client.
    const offset = n < 2 ? 3 + n : ((n * 97) % 760) - 730
    const date = addDays(today, offset)
    const hours = 2 + (n % 3)
    const startAt = atShanghai(date, (9 + (n % 6)) * 60)
    const endAt = new Date(startAt.getTime() + hours * 3600_000)
    const past = endAt.getTime() < world.now.getTime()
    const capacity = n < 2 ? 1000 : 20 + (n % 5) * 10
    const cancelled = n >= 2 && n % 33 === 5
    const id = `dact-${a}`
    if (n === 0) world.openActivity[c] = id
    if (n === 2) world.rosterActivity[c] = id
    const want = Math.min(world.byCommunity[c].length, Math.floor(S / A) + (a < S % A ? 1 : 0))
    const people = world.byCommunity[c]
    let taken = 0
    let waiting = 0
    const title = `${ACTIVITY_CATEGORIES[n % ACTIVITY_CATEGORIES.length]}：第${c + 1}社区志愿活动 ${n + 1}`
    const signups: SignupDoc[] = []
    for (let t = 0; t < want && s < S; t++, s++) {
      const p = people[(n * 41 + t) % people.length]
      const state: SignupDoc['state'] = t % 20 === 19 ? 'cancelled' : taken < capacity ? 'confirmed' : 'waitlisted'
      if (state === 'confirmed') taken++
      if (state === 'waitlisted') waiting++
      const came = past && !cancelled && state === 'confirmed'
      const points = 10 * hours
      signups.push({
        _id: `${id}:${p.id}`, activityId: id, communityId: communityId(c), openid: p.id, name: p.name, phone: p.phone, partyUnit: null, state, seq: startAt.getTime() - 5 * DAY + t, startAt,
        signedAt: new Date(startAt.getTime() - 5 * DAY), cancelledAt: state === 'cancelled' ? new Date(startAt.getTime() - 2 * DAY) : null, late: false,
        checkedInAt: came ? startAt : null, checkedOutAt: came ? endAt : null, hoursOverride: null, adjustments: [], credited: came, hours: came ? hours : null, points: came ? points : null, version: 1,
      })
      if (!came) continue
      await bulk.put('points_ledger', raw<LedgerDoc>({ _id: `dlg-${a}-${t}`, openid: p.id, communityId: communityId(c), kind: 'earned', points, hours, reason: title, activityId: id, partyUnit: null, at: endAt, by: 'system' }))
      ;(names[c] ??= {})[p.id] = p.name
      const tot = totals.get(p.id) ?? { openid: p.id, points: 0, hours: 0, activities: 0 }
      tot.points += points
      tot.hours += hours
      tot.activities++
      totals.set(p.id, tot)
      for (const period of [sh(endAt).format('YYYY-MM'), sh(endAt).format('YYYY')]) {
        const key = `board:${communityId(c)}:${period}`
        const board = boards.get(key) ?? { communityId: communityId(c), period, people: {} }
        const row = (board.people[p.id] ??= { points: 0, hours: 0, activities: 0 })
        row.points += points
        row.hours += hours
        row.activities++
        boards.set(key, board)
      }
    }
    const activity: ActivityDoc = {
      _id: id, communityId: communityId(c), title, category: ACTIVITY_CATEGORIES[n % ACTIVITY_CATEGORIES.length], description: '请穿着志愿者马甲，提前 10 分钟到场签到。', startAt, endAt,
      signupDeadline: new Date(startAt.getTime() - DAY), place: `第${c + 1}社区党群服务中心`, address: null, location: null, capacity, taken, waiting, lastTakeAt: null, hours, points: 10 * hours,
      requirements: '', contact: `社区${c + 1}李主任 13700000000`, status: cancelled ? 'cancelled' : 'published', cancelReason: cancelled ? '天气原因' : null,
      // Over: credited (or, cancelled, closed) by the job, which copied the list's view onto every sign-up.
      ...(past ? { creditedAt: endAt } : {}),
      remindedAt: past ? startAt : null, version: 1, createdBy: staffOf(c), createdAt: new Date(startAt.getTime() - 10 * DAY),
    }
    await bulk.put('activities', raw(activity))
    for (const doc of signups) await bulk.put('signups', raw<SignupDoc>(past ? { ...doc, activity: snapshotOf(activity) } : doc))
  }
  for (const t of totals.values()) await bulk.put('volunteer_totals', { _id: `person:${t.openid}`, ...t })
  // The volunteers' names the boards show, kept by the job as it credits them.
  for (const [c, list] of names.entries()) if (list) await bulk.put('volunteer_totals', { _id: `names:${communityId(c)}`, communityId: communityId(c), names: list })
  for (const [key, b] of boards) await bulk.put('volunteer_totals', { _id: key, ...b })
  // The leaderboards' rows (one per person, community and period), as the entries' effects keep them; the old boards were never there to copy.
  for (const b of boards.values()) {
    const c = Number(b.communityId.slice('dc-'.length))
    for (const [openid, t] of Object.entries(b.people)) {
      await bulk.put('volunteer_ranks', { _id: rankId(b.communityId, b.period, openid), communityId: b.communityId, period: b.period, openid, name: names[c]?.[openid] ?? null, points: t.points, hours: t.hours })
    }
  }
  await bulk.put('meta', { _id: 'volunteer-ranks', done: true, at: world.now, copied: 0 })
}

// ---------------------------------------------------------------- property

async function seedProperty(bulk: Bulk, world: World): Promise<void> {
  const n = Math.round(FULL.ratings * world.scale)
  const current = quarterOf(world.now)
  const quarters = [current]
  for (let i = 1; i < 5; i++) quarters.push(previousQuarter(quarters[i - 1]))
  const households = world.households.flat()
  const sums = new Map<string, SumsDoc>()
  for (let r = 0; r < n; r++) {
    const h = Math.floor(r / quarters.length)
    if (h >= households.length) break
    const quarter = quarters[r % quarters.length]
    const { id: household, p } = households[h]
    const e = Math.floor(p.b / (BUILDINGS / ESTATES))
    const company = companyId(companyOf(p.c, e))
    const range = quarterRange(quarter)
    const end = Math.min(range.end.getTime(), world.now.getTime())
    const at = new Date(range.start.getTime() + spread(r) * (end - range.start.getTime()))
    const around = 2 + ((companyOf(p.c, e) * 7) % 4)
    const stars = Object.fromEntries(DIMENSIONS.map((d, k) => [d, Math.max(1, Math.min(5, around + (((r + k) % 3) - 1)))])) as Stars
    const comment = r % 10 === 0 ? ['保安很负责，晚上巡逻到位', '楼道打扫得很干净', '报修后第二天就来修好了', '电梯经常坏，报修很慢', '垃圾清运不及时'][r % 5] : null
    await bulk.put(
      'property_ratings',
      raw<RatingDoc>({
        _id: `${company}:${quarter}:${household}`, companyId: company, communityId: communityId(p.c), estateId: estateId(p.c, e), quarter, householdId: household, raterId: p.id, raterName: p.name,
        stars, comment, commentHidden: null, commentShown: comment !== null, excluded: null, hour: sh(at).format('YYYY-MM-DDTHH'), createdAt: at, updatedAt: at, version: 1,
      }),
    )
    const sid = `${communityId(p.c)}:${company}:${quarter}`
    const sum = sums.get(sid) ?? { _id: sid, communityId: communityId(p.c), companyId: company, quarter, n: 0, sums: emptyStars(), updatedAt: at }
    sum.n++
    sum.sums = addStars(sum.sums, stars, 1)
    if (at > sum.updatedAt) sum.updatedAt = at
    sums.set(sid, sum)
  }
  for (const s of sums.values()) await bulk.put('rating_sums', raw(s))
  // The four past quarters: computed and published, with a violation now and then.
  const published = new Map<string, Array<{ quarter: string; row: PublishedRow }>>()
  const violations: ViolationDoc[] = []
  for (let c = 0; c < COMMUNITIES; c++) {
    const companies = [...new Set(Array.from({ length: ESTATES }, (_, e) => companyOf(c, e)))]
    for (const quarter of quarters.slice(1)) {
      const end = quarterRange(quarter).end
      // As a close published now keeps them: the deductions and the published list.
      const rows: PublishedRow[] = []
      for (const k of companies) {
        const general = (c + k + quarter.length) % 4 === 0 ? 1 : 0
        if (general) {
          const v: ViolationDoc = { _id: `dpv-${c}-${k}-${quarter}`, communityId: communityId(c), companyId: companyId(k), quarter, level: 'general', description: '消防通道堆放杂物，整改通知后一周内未清理', photos: [], by: staffOf(c), byName: '李主任', at: new Date(end.getTime() - 30 * DAY), removed: null }
          violations.push(v)
          await bulk.put('property_violations', raw<ViolationDoc>(v))
        }
        const s = sums.get(`${communityId(c)}:${companyId(k)}:${quarter}`)
        const input = { n: s?.n ?? 0, sums: s?.sums ?? emptyStars(), complaints: 0, violations: { general, serious: 0 } }
        const result: ResultDoc = {
          _id: `${communityId(c)}:${companyId(k)}:${quarter}`, communityId: communityId(c), companyId: companyId(k), companyName: `物业${k + 1}公司`, quarter, input, score: score(input, DEFAULT_SCORE_SETTINGS),
          settings: DEFAULT_SCORE_SETTINGS, computedAt: new Date(end.getTime() + 3 * DAY), appeal: null, corrections: [], version: 1,
        }
        await bulk.put('property_results', raw(result))
        rows.push({ companyId: result.companyId, companyName: result.companyName, input, score: result.score, corrections: [] })
      }
      await bulk.put(
        'property_closes',
        raw<CloseDoc>({
          _id: `${communityId(c)}:${quarter}`, communityId: communityId(c), quarter, state: 'published', companyIds: companies.map(companyId), computedAt: new Date(end.getTime() + 3 * DAY), computedBy: staffOf(c),
          appealUntil: new Date(end.getTime() + 10 * DAY), publishedAt: new Date(end.getTime() + 11 * DAY), publishedBy: staffOf(c), settings: DEFAULT_SCORE_SETTINGS, rows, version: 3,
        }),
      )
      for (const row of rows) (published.get(`${communityId(c)}:${row.companyId}`) ?? published.set(`${communityId(c)}:${row.companyId}`, []).get(`${communityId(c)}:${row.companyId}`)!).push({ quarter, row })
    }
  }
  // The companies, each with its public page of every community it serves, as publishing and recording violations keep it.
  for (let k = 0; k < COMPANIES; k++) {
    const estates: string[] = []
    const communities = new Set<string>()
    for (let c = 0; c < COMMUNITIES; c++) {
      for (let e = 0; e < ESTATES; e++) {
        if (companyOf(c, e) !== k) continue
        estates.push(estateId(c, e))
        communities.add(communityId(c))
      }
    }
    const pages = Object.fromEntries([...communities].map((c) => [c, pageFrom(world.now, published.get(`${c}:${companyId(k)}`) ?? [], violations.filter((v) => v.communityId === c && v.companyId === companyId(k)))]))
    await bulk.put('companies', raw<CompanyDoc>({ _id: companyId(k), name: `${'安居锦华绿城万科碧桂'[k % 10]}物业${k + 1}公司`, phone: `0571-8888${String(k).padStart(4, '0')}`, estateIds: estates, communityIds: [...communities], version: 1, pages, pageVersion: 1 }))
  }
  world.quarter = current
}

// ---------------------------------------------------------------- grid: care-tagged households and their visits

async function seedGrid(bulk: Bulk, world: World): Promise<void> {
  const now = world.now.getTime()
  let v = 0
  for (const list of world.households) {
    for (const [h, { id, p }] of list.entries()) {
      if (h % 10 !== 0) continue
      const gw = workerOf(p.c, p.grid)
      const tagged = new Date(now - 300 * DAY)
      const last = new Date(now - (1 + (h % 20)) * DAY)
      const visits = 10
      // The household keeps its latest visits (newest first), as a visit writes them.
      const recent: RecentVisit[] = []
      for (let k = 0; k < visits; k++) {
        const at = new Date(last.getTime() - k * 14 * DAY)
        const visit: VisitDoc = { _id: `dvs-${v++}`, householdId: id, communityId: communityId(p.c), gridId: gridId(p.c, p.grid), at, found: '身体状况良好，提醒注意用电安全。', photos: [], followUp: false, followUpNote: null, onTime: true, by: gw, byName: '网格员', createdAt: at }
        await bulk.put('visits', raw(visit))
        if (recent.length < RECENT_VISITS) recent.push({ id: visit._id, at, found: visit.found, photos: [], followUp: false, followUpNote: null, onTime: true, by: gw, byName: visit.byName })
      }
      await bulk.put(
        'households',
        raw<HouseholdDoc>({
          _id: id, communityId: communityId(p.c), gridId: gridId(p.c, p.grid), buildingId: buildingId(p.c, p.b), unitId: p.unit, room: p.room, rosterKey: rosterKeyOf(addressOf(p.c, p.b, p.unit, p.room)),
          tags: [{ tag: h % 20 === 0 ? '独居老人' : '高龄', reason: '子女在外地', by: gw, byName: '网格员', at: tagged }], lastVisitAt: last, nextDueAt: new Date(last.getTime() + (h % 20 === 0 ? 14 : 30) * DAY),
          remindedFor: null, tagged: true, reminded: false, recent, version: 1 + visits, updatedAt: last,
        }),
      )
    }
  }
}

/**
 * What a district in use has kept from earlier looks, derived here from the seeded records as the
 * functions derive it: each community's registered names for the 留言墙 redaction (`wall_names`,
 * handlers/cases/message.ts) and its households per grid (`grid_counts`, handlers/grid/roster.ts).
 */
async function seedKept(cloud: LocalCloud): Promise<void> {
  type U = Pick<UserDoc, 'name' | 'updatedAt' | 'householdId' | 'address' | 'verified'>
  for (let c = 0; c < COMMUNITIES; c++) {
    const cid = communityId(c)
    const people: U[] = []
    for (let skip = 0; ; skip += 1000) {
      const page = await cloud.db.collection<U>('users').where({ 'address.communityId': cid }).orderBy('createdAt', 'desc').skip(skip).limit(1000).field({ name: true, updatedAt: true, householdId: true, address: true, verified: true }).get()
      people.push(...page.data)
      if (page.data.length < 1000) break
    }
    const since = new Date(Math.max(...people.map((u) => u.updatedAt.getTime())))
    // set, not add: the real functions that made the case templates may have kept community 0's already.
    await cloud.db.collection('wall_names').doc(cid).set({ data: { names: [...new Set(people.map((u) => u.name).filter((n): n is string => !!n))], since } })
    const counts: Omit<KeptDoc<Record<string, number>>, '_id'> = { value: Object.fromEntries(householdsPerGrid(people.filter((u) => u.verified))), at: new Date() }
    await cloud.db.collection('grid_counts').doc(cid).set({ data: counts })
  }
}

export async function seedWorld(cloud: LocalCloud, scale: number): Promise<World> {
  const world: World = {
    scale, now: new Date(), people: [], byCommunity: Array.from({ length: COMMUNITIES }, () => []), households: Array.from({ length: COMMUNITIES }, () => []),
    caseOf: new Map(), bookingOf: new Map(), openActivity: [], rosterActivity: [], quarter: '', seedMs: 0, seeded: {}, seedMsBy: {},
  }
  const bulk = new Bulk(cloud)
  const t0 = performance.now()
  await seedPlaces(bulk, world.now)
  await seedPeople(bulk, world)
  await bulk.flush()
  await seedCases(cloud, bulk, world)
  await seedBookings(bulk, world)
  await seedVolunteer(bulk, world)
  await seedProperty(bulk, world)
  await seedGrid(bulk, world)
  await bulk.flush()
  await seedKept(cloud)
  world.seedMs = Math.round(performance.now() - t0)
  world.seeded = bulk.counts
  world.seedMsBy = Object.fromEntries(Object.entries(bulk.ms).map(([k, v]) => [k, Math.round(v)]))
  return world
}

// ---------------------------------------------------------------- what is measured

export interface Spec {
  name: string
  fn: string
  action: string
  /** The i-th call's caller and payload; null when there is no target left for it. */
  call(i: number): { who: string; payload: unknown } | null
  /** Keep each call's answer (a later write's targets). */
  keep?: boolean
}

/** The callers of the i-th call: community i % 20. */
const cOf = (i: number) => i % COMMUNITIES
/** The i-th resident of community c who is verified, lives in grid 0..4 (populated at every scale) and is not one of the first `skip`. */
function residentFor(world: World, i: number, skip = 0, filter: (p: Person) => boolean = () => true): Person {
  const list = world.byCommunity[cOf(i)].filter((p) => p.verified && filter(p))
  return list[(Math.floor(i / COMMUNITIES) + skip) % list.length]
}

function specs(world: World, results: Map<string, unknown[]>): Spec[] {
  const today = businessDate(world.now)
  const month = sh(world.now).format('YYYY-MM')
  const got = (name: string, i: number) => results.get(name)?.[i] as (Ref & { [k: string]: unknown }) | undefined
  const res = (i: number) => residentFor(world, i)
  const mineCase = (p: Person) => world.caseOf.get(p.id)
  // Residents who own a seeded case / booking (every resident owns about two cases).
  const withCase = (i: number) => residentFor(world, i, 0, (p) => !!mineCase(p))
  const withBooking = (i: number) => residentFor(world, i, 0, (p) => world.bookingOf.has(p.id))
  // Writers: disjoint slices of each community's verified residents, so nobody's quota or daily cap is shared across actions.
  const writer = (slice: number) => (i: number) => residentFor(world, i, slice * Math.ceil(TARGETS / COMMUNITIES))
  const submitter = writer(1)
  const messenger = writer(2)
  const booker = writer(3)
  const approver = writer(4)
  const signer = writer(5)
  const rater = writer(6)
  const updater = writer(7)
  const household = (i: number) => {
    const list = world.households[cOf(i)].filter((h) => h.p.grid < 5)
    return list[Math.floor(i / COMMUNITIES) % list.length]
  }
  const unverified = (i: number) => {
    const list = world.byCommunity[cOf(i)].filter((p) => !p.verified)
    return list[Math.floor(i / COMMUNITIES)] ?? null
  }
  const caseOwner = new Map<string, Person>()
  const chain = (from: string, who: (r: Ref & Record<string, unknown>, i: number) => string, payload: (r: Ref, i: number) => unknown) => (i: number) => {
    const r = got(from, i)
    return r ? { who: who(r, i), payload: payload(ref(r), i) } : null
  }
  const gwOfCase = (_r: unknown, i: number) => {
    const p = caseOwner.get(`${i}`)
    return p ? workerOf(p.c, p.grid) : staffOf(cOf(i))
  }
  const bookDate = (i: number, base: number) => addDays(today, base + (Math.floor(i / COMMUNITIES) % 7))
  const stars = { security: 5, cleaning: 4, repair: 4, greening: 5, attitude: 5, fees: 4 }
  const list: Spec[] = [
    // user
    { name: 'user.me', fn: 'user', action: 'me', call: (i) => ({ who: res(i).id, payload: {} }) },
    { name: 'user.places', fn: 'user', action: 'places', call: (i) => ({ who: `bench-visitor-${i}`, payload: { parentId: communityId(cOf(i)) } }) },
    { name: 'user.residents (staff)', fn: 'user', action: 'residents', call: (i) => ({ who: staffOf(cOf(i)), payload: {} }) },
    { name: 'user.onboard', fn: 'user', action: 'onboard', call: (i) => ({ who: `bench-new-${i}`, payload: { communityId: communityId(cOf(i)), estateId: estateId(cOf(i), 0), buildingId: buildingId(cOf(i), 0), unitId: unitId(cOf(i), 0, 1), room: `${2000 + i}` } }) },
    { name: 'user.updateProfile', fn: 'user', action: 'updateProfile', call: (i) => ({ who: updater(i).id, payload: { partyUnit: `市第${(i % 9) + 1}中学` } }) },
    { name: 'user.verify', fn: 'user', action: 'verify', call: (i) => (unverified(i) ? { who: staffOf(cOf(i)), payload: { openid: unverified(i)!.id } } : null) },
    // cases: disputes
    { name: 'cases.mine', fn: 'cases', action: 'mine', call: (i) => ({ who: withCase(i).id, payload: {} }) },
    { name: 'cases.get', fn: 'cases', action: 'get', call: (i) => ({ who: withCase(i).id, payload: { id: mineCase(withCase(i))! } }) },
    { name: 'cases.queue (grid worker)', fn: 'cases', action: 'queue', call: (i) => ({ who: workerOf(cOf(i), Math.floor(i / COMMUNITIES) % 5), payload: {} }) },
    { name: 'cases.queue (staff)', fn: 'cases', action: 'queue', call: (i) => ({ who: staffOf(cOf(i)), payload: {} }) },
    { name: 'cases.queue (street)', fn: 'cases', action: 'queue', call: (i) => ({ who: streetWorkerOf(i % STREETS), payload: {} }) },
    { name: 'cases.stats', fn: 'cases', action: 'stats', call: (i) => ({ who: staffOf(cOf(i)), payload: { kind: 'dispute', month } }) },
    {
      name: 'cases.submit',
      fn: 'cases',
      action: 'submit',
      keep: true,
      call: (i) => {
        const p = submitter(i)
        caseOwner.set(`${i}`, p)
        return { who: p.id, payload: { kind: 'dispute', category: '噪音', description: `楼上每晚十一点后还在拖动家具（第 ${i} 次测量）`, location: { buildingId: buildingId(p.c, p.b), unitId: p.unit }, urgency: 'normal' } }
      },
    },
    { name: 'cases.accept', fn: 'cases', action: 'accept', keep: true, call: chain('cases.submit', gwOfCase, (r) => r) },
    { name: 'cases.start', fn: 'cases', action: 'start', keep: true, call: chain('cases.accept', gwOfCase, (r) => r) },
    { name: 'cases.resolve', fn: 'cases', action: 'resolve', keep: true, call: chain('cases.start', gwOfCase, (r) => ({ ...r, agreement: '双方同意晚上十点后保持安静。' })) },
    { name: 'cases.rate', fn: 'cases', action: 'rate', call: chain('cases.resolve', (_r, i) => caseOwner.get(`${i}`)!.id, (r) => ({ ...r, satisfaction: 'satisfied' })) },
    // cases: messages (居民留言)
    { name: 'cases.wall', fn: 'cases', action: 'wall', call: (i) => ({ who: res(i).id, payload: {} }) },
    { name: 'cases.templates', fn: 'cases', action: 'templates', call: (i) => ({ who: staffOf(cOf(i)), payload: {} }) },
    {
      name: 'cases.write',
      fn: 'cases',
      action: 'write',
      keep: true,
      call: (i) => {
        const p = messenger(i)
        caseOwner.set(`m${i}`, p)
        return { who: p.id, payload: { category: '咨询', text: `请问小区什么时候更换水管？（第 ${i} 次测量）`, wantsPublic: true } }
      },
    },
    { name: 'cases.reply', fn: 'cases', action: 'reply', keep: true, call: chain('cases.write', (_r, i) => staffOf(caseOwner.get(`m${i}`)!.c), (r) => ({ ...r, text: '预计明年三月施工。' })) },
    { name: 'cases.publish', fn: 'cases', action: 'publish', call: chain('cases.reply', (_r, i) => staffOf(caseOwner.get(`m${i}`)!.c), (r) => ({ ...r, text: '请问小区什么时候更换水管？', reply: '预计明年三月施工。' })) },
    // cases: patrol reports (网格化管理)
    { name: 'cases.report', fn: 'cases', action: 'report', keep: true, call: (i) => ({ who: workerOf(cOf(i), 0), payload: { type: '安全隐患', description: `消防通道堵塞（第 ${i} 次测量）`, location: { buildingId: buildingId(cOf(i), 0) } } }) },
    { name: 'cases.route', fn: 'cases', action: 'route', call: chain('cases.report', (_r, i) => staffOf(cOf(i)), (r, i) => ({ ...r, departmentId: departmentId(streetOf(cOf(i)), 0), days: 3, note: '请清理' })) },
    // inbox
    { name: 'inbox.list', fn: 'inbox', action: 'list', call: (i) => ({ who: i % 2 ? workerOf(cOf(i), 0) : withCase(i).id, payload: {} }) },
    { name: 'inbox.unread', fn: 'inbox', action: 'unread', call: (i) => ({ who: i % 2 ? workerOf(cOf(i), 0) : withCase(i).id, payload: {} }) },
    { name: 'inbox.markRead', fn: 'inbox', action: 'markRead', call: (i) => ({ who: workerOf(cOf(i), 5 + (Math.floor(i / COMMUNITIES) % 15)), payload: {} }) },
    // booking
    { name: 'booking.rooms', fn: 'booking', action: 'rooms', call: (i) => ({ who: res(i).id, payload: {} }) },
    { name: 'booking.room', fn: 'booking', action: 'room', call: (i) => ({ who: res(i).id, payload: { id: roomId(cOf(i), 1) } }) },
    { name: 'booking.mine', fn: 'booking', action: 'mine', call: (i) => ({ who: withBooking(i).id, payload: {} }) },
    { name: 'booking.get', fn: 'booking', action: 'get', call: (i) => ({ who: withBooking(i).id, payload: { id: world.bookingOf.get(withBooking(i).id)! } }) },
    { name: 'booking.pending (staff)', fn: 'booking', action: 'pending', call: (i) => ({ who: staffOf(cOf(i)), payload: {} }) },
    { name: 'booking.calendar (staff, week)', fn: 'booking', action: 'calendar', call: (i) => ({ who: staffOf(cOf(i)), payload: { date: today, span: 'week' } }) },
    {
      name: 'booking.book',
      fn: 'booking',
      action: 'book',
      keep: true,
      call: (i) => {
        const p = booker(i)
        caseOwner.set(`b${i}`, p)
        return { who: p.id, payload: { roomId: roomId(p.c, 1), date: bookDate(i, 3), startSlot: '18:00', slotCount: 2, purpose: '楼栋议事会', attendees: 8, contactName: p.name, contactPhone: p.phone } }
      },
    },
    { name: 'booking.cancel', fn: 'booking', action: 'cancel', call: chain('booking.book', (_r, i) => caseOwner.get(`b${i}`)!.id, (r) => ({ ...r, reason: '活动改期' })) },
    {
      name: 'booking.book (needs approval)',
      fn: 'booking',
      action: 'book',
      keep: true,
      call: (i) => {
        const p = approver(i)
        return { who: p.id, payload: { roomId: roomId(p.c, 0), date: bookDate(i, 3), startSlot: '19:00', slotCount: 2, purpose: '舞蹈排练', attendees: 20, contactName: p.name, contactPhone: p.phone } }
      },
    },
    { name: 'booking.approve', fn: 'booking', action: 'approve', call: chain('booking.book (needs approval)', (_r, i) => staffOf(cOf(i)), (r) => r) },
    // volunteer
    { name: 'volunteer.list', fn: 'volunteer', action: 'list', call: (i) => ({ who: res(i).id, payload: {} }) },
    { name: 'volunteer.get', fn: 'volunteer', action: 'get', call: (i) => ({ who: res(i).id, payload: { id: world.rosterActivity[cOf(i)] ?? world.openActivity[cOf(i)] } }) },
    { name: 'volunteer.mine (past)', fn: 'volunteer', action: 'mine', call: (i) => ({ who: res(i).id, payload: { when: 'past' } }) },
    { name: 'volunteer.profile', fn: 'volunteer', action: 'profile', call: (i) => ({ who: res(i).id, payload: {} }) },
    { name: 'volunteer.ledger', fn: 'volunteer', action: 'ledger', call: (i) => ({ who: res(i).id, payload: {} }) },
    { name: 'volunteer.leaderboard', fn: 'volunteer', action: 'leaderboard', call: (i) => ({ who: res(i).id, payload: { period: 'year' } }) },
    { name: 'volunteer.roster (staff)', fn: 'volunteer', action: 'roster', call: (i) => ({ who: staffOf(cOf(i)), payload: { id: world.rosterActivity[cOf(i)] ?? world.openActivity[cOf(i)] } }) },
    {
      name: 'volunteer.signUp',
      fn: 'volunteer',
      action: 'signUp',
      keep: true,
      call: (i) => {
        const p = signer(i)
        caseOwner.set(`v${i}`, p)
        return { who: p.id, payload: { id: world.openActivity[p.c] } }
      },
    },
    { name: 'volunteer.cancel', fn: 'volunteer', action: 'cancel', call: chain('volunteer.signUp', (_r, i) => caseOwner.get(`v${i}`)!.id, (r) => ({ id: r.id })) },
    // property
    { name: 'property.board', fn: 'property', action: 'board', call: (i) => ({ who: res(i).id, payload: {} }) },
    { name: 'property.company', fn: 'property', action: 'company', call: (i) => ({ who: res(i).id, payload: { id: companyId(companyOf(cOf(i), Math.floor(res(i).b / 20))) } }) },
    { name: 'property.comments', fn: 'property', action: 'comments', call: (i) => ({ who: res(i).id, payload: { id: companyId(companyOf(cOf(i), Math.floor(res(i).b / 20))) } }) },
    { name: 'property.mine', fn: 'property', action: 'mine', call: (i) => ({ who: res(i).id, payload: {} }) },
    { name: 'property.rate', fn: 'property', action: 'rate', call: (i) => ({ who: rater(i).id, payload: { companyId: companyId(companyOf(rater(i).c, Math.floor(rater(i).b / 20))), stars } }) },
    // grid
    { name: 'grid.mine (grid worker)', fn: 'grid', action: 'mine', call: (i) => ({ who: workerOf(cOf(i), Math.floor(i / COMMUNITIES) % 5), payload: {} }) },
    { name: 'grid.mine (staff)', fn: 'grid', action: 'mine', call: (i) => ({ who: staffOf(cOf(i)), payload: {} }) },
    { name: 'grid.households', fn: 'grid', action: 'households', call: (i) => ({ who: workerOf(cOf(i), Math.floor(i / COMMUNITIES) % 5), payload: { gridId: gridId(cOf(i), Math.floor(i / COMMUNITIES) % 5) } }) },
    { name: 'grid.household', fn: 'grid', action: 'household', call: (i) => ({ who: workerOf(cOf(i), household(i).p.grid), payload: { id: household(i).id } }) },
    { name: 'grid.due', fn: 'grid', action: 'due', call: (i) => ({ who: workerOf(cOf(i), Math.floor(i / COMMUNITIES) % 5), payload: { gridId: gridId(cOf(i), Math.floor(i / COMMUNITIES) % 5) } }) },
    { name: 'grid.stats', fn: 'grid', action: 'stats', call: (i) => ({ who: staffOf(cOf(i)), payload: { month } }) },
    { name: 'grid.tag', fn: 'grid', action: 'tag', call: (i) => ({ who: workerOf(cOf(i), household(i).p.grid), payload: { id: household(i).id, tag: '高龄', on: true, reason: '八十岁以上' } }) },
    { name: 'grid.visit', fn: 'grid', action: 'visit', call: (i) => ({ who: workerOf(cOf(i), household(i).p.grid), payload: { id: household(i).id, found: '一切正常' } }) },
  ]
  return list
}

// ---------------------------------------------------------------- measuring

export interface Timing {
  n: number
  p50: number
  p95: number
  p99: number
}
export interface ActionResult {
  name: string
  fn: string
  action: string
  kind: 'read' | 'write'
  single: Timing | null
  concurrent: (Timing & { perSecond: number }) | null
  error?: string
}
export interface ScaleResult {
  scale: number
  counts: Record<string, number>
  seedMs: number
  seedMsBy: Record<string, number>
  heapMB: number
  measureMs: number
  clients: number
  actions: ActionResult[]
}

const r1 = (x: number) => Math.round(x * 10) / 10
function timing(ms: number[]): Timing {
  const s = [...ms].sort((a, b) => a - b)
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]
  return { n: s.length, p50: r1(at(0.5)), p95: r1(at(0.95)), p99: r1(at(0.99)) }
}

async function measure(cloud: LocalCloud, spec: Spec, results: Map<string, unknown[]>): Promise<ActionResult> {
  const def = cloud.functions[spec.fn]?.fn.def.actions[spec.action]
  const kind = def?.read ? 'read' : 'write'
  const out: ActionResult = { name: spec.name, fn: spec.fn, action: spec.action, kind, single: null, concurrent: null }
  const kept: unknown[] = []
  if (spec.keep) results.set(spec.name, kept)
  const once = async (i: number): Promise<number | null> => {
    const c = spec.call(i)
    if (!c) return null
    const t0 = performance.now()
    const r = await cloud.call(spec.fn, { action: spec.action, payload: c.payload }, c.who)
    const ms = performance.now() - t0
    if (!r.ok) throw new Error(`${spec.name} (call ${i}, as ${c.who}): ${JSON.stringify(r.error)}`)
    kept[i] = r.data
    return ms
  }
  try {
    // Reads: one call first, not counted (code paths warm); writes have no spare targets.
    if (kind === 'read') await once(TARGETS)
    const single: number[] = []
    const t0 = performance.now()
    for (let i = 0; i < SINGLE; i++) {
      const ms = await once(i)
      if (ms === null) break
      single.push(ms)
      if (single.length >= MIN_SAMPLES && performance.now() - t0 > SINGLE_CAP_MS) break
    }
    if (single.length) out.single = timing(single)
    // Slow ones: fewer calls at once (the 10-minute bound of the whole bench).
    const perClient = out.single && out.single.p50 > 100 ? 1 : PER_CLIENT
    const conc: number[] = []
    const c0 = performance.now()
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, k) => {
        for (let r = 0; r < perClient; r++) {
          const ms = await once(SINGLE + k * PER_CLIENT + r)
          if (ms === null) return
          conc.push(ms)
        }
      }),
    )
    const wall = performance.now() - c0
    if (conc.length) out.concurrent = { ...timing(conc), perSecond: Math.round((conc.length / wall) * 1000) }
  } catch (e) {
    out.error = e instanceof Error ? e.message.slice(0, 400) : String(e)
  }
  return out
}

export async function runScale(scale: number, log: (s: string) => void = console.log): Promise<ScaleResult> {
  const cloud = await createLocalCloud({ log: quietLogger })
  const world = await seedWorld(cloud, scale)
  log(`  seeded ${Object.values(world.seeded).reduce((a, b) => a + b, 0)} documents in ${(world.seedMs / 1000).toFixed(1)} s`)
  const results = new Map<string, unknown[]>()
  const actions: ActionResult[] = []
  const profile = await startProfile(process.env.BENCH_PROFILE)
  const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined
  const t0 = performance.now()
  for (const spec of specs(world, results)) {
    if (only && !only.test(spec.name)) continue
    const r = await measure(cloud, spec, results)
    actions.push(r)
    log(`  ${r.name.padEnd(34)} ${r.single ? `p50 ${r.single.p50}  p95 ${r.single.p95}  p99 ${r.single.p99}` : ''}${r.concurrent ? `  | ×${CLIENTS}: p50 ${r.concurrent.p50}  p95 ${r.concurrent.p95}  ${r.concurrent.perSecond}/s` : ''}${r.error ? `  ERROR ${r.error}` : ''}`)
  }
  const measureMs = Math.round(performance.now() - t0)
  await profile()
  const heapMB = Math.round(process.memoryUsage().heapUsed / 1e6)
  await cloud.close()
  return { scale, counts: world.seeded, seedMs: world.seedMs, seedMsBy: world.seedMsBy, heapMB, measureMs, clients: CLIENTS, actions }
}

/**
 * BENCH_PROFILE=<file.cpuprofile>: a CPU profile of the measuring phase only (not the seeding),
 * for Chrome DevTools. BENCH_ONLY=<regexp>: measure only the actions whose name matches (a write's
 * targets come from the writes before it: keep its chain, e.g. `^cases\.`).
 */
async function startProfile(file: string | undefined): Promise<() => Promise<void>> {
  if (!file) return async () => {}
  const { Session } = await import('node:inspector')
  const session = new Session()
  session.connect()
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))))
  await post('Profiler.enable')
  await post('Profiler.start')
  return async () => {
    const res = (await post('Profiler.stop')) as { profile: unknown }
    writeFileSync(file, JSON.stringify(res.profile))
    session.disconnect()
  }
}

// Run as a child of scripts/bench.mjs: node .build/bench-scale.cjs <scale> <out.json>
if (/bench-scale\.cjs$/.test(process.argv[1] ?? '')) {
  const scale = Number(process.argv[2])
  const file = process.argv[3]
  runScale(scale).then(
    (r) => {
      writeFileSync(file, JSON.stringify(r))
      process.exit(0)
    },
    (e: unknown) => {
      console.error(e)
      process.exit(1)
    },
  )
}
