/**
 * Round trips of every `property` action (issue 13, item 2), on a community of realistic size:
 * ten companies serving ten estates, 3,000 verified households of which 2,400 rated this quarter
 * (with their running sums), eight published quarters of results, 200 violations, 400 closed 物业
 * cases with 100 complaint marks, 40 rating bursts.
 *
 * Budgets (test/support/trips.ts): a write ≤ 3 sequential waits and ≤ 6 requests, a read ≤ 2 and
 * ≤ 3, the caller's own record that serve() loads included. Measured as production runs: rate
 * limits on, each call a minute after the last. Each action's own share is held to the budget,
 * and the resident's board, company page and rating the WHOLE call on a warm instance (`whole`: the
 * runtime's and the shared helpers' requests too, as the bench counts); the whole is reported beside it
 * (test/support/trips-log.ts; `TRIPS_REPORT=1` prints the table).
 *
 * Batch work is bounded, not budgeted per call: the timer `tick`; a quarter close (`compute`),
 * which writes one result per company the community knows — its reads are a fixed handful, its
 * writes one per company, in one parallel wait; excluding a burst (`reviewBurst`), which takes each
 * of its ratings out of the sums in its own small transaction (crash-safe: a rerun skips what is
 * done), so it costs a fixed part plus a fixed amount per rating.
 */
import { testCloud, type TestCloud } from '../support/cloud'
import type { Trips } from '../support/trips'
import { tripMeter, type Measured } from '../support/trips-log'
import { DEMO, demoPlaces } from '../../cloudfunctions/src/local/seed'
import { propertyApi, type CloseOutT } from '../../src/shared/api/property'
import { DEFAULT_SCORE_SETTINGS, DIMENSIONS, addStars, emptyStars, score, type Stars } from '../../src/shared/rules/property'
import { pageFrom, type CloseDoc, type ViolationDoc } from '../../cloudfunctions/src/handlers/property/model'
import type { PlaceDoc, UserDoc } from '../../src/shared/domain/user'
import { sh } from '../../src/shared/time'

const P = DEMO.people
const RUNTIME_COLLECTIONS = ['rate_settings', 'rate_counters', 'requests']
const C = DEMO.communities.cuihu
const Q = '2026Q4' // the current quarter
const CLOSING = '2025Q4' // an ended quarter nobody has closed yet
const PAST = ['2024Q3', '2024Q4', '2025Q1', '2025Q2', '2025Q3'] // published, besides the seed's 2026Q2 and 2026Q3
const EXTRA = 8 // companies beside the demo's two, each serving an estate of its own

let t: TestCloud
const meter = tripMeter(() => t, 'property', propertyApi.actions)
const all = (v: number): Stars => Object.fromEntries(DIMENSIONS.map((d) => [d, v])) as Stars
const starsOf = (i: number): Stars => ({ security: (i % 5) + 1, cleaning: (i % 3) + 3, repair: (i % 4) + 1, greening: 4, attitude: (i % 2) + 4, fees: (i % 5) + 1 })

async function add(collection: string, docs: object[]): Promise<void> {
  for (let i = 0; i < docs.length; i += 1000) await t.cloud.db.collection(collection).add({ data: docs.slice(i, i + 1000) as unknown as Record<string, unknown>[] })
}

/** Bulk data beside the demo. */
async function seedScale(): Promise<void> {
  const now = t.clock.now()
  const day = 24 * 3600_000
  const { places } = demoPlaces()
  const units = places.filter((p) => p.kind === 'unit' && p.estateId === 'e-cuiyuan')
  const estates: PlaceDoc[] = []
  const companies: object[] = []
  const contacts: UserDoc[] = []
  for (let i = 0; i < EXTRA; i++) {
    const id = `e-x${i}`
    estates.push({ _id: id, kind: 'estate', name: `第${i + 1}小区`, parentId: C, streetId: DEMO.street, communityId: C, propertyCompanyId: `pc-x${i}`, order: 10 + i })
    companies.push({ _id: `pc-x${i}`, name: `第${i + 1}物业公司`, phone: `0571-8888${String(1000 + i)}`, estateIds: [id], communityIds: [C], contacts: [{ openid: `scale-pc-${i}`, name: `住户scale-pc-${i}` }], version: 1 })
    contacts.push(person(`scale-pc-${i}`, units[0], `9${i}01`, { roles: ['resident', 'property'], companyId: `pc-x${i}`, phone: `1370000${String(1000 + i)}` }))
  }
  await add('places', estates)
  await add('companies', companies)
  const companyIds = ['pc-anju', 'pc-jinhua', ...Array.from({ length: EXTRA }, (_, i) => `pc-x${i}`)]

  // 3,000 households in 翠园小区; 2,400 rated 安居物业 this quarter.
  const users: UserDoc[] = [...contacts]
  const ratings: object[] = []
  let sums = emptyStars()
  const bursts = new Map<string, number>()
  const start = new Date('2026-10-01T00:00:00+08:00').getTime()
  for (let i = 0; i < 3000; i++) {
    const u = units[i % units.length]
    const room = String(3000 + i)
    users.push(person(`prop-${i}`, u, room))
    if (i >= 2400) continue
    // The first 25 came within one hour (a burst the staff will review); the rest spread over the quarter.
    const at = i < 25 ? new Date(start + 40 * day + 10 * 3600_000) : new Date(start + (i % 50) * day + (i % 24) * 3600_000)
    const stars = starsOf(i)
    sums = addStars(sums, stars, 1)
    const hour = sh(at).format('YYYY-MM-DDTHH')
    bursts.set(hour, (bursts.get(hour) ?? 0) + 1)
    const comment = i % 6 === 0 ? `评语${i}：物业服务还可以` : null
    ratings.push({
      _id: `pc-anju:${Q}:${u._id}:${room}`,
      companyId: 'pc-anju', communityId: C, estateId: 'e-cuiyuan', quarter: Q, householdId: `${u._id}:${room}`,
      raterId: `prop-${i}`, raterName: '居民', stars, comment, commentHidden: null, commentShown: comment !== null, excluded: null,
      hour, createdAt: at, updatedAt: at, version: 1,
    })
  }
  await add('users', users)
  await add('property_ratings', ratings)
  const sumDocs: object[] = [{ _id: `${C}:pc-anju:${Q}`, communityId: C, companyId: 'pc-anju', quarter: Q, n: 2400, sums, updatedAt: now }]
  for (const c of companyIds.slice(1)) sumDocs.push({ _id: `${C}:${c}:${Q}`, communityId: C, companyId: c, quarter: Q, n: 40, sums: addStars(emptyStars(), all(160), 1), updatedAt: now })
  for (const q of [CLOSING, ...PAST]) for (const c of companyIds) sumDocs.push({ _id: `${C}:${c}:${q}`, communityId: C, companyId: c, quarter: q, n: 50, sums: all(200), updatedAt: now })
  await add('rating_sums', sumDocs)
  // Bursts: every hour counted; 40 of them flagged or reviewed.
  const burstDocs = [...bursts.entries()].map(([hour, count], k) => ({
    _id: `${C}:pc-anju:${hour}`, communityId: C, companyId: 'pc-anju', companyName: '安居物业服务有限公司', quarter: Q, hour,
    hourStart: new Date(`${hour}:00:00+08:00`), count, status: count >= 20 || k < 20 ? 'flagged' : k < 40 ? 'dismissed' : 'counting', reason: null, reviewedBy: null, reviewedAt: null,
  }))
  await add('rating_bursts', burstDocs)

  // Eight published quarters of results for every company; violations across them.
  const results: object[] = []
  const closes: object[] = []
  const violations: object[] = []
  for (const q of PAST) {
    const input = { n: 50, sums: all(200), complaints: 1, violations: { general: 1, serious: 0 } }
    const rows = companyIds.map((c) => ({ companyId: c, companyName: c, input, score: score(input, DEFAULT_SCORE_SETTINGS), corrections: [] }))
    for (const row of rows) results.push({ _id: `${C}:${row.companyId}:${q}`, communityId: C, ...row, quarter: q, settings: DEFAULT_SCORE_SETTINGS, computedAt: now, appeal: null, version: 1 })
    // As publishing writes it: the list and the deductions on the close.
    closes.push({
      _id: `${C}:${q}`, communityId: C, quarter: q, state: 'published', companyIds, computedAt: now, computedBy: P.staff, appealUntil: now, publishedAt: now, publishedBy: P.staff,
      settings: DEFAULT_SCORE_SETTINGS, rows, version: 3,
    })
  }
  for (let v = 0; v < 200; v++) {
    const q = [...PAST, CLOSING, Q][v % 7]
    violations.push({
      _id: `scale-pv-${v}`, communityId: C, companyId: companyIds[v % companyIds.length], quarter: q, level: v % 9 === 0 ? 'serious' : 'general',
      description: '楼道堆放杂物', photos: [], by: P.staff, byName: '李秀梅', at: new Date(now.getTime() - v * day), removed: null,
    })
  }
  await add('property_results', results)
  await add('property_closes', closes)
  await add('property_violations', violations)

  // 400 closed 物业 cases (disputes and messages) and 100 complaint marks.
  const cases: object[] = []
  const marks: object[] = []
  for (let k = 0; k < 400; k++) {
    const closedAt = new Date(now.getTime() - k * 3600_000)
    cases.push({
      _id: `scale-case-${k}`, kind: k % 2 ? 'message' : 'dispute', communityId: C, streetId: DEMO.street, category: '物业', description: `物业问题 ${k}：电梯经常坏，报修后迟迟没人来修。`,
      status: 'closed', closedAt, submittedAt: closedAt, location: { buildingId: k % 3 ? 'b-cy-1' : 'b-hp-1', text: '翠园小区 1栋' },
    })
    if (k % 4 === 0)
      marks.push({
        _id: `scale-case-${k}`, communityId: C, companyId: k % 3 ? 'pc-anju' : 'pc-jinhua', companyName: k % 3 ? '安居物业服务有限公司' : '锦华物业管理有限公司', caseClosedAt: closedAt,
        quarter: k % 8 ? Q : CLOSING, substantiated: k % 8 === 0, note: null, by: P.staff, byName: '李秀梅', at: closedAt,
      })
  }
  await add('cases', cases)
  await add('property_complaints', marks)

  // Each company's public page of the community, as publishing and recording violations keep it (CompanyPage).
  const published = (await t.cloud.db.collection<CloseDoc>('property_closes').where({ communityId: C, state: 'published' }).limit(100).get()).data
  const live = (await t.cloud.db.collection<ViolationDoc>('property_violations').where({ communityId: C, removed: null }).limit(1000).get()).data
  for (const c of companyIds) {
    const rows = published.flatMap((x) => (x.rows ?? []).filter((r) => r.companyId === c).map((row) => ({ quarter: x.quarter, row })))
    const page = pageFrom(now, rows, live.filter((v) => v.companyId === c))
    await t.cloud.db.collection('companies').doc(c).update({ data: { [`pages.${C}`]: t.cloud.db.command.set(page), pageVersion: 1 } })
  }
}

function person(id: string, u: PlaceDoc, room: string, extra: Partial<UserDoc> = {}): UserDoc {
  const now = t.clock.now()
  return {
    _id: id, name: `住户${id}`, roles: ['resident'], verified: true,
    address: { streetId: u.streetId, communityId: u.communityId!, estateId: u.estateId!, buildingId: u.buildingId!, unitId: u._id, room, gridId: u.gridId ?? null },
    householdId: `${u._id}:${room}`, gridIds: [], createdAt: now, updatedAt: now, version: 1, ...extra,
  }
}

beforeAll(async () => {
  // Monday 2026-11-23 10:00 Shanghai: 2026Q4.
  t = await testCloud({ start: '2026-11-23T02:00:00Z', rateLimits: true })
  await seedScale()
  meter.start()
}, 120_000)
afterAll(() => {
  meter.report()
  return t.close()
})

type Action = keyof typeof propertyApi.actions

/** The call last measured: the budget checks below are of it (its own collections' queries must be served by an index). */
let last = ''
/** One call as a person's next one (a minute after the last), counted; the answer must be ok. */
function measure<T = unknown>(name: string, who: string, action: Action, payload: unknown = {}, requestId?: string): Promise<{ m: Measured; data: T }> {
  last = name
  return meter.measure<T>(name, who, action, payload, requestId)
}
/** The action's own share keeps the budget of a read or a write (the whole is reported). */
const within = (action: Action, m: Measured) => meter.within(last, action, m)
/** The whole call keeps the budget, as the bench counts it. */
const whole = (action: Action, m: Measured) => meter.whole(last, action, m)
/** An argued exception: its own share held to `bound` (test/support/trips-log.ts `bounded`). */
const exception = (_action: Action, m: Measured, bound: Trips, reason: string) => meter.bounded(last, m, bound, reason)

/** Setup calls between measurements (not counted). */
async function ok<T = unknown>(who: string, action: Action, payload: unknown = {}): Promise<T> {
  t.clock.advance(61_000)
  const r = await t.call<T>(who, 'property', action, payload)
  if (!r.ok) throw new Error(`property.${action} failed: ${JSON.stringify(r.error)}`)
  return r.data
}

describe('property: round trips per action at community scale', () => {
  // ---- residents ----
  // The public pages and rating: the WHOLE call within the budget (every request, the runtime's included), on a warm instance.
  it('board', async () => whole('board', (await measure('board', P.resident, 'board')).m))
  it('company', async () => whole('company', (await measure('company', P.resident, 'company', { id: 'pc-anju' })).m))
  it('comments', async () => within('comments', (await measure('comments', P.resident, 'comments', { id: 'pc-anju' })).m))
  it('mine', async () => within('mine', (await measure('mine', P.resident, 'mine')).m))
  it('rate (new, and an edit)', async () => {
    // Another household's rating a minute before: the instance is warm (the runtime's rate settings read, kept five minutes).
    await ok('prop-2501', 'rate', { companyId: 'pc-anju', stars: all(3) })
    whole('rate', (await measure('rate', 'prop-2500', 'rate', { companyId: 'pc-anju', stars: all(4), comment: '保洁很认真' })).m)
    whole('rate', (await measure('rate (edit)', 'prop-2500', 'rate', { companyId: 'pc-anju', stars: all(5) })).m)
  })

  // ---- staff ----
  it('companies', async () => within('companies', (await measure('companies', P.staff, 'companies')).m))
  it('saveCompany (new, and an edit)', async () => {
    within('saveCompany', (await measure('saveCompany', P.staff, 'saveCompany', { name: '绿城物业服务集团' }, 'trips-company-01')).m)
    within('saveCompany', (await measure('saveCompany (edit)', P.staff, 'saveCompany', { id: 'pc-x0', version: 1, name: '第1物业公司（更名）' }, 'trips-company-02')).m)
  })
  it('assignEstate', async () =>
    exception(
      'assignEstate',
      (await measure('assignEstate', P.staff, 'assignEstate', { estateId: 'e-x1', companyId: 'pc-x2' })).m,
      { total: 7, sequential: 3 },
      'The estate’s company and both companies’ estate lists move in one transaction (README): the estate is read (beside the community’s companies and estates, ' +
        'for the checks and the answer), then the estate and the company it leaves and the one it joins are written together — three waits, but seven requests. ' +
        'A rare staff action.',
    ))
  it('setContact', async () => within('setContact', (await measure('setContact', P.staff, 'setContact', { companyId: 'pc-x3', phone: '13800001009', on: true })).m))
  it('violations', async () => within('violations', (await measure('violations', P.staff, 'violations', { companyId: 'pc-anju' })).m))
  let violationId = ''
  it('recordViolation', async () => {
    const { m, data } = await measure<{ id: string }>('recordViolation', P.staff, 'recordViolation', { companyId: 'pc-anju', level: 'general', description: '电梯故障超过 48 小时未修复', photos: [] }, 'trips-violation-01')
    violationId = data.id
    within('recordViolation', m)
  })
  it('removeViolation', async () => within('removeViolation', (await measure('removeViolation', P.staff, 'removeViolation', { id: violationId, reason: '记错了公司' })).m))
  it('complaints', async () => within('complaints', (await measure('complaints', P.staff, 'complaints', {})).m))
  it('markComplaint', async () => within('markComplaint', (await measure('markComplaint', P.staff, 'markComplaint', { caseId: 'scale-case-1', companyId: 'pc-anju', substantiated: true })).m))
  it('bursts', async () => within('bursts', (await measure('bursts', P.staff, 'bursts', {})).m))
  it('reviewBurst (keep)', async () => {
    const b = await ok<{ items: Array<{ id: string }> }>(P.staff, 'bursts', {})
    within('reviewBurst', (await measure('reviewBurst (keep)', P.staff, 'reviewBurst', { id: b.items[0].id, exclude: false, reason: '经核实为业主大会集中评价' })).m)
  })
  it('reviewBurst (exclude): bounded by the burst’s ratings', async () => {
    const b = await ok<{ items: Array<{ id: string; count: number }> }>(P.staff, 'bursts', { pageSize: 50 })
    const burst = b.items.reduce((x, y) => (y.count > x.count ? y : x))
    const { m } = await measure('reviewBurst (exclude)', P.staff, 'reviewBurst', { id: burst.id, exclude: true, reason: '同一时段集中刷分' })
    const n = burst.count
    expect(n).toBeGreaterThanOrEqual(25)
    // A fixed part, then per rating one small transaction of three requests, one after another (crash-safe).
    expect({ n, total: m.all.total <= 8 + 3 * n, sequential: m.all.sequential <= 6 + 3 * n }).toEqual({ n, total: true, sequential: true })
  })
  it('hideComment', async () => within('hideComment', (await measure('hideComment', P.staff, 'hideComment', { id: `pc-anju:${Q}:b-cy-1-u1:3000`, reason: '含人身攻击' })).m))
  it('settings', async () => within('settings', (await measure('settings', P.staff, 'settings')).m))
  it('saveSettings', async () => within('saveSettings', (await measure('saveSettings', P.admin, 'saveSettings', { complaint: 0.1, general: 0.2, serious: 0.5, burstPerHour: 25 })).m))

  // ---- the quarter close of CLOSING, and the company contact ----
  let version = 0
  it('close', async () => within('close', (await measure('close', P.staff, 'close', { quarter: '2025Q3' })).m))
  it('compute: bounded by the community’s companies', async () => {
    const { m, data } = await measure<CloseOutT>('compute', P.staff, 'compute', { quarter: CLOSING })
    version = data.version
    const companies = data.results.length
    expect(companies).toBeGreaterThanOrEqual(10)
    // Reads are a fixed handful; the results are one write per company, all in one wait.
    expect({ companies, total: m.all.total <= 12 + companies, sequential: m.all.sequential <= 8 }).toEqual({ companies, total: true, sequential: true })
  })
  it('openAppeal', async () => {
    const { m, data } = await measure<CloseOutT>('openAppeal', P.staff, 'openAppeal', { quarter: CLOSING, version })
    version = data.version
    within('openAppeal', m)
  })
  it('results', async () => within('results', (await measure('results', P.propertyAnju, 'results')).m))
  it('appeal', async () => within('appeal', (await measure('appeal', P.propertyAnju, 'appeal', { communityId: C, quarter: CLOSING, text: '12 月的违规记录有误，请核实。', photos: [] })).m))
  it('decideAppeal', async () => {
    const { m, data } = await measure<CloseOutT>('decideAppeal', P.staff, 'decideAppeal', { quarter: CLOSING, companyId: 'pc-anju', accept: true, reason: '已核实，撤销一条违规' })
    version = data.version
    within('decideAppeal', m)
  })
  it('publish', async () => {
    t.clock.advanceHours(7 * 24 + 1)
    within('publish', (await measure('publish', P.staff, 'publish', { quarter: CLOSING, version })).m)
  })
  it('correct', async () => {
    // A record of the quarter changed after publishing (here: its sums, as excluding a burst does).
    await t.cloud.db.collection('rating_sums').doc(`${C}:pc-jinhua:${CLOSING}`).update({ data: { n: 49, sums: all(196) } })
    within('correct', (await measure('correct', P.staff, 'correct', { quarter: CLOSING, companyId: 'pc-jinhua', reason: '剔除一条重复评价' })).m)
  })
  it('tick (reported)', async () => {
    t.clock.advance(61_000)
    expect((await meter.timer('tick')).all.total).toBeGreaterThan(0)
  })
})

describe('property: indexes', () => {
  it('the timer’s queries too were served by an index (each action’s own were checked with its count)', () => {
    // The runtime's own reads (rate-limit settings: one small collection read whole) are not these actions'.
    expect(t.reports.filter((r) => !RUNTIME_COLLECTIONS.includes(r.collection)).map((r) => ({ collection: r.collection, kind: r.kind, where: r.where }))).toEqual([])
  })
})
