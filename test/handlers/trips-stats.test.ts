/**
 * Round trips of 统计与台账 (`stats.month`, `stats.ledger`; issue 15) on the demo community with its
 * month of activity (seed.ts), rate limits on, each call a person's next one.
 *
 * Budgets (test/support/trips.ts): a read ≤ 2 sequential waits and ≤ 3 requests, a write ≤ 3 / ≤ 6,
 * the caller's own record included. The month's figures are read from the counters each feature
 * keeps on write — one document per feature and month (or quarter), never a scan of the records —
 * but there are five features, so the page keeps the waits and not the requests: the counters are
 * read together. The ledger adds the month's item lists (a page per feature) and the upload. Both
 * are pinned to exactly what they take now, so a change that adds a request fails here.
 */
import { testCloud, type TestCloud } from '../support/cloud'
import { tripMeter } from '../support/trips-log'
import { DEMO, seedDemoActivity } from '../../cloudfunctions/src/local/seed'
import { statsApi } from '../../src/shared/api/stats'

const P = DEMO.people
let t: TestCloud
const meter = tripMeter(() => t, 'stats', statsApi.actions)

beforeAll(async () => {
  // Monday 2026-11-23 10:00 Shanghai.
  t = await testCloud({ start: '2026-11-23T02:00:00Z', rateLimits: true })
  await seedDemoActivity((openid, fn, action, payload) => t.cloud.call(fn, { action, payload }, openid), t.clock.now())
  // Warm: each role's first call reads the place tree and the community's grids (kept 10 minutes).
  for (const who of [P.staff, P.mediator1, P.street]) expect((await t.call(who, 'stats', 'month', { month: '2026-11' })).ok).toBe(true)
  meter.start()
}, 180_000)
afterAll(() => {
  meter.report()
  return t.close()
})

const measure = (name: string, who: string, action: 'month' | 'ledger') => meter.measure(name, who, action, { month: '2026-11' })

describe('stats: round trips', () => {
  it('month (community staff): every feature’s counters together after the caller', async () =>
    meter.pinned(
      'month (staff)',
      (await measure('month (staff)', P.staff, 'month')).m,
      { sequential: 2, total: 10 },
      'Five features, each read from what it keeps on write, together in the wait after the caller: case_stats (both kinds, one query by id), ' +
        'the staff for the per-person rows, booking_stats and the rooms it divides by, the volunteer month board, and for 物业 the quarter’s sums, ' +
        'violations, complaints and the companies — 9 requests plus the caller’s record.',
    ))
  it('month (grid worker): their grids’ case figures, within the budget', async () => meter.within('month (grid worker)', 'month', (await measure('month (grid worker)', P.mediator1, 'month')).m))
  it('month (street): its communities’ counters', async () =>
    meter.pinned(
      'month (street)',
      (await measure('month (street)', P.street, 'month')).m,
      { sequential: 2, total: 9 },
      'The street’s communities’ counters, each feature’s read once for all of them (by id or by community with `in`), together after the caller: ' +
        'as staff’s without the staff list — 8 requests plus the caller’s record.',
    ))
  it('ledger (community staff): the figures, then the month’s item lists', async () =>
    meter.pinned(
      'ledger (staff)',
      (await measure('ledger (staff)', P.staff, 'ledger')).m,
      { sequential: 4, total: 19 },
      'A write (the file): the caller’s record and rate count, the month’s figures as the page reads them (9), then the item lists each sheet ' +
        'holds, one page per feature (7); the upload goes to storage, then its record for the timer that deletes it a day later (export_files, ' +
        'beside the download link) — four waits, one a month per person at most in practice.',
    ))
})
