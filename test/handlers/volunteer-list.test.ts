/**
 * 志愿活动 list at scale (issue 13): a look reads the stretch of time its phase can match, from the
 * index on start time, never the community's finished activities before it (an activity lasts at
 * most 12 hours, so its end bounds its start).
 */
import { testCloud, type TestCloud } from '../support/cloud'
import { DEMO } from '../../cloudfunctions/src/local/seed'
import type { ActivityDetailT } from '../../src/shared/api/volunteer'
import type { LocalDatabase } from '../../cloudfunctions/src/platform/local/db/database'

const P = DEMO.people
let t: TestCloud
beforeAll(async () => {
  // Monday 2026-11-23 10:00 Shanghai
  t = await testCloud({ start: '2026-11-23T02:00:00Z' })
})
afterAll(() => t.close())

/** Documents the call's queries tested. */
async function tested(who: string, payload: Record<string, unknown>): Promise<{ n: number; titles: string[] }> {
  const db = t.cloud.db as LocalDatabase
  const before = db.scannedDocs
  const page = await t.ok<{ items: Array<{ title: string }> }>(who, 'volunteer', 'list', payload)
  return { n: db.scannedDocs - before, titles: page.items.map((a) => a.title) }
}

it('lists by phase, testing only the activities of the stretch each phase can match', async () => {
  // Saturday 2026-11-28 09:00–12:00 Shanghai.
  const draft = await t.ok<ActivityDetailT>(P.staff, 'volunteer', 'save', {
    title: '湖畔花园垃圾分类督导', category: '环境整治', description: '在垃圾投放点指导居民分类投放。', startAt: '2026-11-28T01:00:00.000Z', endAt: '2026-11-28T04:00:00.000Z',
    signupDeadline: '2026-11-27T12:00:00.000Z', place: '湖畔花园南门', capacity: 30, points: 30, contact: '李秀梅 13800001002',
  })
  await t.ok(P.staff, 'volunteer', 'publish', { id: draft.id, version: draft.version })
  const title = '湖畔花园垃圾分类督导'
  t.clock.set('2026-11-28T02:30:00Z') // 10:30: under way
  expect((await tested(P.resident, {})).titles).toContain(title)
  expect((await tested(P.resident, { phase: 'ongoing' })).titles).toEqual([title])
  expect((await tested(P.resident, { phase: 'finished' })).titles).not.toContain(title)
  // A year on, every activity of the community is over: the default look and 进行中 test none of
  // them (as many documents as for a community without any), 已结束 lists them.
  t.clock.set('2027-11-28T02:30:00Z')
  const none = await tested(P.otherResident, {})
  const now = await tested(P.resident, {})
  expect(now.titles).toEqual([])
  expect(now.n).toBe(none.n)
  expect((await tested(P.resident, { phase: 'ongoing' })).n).toBe((await tested(P.otherResident, { phase: 'ongoing' })).n)
  expect((await tested(P.resident, { phase: 'finished' })).titles).toContain(title)
})
