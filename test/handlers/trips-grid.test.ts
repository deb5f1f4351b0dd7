/**
 * Round trips of every `grid` action (issue 13, item 2), on a community of realistic size: twenty
 * grids, about 600 verified households (1,200 residents), 300 of them with care tags, and 6,000
 * visits over the past months with their figures.
 *
 * Budgets (test/support/trips.ts): a write ≤ 3 sequential waits and ≤ 6 requests, a read ≤ 2 and
 * ≤ 3, the caller's own record that serve() loads included. Measured as production runs:
 * rate limits on, and each call a minute after the last (a person's next call: the minute's
 * counter is new and the instance's cached settings have expired).
 */
import { testCloud, type TestCloud } from '../support/cloud'
import type { Trips } from '../support/trips'
import { tripMeter, type Measured } from '../support/trips-log'
import { DEMO, demoPlaces } from '../../cloudfunctions/src/local/seed'
import { gridApi } from '../../src/shared/api/grid'
import { CARE_TAGS, type CareTag } from '../../src/shared/rules/grid'
import type { UserDoc } from '../../src/shared/domain/user'
import type { HouseholdDoc, VisitDoc } from '../../cloudfunctions/src/handlers/grid/model'
import { recountVisits } from '../../cloudfunctions/src/handlers/grid/stats'

const P = DEMO.people
const RUNTIME_COLLECTIONS = ['rate_settings', 'rate_counters', 'requests']
const C = DEMO.communities.cuihu
const ELDER = 'b-cy-2-u1:201' // 何桂英, grid g-cuihu-1 (张伟)
const SUN = 'b-cy-1-u1:1202' // 孙丽, grid g-cuihu-1: no household document until visited

let t: TestCloud
const meter = tripMeter(() => t, 'grid', gridApi.actions)
type Action = keyof typeof gridApi.actions

/** Bulk data beside the demo: households, residents, tags, visits and their monthly figures. */
async function seedScale(): Promise<void> {
  const { places } = demoPlaces()
  const units = places.filter((p) => p.kind === 'unit' && p.communityId === C)
  const now = t.clock.now()
  const day = 24 * 3600_000
  const users: UserDoc[] = []
  const households: HouseholdDoc[] = []
  const visits: VisitDoc[] = []
  const stats = new Map<string, { gridId: string; communityId: string; month: string; visits: number; visitsOnTime: number }>()
  for (let i = 0; i < 600; i++) {
    const u = units[i % units.length]
    const room = String(2000 + i)
    const householdId = `${u._id}:${room}`
    for (let k = 0; k < 2; k++) {
      users.push({
        _id: `scale-${i}-${k}`,
        name: `住户${i}-${k}`,
        phone: `139${String(i * 2 + k).padStart(8, '0')}`,
        roles: ['resident'],
        verified: true,
        address: { streetId: u.streetId, communityId: C, estateId: u.estateId!, buildingId: u.buildingId!, unitId: u._id, room, gridId: u.gridId ?? null },
        householdId,
        gridIds: [],
        createdAt: now,
        updatedAt: now,
        version: 1,
      })
    }
    if (i % 2 === 0) {
      const tag = CARE_TAGS[i % CARE_TAGS.length] as CareTag
      const lastVisitAt = new Date(now.getTime() - ((i * 7) % 40) * day)
      households.push({
        _id: householdId,
        communityId: C,
        gridId: u.gridId ?? null,
        buildingId: u.buildingId!,
        unitId: u._id,
        room,
        tags: [{ tag, reason: '登记', by: P.mediator1, byName: '张伟', at: new Date(now.getTime() - 90 * day) }],
        lastVisitAt,
        nextDueAt: new Date(lastVisitAt.getTime() + 30 * day),
        remindedFor: null,
        tagged: true,
        // A few overdue ones the job has not told the grid about yet.
        reminded: i % 8 !== 0,
        version: 3,
        updatedAt: now,
      })
      for (let v = 0; v < 20; v++) {
        const at = new Date(now.getTime() - (v * 9 + (i % 9)) * day)
        const month = at.toISOString().slice(0, 7)
        const onTime = v % 3 !== 0
        visits.push({
          _id: `scale-vs-${i}-${v}`,
          householdId,
          communityId: C,
          gridId: u.gridId ?? null,
          at,
          found: '一切正常',
          photos: [],
          followUp: false,
          followUpNote: null,
          onTime,
          by: P.mediator1,
          byName: '张伟',
          createdAt: at,
        })
        const sid = `${u.gridId}:${month}`
        const s = stats.get(sid) ?? { gridId: u.gridId!, communityId: C, month, visits: 0, visitsOnTime: 0 }
        s.visits++
        if (onTime) s.visitsOnTime++
        stats.set(sid, s)
      }
    }
  }
  const add = async (collection: string, docs: object[]) => {
    for (let i = 0; i < docs.length; i += 1000) await t.cloud.db.collection(collection).add({ data: docs.slice(i, i + 1000) as unknown as Record<string, unknown>[] })
  }
  // A community of twenty grids (the demo's three, and seventeen more).
  await add(
    'grids',
    Array.from({ length: 17 }, (_, k) => ({ _id: `g-cuihu-x${k}`, communityId: C, name: `翠湖第${k + 4}网格`, workerIds: [] })),
  )
  await add('users', users)
  await add('households', households)
  await add('visits', visits)
  await add(
    'grid_stats',
    [...stats.entries()].map(([_id, s]) => ({ _id, ...s })),
  )
}

beforeAll(async () => {
  // Monday 2026-11-23 10:00 Shanghai
  t = await testCloud({ start: '2026-11-23T02:00:00Z', rateLimits: true })
  await seedScale()
  meter.start()
}, 120_000)
afterAll(() => {
  meter.report()
  return t.close()
})

/** The call last measured: the budget checks below are of it (its own collections' queries must be served by an index). */
let last = ''
/** One call as a person's next one (a minute after the last), counted; the answer must be ok. */
async function measure(who: string, action: Action, payload: unknown = {}, requestId?: string, name: string = action): Promise<Measured> {
  last = name
  return (await meter.measure(name, who, action, payload, requestId)).m
}
/** The action's own share keeps the budget of a read or a write (the whole is reported). */
const within = (action: Action, m: Measured) => meter.within(last, action, m)
/** The whole call too (the runtime's requests included): what the bench budgets. */
const withinAll = (action: Action, m: Measured) => meter.whole(last, action, m)
/** An argued exception: its own share held to `bound` (test/support/trips-log.ts `bounded`). */
const exception = (_action: Action, m: Measured, bound: Trips, reason: string) => meter.bounded(last, m, bound, reason)

describe('grid: round trips per action at community scale', () => {
  it('mine (a grid worker)', async () => within('mine', await measure(P.mediator1, 'mine')))
  it('mine (staff: every grid of the community)', async () => {
    // The first look in 10 minutes recounts the households per grid over the community's residents
    // (1,200 here: their count and first page in one wait, the other pages in the next) and keeps them.
    exception(
      'mine',
      await measure(P.staff, 'mine', {}, undefined, 'mine (staff, recount)'),
      { total: 7, sequential: 5 },
      'Staff see every grid of the community with its number of households, which only the residents’ records know (users.householdId). ' +
        'At most once per 10 minutes per community (GRID_COUNTS_TTL_MS) a look recounts them over the community’s verified residents and keeps ' +
        'the counts (grid_counts); every other look reads the kept counts beside the grids and the tagged households, within the budget.',
    )
    within('mine', await measure(P.staff, 'mine', {}, undefined, 'mine (staff)'))
  })
  it('households', async () => within('households', await measure(P.mediator1, 'households', { gridId: 'g-cuihu-1', filter: 'all' })))
  it('household', async () => within('household', await measure(P.mediator1, 'household', { id: ELDER })))
  it('tag', async () => within('tag', await measure(P.mediator1, 'tag', { id: ELDER, tag: '独居老人', on: true, reason: '独居，子女在外地' })))
  /**
   * The whole call within the write budget (issue 13: the caller's record and the rate count
   * included): the household's document and its residents (the answer shows them) read together,
   * then the visit and the household written together; the month's figures ride on the visit's
   * record and the job settles them (the last test here). A first visit to a household without a
   * document (never tagged) costs the same.
   */
  it('visit', async () => {
    withinAll('visit', await measure(P.mediator1, 'visit', { id: ELDER, found: '老人身体不错', photos: [] }, 'trips-visit-0001'))
    withinAll('visit', await measure(P.mediator1, 'visit', { id: SUN, found: '一切正常', photos: [] }, 'trips-visit-0002', 'visit (first, untagged household)'))
  })
  it('due', async () => within('due', await measure(P.mediator1, 'due', { gridId: 'g-cuihu-1' })))
  it('stats', async () =>
    exception(
      'stats',
      await measure(P.staff, 'stats', { month: '2026-11' }),
      { total: 5, sequential: 2 },
      'The month’s figures bring together four sources with different writers besides the grid list (kept by the instance, common/places): ' +
        'the visit counters (moved by visits), the case engine’s patrol-report counters (the cases function’s), the tagged households now ' +
        '(overdue depends on the time: no counter can hold it) and the department names (the counters key departments by id). ' +
        'All four are read in one wait: the waits keep the budget, the requests are one over.',
    ))
  it('settings', async () => within('settings', await measure(P.mediator1, 'settings')))
  it('saveSettings', async () =>
    within('saveSettings', await measure(P.admin, 'saveSettings', { visitDays: { 独居老人: 7, 高龄: 30, 残疾: 30, 困难家庭: 30, 留守儿童: 30 }, matters: ['安全隐患', '环境卫生'], departmentDays: 5 })))
  it('departments', async () => within('departments', await measure(P.street, 'departments')))
  it('saveDepartment', async () => within('saveDepartment', await measure(P.street, 'saveDepartment', { name: '翠湖消防站', kind: '消防', phone: '0571-88881005' }, 'trips-dept-0001')))
  it('setDepartmentContact', async () => within('setDepartmentContact', await measure(P.street, 'setDepartmentContact', { departmentId: 'dp-police', phone: '13800001006', on: true })))
  it('tick (batch: reported, not budgeted)', async () => {
    t.clock.advance(61_000)
    expect((await meter.timer('tick')).all.total).toBeGreaterThan(0)
    // It settled the visits' figures: they equal a recount.
    const month = t.clock.now().toISOString().slice(0, 7)
    const kept = (await t.cloud.db.collection<{ visits: number; visitsOnTime: number }>('grid_stats').doc(`g-cuihu-1:${month}`).get()).data
    expect({ visits: kept.visits, visitsOnTime: kept.visitsOnTime }).toEqual(await recountVisits({ db: t.cloud.db, _: t.cloud.db.command }, 'g-cuihu-1', month))
  })
})

describe('grid: indexes', () => {
  it('the timer’s queries too were served by an index (each action’s own were checked with its count)', () => {
    // The runtime's own reads (rate-limit settings: one small collection read whole) are not these actions'.
    expect(t.reports.filter((r) => !RUNTIME_COLLECTIONS.includes(r.collection)).map((r) => ({ collection: r.collection, kind: r.kind, where: r.where }))).toEqual([])
  })
})
