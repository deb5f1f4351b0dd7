/**
 * Round trips of the 工作台 (`work.summary`, `work.badge`; issue 15) on a community of realistic
 * size: the demo activity (seed.ts) plus 4,000 cases of the three kinds in every state across the
 * grids and both communities, 2,000 residents (a tenth not verified), 300 care-tagged households
 * and 1,500 bookings over four weeks.
 *
 * Budgets (test/support/trips.ts): a read ≤ 2 sequential waits and ≤ 3 requests, the caller's own
 * record included. The workbench is a read across every feature's queue, so it keeps the waits
 * and, by design, not the requests: every group's reads go out together in the wait after the
 * caller's record — never a third wait, however many groups — and each group costs what its
 * feature's own page costs, split where a group mixes "to do" and "overdue" so both counts are
 * exact (see `argued` below). The requests are pinned per role to exactly what they are now, so a
 * change that adds one fails here. The instance is warm (the place tree, a community's grids and a
 * street's communities are kept 10 minutes, common/places.ts): a cold one reads them first, one
 * more wait.
 */
import { testCloud, type TestCloud } from '../support/cloud'
import { tripMeter } from '../support/trips-log'
import { DEMO, demoPlaces, seedDemoActivity } from '../../cloudfunctions/src/local/seed'
import { workApi } from '../../src/shared/api/work'
import type { UserDoc } from '../../src/shared/domain/user'

const P = DEMO.people
const C = DEMO.communities.cuihu
let t: TestCloud
const meter = tripMeter(() => t, 'work', workApi.actions)

async function add(collection: string, docs: object[]): Promise<void> {
  for (let i = 0; i < docs.length; i += 1000) await t.cloud.db.collection(collection).add({ data: docs.slice(i, i + 1000) as unknown as Record<string, unknown>[] })
}

/** Copies of records the functions wrote (the demo activity's), spread over grids, states, deadlines and days. */
async function seedScale(): Promise<void> {
  const now = t.clock.now().getTime()
  const hour = 3600_000
  const cases = (await t.cloud.db.collection<Record<string, unknown>>('cases').limit(100).get()).data
  const kinds = ['dispute', 'message', 'event'].map((k) => cases.find((c) => c.kind === k)!)
  const statuses = ['submitted', 'accepted', 'mediating', 'resolved', 'closed', 'waiting_info']
  const grids = ['g-cuihu-1', 'g-cuihu-2', 'g-cuihu-3', 'g-jinqiao-1']
  await add(
    'cases',
    Array.from({ length: 4000 }, (_, n) => {
      const { _id, ...base } = kinds[n % 3]
      const gridId = grids[n % 4]
      return {
        ...base,
        communityId: gridId === 'g-jinqiao-1' ? DEMO.communities.jinqiao : C,
        gridId,
        level: ['grid', 'community', 'street'][n % 7 === 0 ? 2 : n % 2],
        status: statuses[n % 6],
        ownerId: `scale-${n % 500}`,
        submittedAt: new Date(now - n * 20 * 60_000),
        dueAt: n % 6 >= 3 && n % 6 !== 5 ? null : new Date(now + ((n % 97) - 30) * hour),
      }
    }),
  )
  const { places } = demoPlaces()
  const units = places.filter((p) => p.kind === 'unit' && p.communityId === C)
  const users: UserDoc[] = Array.from({ length: 2000 }, (_, i) => {
    const u = units[i % units.length]
    const room = String(2000 + i)
    return {
      _id: `scale-${i}`,
      name: `住户${i}`,
      roles: ['resident'],
      verified: i % 10 !== 0,
      address: { streetId: u.streetId, communityId: C, estateId: u.estateId!, buildingId: u.buildingId!, unitId: u._id, room, gridId: u.gridId ?? null },
      householdId: `${u._id}:${room}`,
      gridIds: [],
      createdAt: new Date(now - i * hour),
      updatedAt: new Date(now - i * hour),
      version: 1,
    }
  })
  await add('users', users)
  await add(
    'households',
    users.slice(0, 300).map((u, i) => ({
      _id: u.householdId,
      communityId: C,
      gridId: u.address.gridId,
      buildingId: u.address.buildingId,
      unitId: u.address.unitId,
      room: u.address.room,
      tags: [{ tag: '独居老人', reason: '登记', by: P.mediator1, byName: '张伟', at: new Date(now - 60 * 24 * hour) }],
      lastVisitAt: new Date(now - (i % 20) * 24 * hour),
      nextDueAt: new Date(now + (14 - (i % 20)) * 24 * hour),
      remindedFor: null,
      tagged: true,
      reminded: true,
      version: 2,
      updatedAt: new Date(now),
    })),
  )
  const booking = (await t.cloud.db.collection<Record<string, unknown>>('bookings').limit(1).get()).data[0]
  const { _id, ...b } = booking
  void _id
  await add(
    'bookings',
    Array.from({ length: 1500 }, (_, n) => {
      const startAt = new Date(now + ((n % 28) - 14) * 24 * hour + (n % 10) * hour)
      return { ...b, status: ['pending', 'confirmed', 'completed', 'cancelled'][n % 4], startAt, date: new Date(startAt.getTime() + 8 * hour).toISOString().slice(0, 10), checkCode: String(300000 + n) }
    }),
  )
}

beforeAll(async () => {
  // Monday 2026-11-23 10:00 Shanghai.
  t = await testCloud({ start: '2026-11-23T02:00:00Z', rateLimits: true })
  await seedDemoActivity((openid, fn, action, payload) => t.cloud.call(fn, { action, payload }, openid), t.clock.now(), (fn, trigger) => t.cloud.runTimer(fn, trigger))
  await seedScale()
  // Warm: each role's first call reads the place tree, the community's grids, the street's communities.
  for (const who of [P.staff, P.mediator1, P.street]) expect((await t.call(who, 'work', 'summary', {})).ok).toBe(true)
  meter.start()
}, 180_000)
afterAll(() => {
  meter.report()
  return t.close()
})

const measure = (name: string, who: string, action: 'summary' | 'badge') => meter.measure(name, who, action)

describe('work: round trips at community scale', () => {
  it('summary (community staff): every group in one wait after the caller', async () => {
    meter.pinned(
      'summary (staff)',
      (await measure('summary (staff)', P.staff, 'summary')).m,
      { total: 25, sequential: 2 },
      'Nine groups, each read as its feature’s page reads it: 邻里纠纷 and 居民留言 4 each (the overdue and the to-accept pages and their counts), ' +
        '巡查上报 3 (page, count, overdue count), 待审核 3 (page, count, overdue count), 今日签到 1 and 志愿活动 1 (a day’s bookings and four days’ ' +
        'activities, read whole and counted as read), 物业 3 (the appeals of a year’s closes, the bursts’ page and count), 居民认证 2 (page, count), ' +
        '重点户走访 3 (page, due count, overdue count) — 24, plus the caller’s record: 25 requests, all issued together in the second wait.',
    )
  })

  it('badge (community staff): the counts alone, kept two minutes per community', async () => {
    meter.pinned(
      'badge (staff, recount)',
      (await measure('badge (staff, recount)', P.staff, 'badge')).m,
      { total: 18, sequential: 4 },
      'At most once per two minutes per scope (BADGE_TTL_MS) a look finds no fresh kept count and counts the groups without their pages: two counts for each ' +
        'case group, a count and an overdue count for 巡查上报, 待审核 and 走访, one for 居民认证, the bursts’ count, and the three bounded lists a ' +
        'count is read from (today’s bookings, the activities, the appeals) — 15 in one wait, after the caller and the kept count; then the count is kept (18).',
    )
    // Every other look of the community's staff within the two minutes: the caller and the kept count.
    meter.within('badge (staff)', 'badge', (await measure('badge (staff)', P.admin, 'badge')).m)
  })

  it('summary (a grid worker): their grids’ cases, residents and visits', async () => {
    meter.pinned(
      'summary (grid worker)',
      (await measure('summary (grid worker)', P.mediator1, 'summary')).m,
      { total: 14, sequential: 2 },
      'Four groups scoped by the worker’s grids: the two case groups (4 each), 居民认证 (2) and 重点户走访 (3) — 13 requests together, plus the caller’s record.',
    )
  })

  it('summary (the street): the escalated cases and each community’s figures', async () => {
    meter.pinned(
      'summary (street)',
      (await measure('summary (street)', P.street, 'summary')).m,
      { total: 9, sequential: 2 },
      'The cases escalated to the street (a page, its count, the overdue and the flagged counts: 4) and two counts per community of the street ' +
        '(open and overdue: 2 × 2 here, so 2 per community as the street grows), plus the caller’s record, all in the second wait.',
    )
  })
})
