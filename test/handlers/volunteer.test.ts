/** 志愿服务活动 through serve() on the local cloud with a fake clock. */
import readXlsxFile, { readSheet } from 'read-excel-file/node'
import { testCloud, type TestCloud } from '../support/cloud'
import { DEMO, demoPlaces } from '../../cloudfunctions/src/local/seed'
import type { ActivityDetailT } from '../../src/shared/api/volunteer'
import type { UserDoc } from '../../src/shared/domain/user'
import { qrFor } from '../../cloudfunctions/src/handlers/volunteer/signup'
import { creditFor } from '../../src/shared/rules/volunteer'
import { recountRanks } from '../../cloudfunctions/src/handlers/volunteer/ranks'
import { coldStart } from '../../cloudfunctions/src/runtime/instance'
import type { LocalDatabase } from '../../cloudfunctions/src/platform/local/db/database'

const P = DEMO.people
const C = DEMO.communities.cuihu
let t: TestCloud
beforeEach(async () => {
  // Monday 2026-11-23 10:00 Shanghai
  t = await testCloud({ start: '2026-11-23T02:00:00Z' })
})
afterEach(() => t.close())

/** Saturday 2026-11-28 09:00–12:00 Shanghai, sign-up until Friday 20:00. */
const activity = {
  title: '湖畔花园垃圾分类督导',
  category: '环境整治',
  description: '在垃圾投放点指导居民分类投放。',
  startAt: '2026-11-28T01:00:00.000Z',
  endAt: '2026-11-28T04:00:00.000Z',
  signupDeadline: '2026-11-27T12:00:00.000Z',
  place: '湖畔花园南门',
  capacity: 30,
  points: 30,
  contact: '李秀梅 13800001002',
}
async function published(extra: Record<string, unknown> = {}): Promise<ActivityDetailT> {
  const draft = await t.ok<ActivityDetailT>(P.staff, 'volunteer', 'save', { ...activity, ...extra })
  return t.ok(P.staff, 'volunteer', 'publish', { id: draft.id, version: draft.version })
}
const signUp = (who: string, id: string, extra: Record<string, unknown> = {}) => t.call<ActivityDetailT>(who, 'volunteer', 'signUp', { id, ...extra })

async function residents(n: number): Promise<string[]> {
  const { places } = demoPlaces()
  const units = places.filter((p) => p.kind === 'unit' && p.communityId === DEMO.communities.cuihu)
  const now = t.clock.now()
  const docs: UserDoc[] = Array.from({ length: n }, (_, i) => {
    const u = units[i % units.length]
    return {
      _id: `vol-${i}`,
      name: `志愿者${i}`,
      phone: `139${String(i).padStart(8, '0')}`,
      roles: i % 10 === 0 ? ['resident', 'party_member'] : ['resident'],
      ...(i % 10 === 0 ? { partyUnit: i % 20 === 0 ? '市自来水有限公司' : '区人民医院' } : {}),
      verified: true,
      address: { streetId: u.streetId, communityId: u.communityId!, estateId: u.estateId!, buildingId: u.buildingId!, unitId: u._id, room: String(101 + i), gridId: u.gridId ?? null },
      householdId: `${u._id}:${101 + i}`,
      gridIds: [],
      createdAt: now,
      updatedAt: now,
      version: 1,
    }
  })
  for (let i = 0; i < docs.length; i += 500) await t.cloud.db.collection('users').add({ data: docs.slice(i, i + 500) as unknown as Record<string, unknown>[] })
  return docs.map((d) => d._id)
}
const tick = async () => {
  const r = await t.cloud.runTimer('volunteer', 'tick')
  if (!r.ok) throw new Error(JSON.stringify(r.error))
  return r.data as { promoted: number; credited: number; reminded: number; recounted: number }
}

describe('browsing', () => {
  it('lists the seeded activities upcoming first, filters by category and phase, searches by keyword', async () => {
    const page = await t.ok(P.resident, 'volunteer', 'list', {})
    expect(page.items.map((a: { title: string }) => a.title)).toEqual(['翠园小区楼道清理', '关爱独居老人上门探访', '文明养犬劝导'])
    expect(page.items[0]).toMatchObject({ phase: 'open', phaseLabel: '可报名', placesLeft: 20, mine: null })
    expect((await t.ok(P.resident, 'volunteer', 'list', { category: '关爱老人' })).items).toHaveLength(1)
    expect((await t.ok(P.resident, 'volunteer', 'list', { q: '养犬' })).items.map((a: { title: string }) => a.title)).toEqual(['文明养犬劝导'])
    expect((await t.ok(P.resident, 'volunteer', 'list', { phase: 'finished' })).items).toEqual([])
    expect((await t.ok(P.otherResident, 'volunteer', 'list', {})).items).toEqual([]) // another community
    // Staff find what they saved but did not publish; nobody else can ask for drafts.
    await t.ok(P.staff, 'volunteer', 'save', activity)
    expect((await t.ok(P.staff, 'volunteer', 'list', { phase: 'draft' })).items.map((a: { title: string; phase: string }) => [a.title, a.phase])).toEqual([['湖畔花园垃圾分类督导', 'draft']])
    expect((await t.ok(P.resident, 'volunteer', 'list', {})).items).toHaveLength(3)
    expect(await t.call(P.resident, 'volunteer', 'list', { phase: 'draft' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })
})

describe('concurrency', () => {
  it('500 sign-ups at once for 30 places: 30 confirmed, 470 waitlisted at positions 1..470; one person 50 times: one sign-up; 5 cancellations promote the first 5 in line once, with two jobs at once', async () => {
    const a = await published()
    const people = await residents(500)
    const results = await Promise.all(people.map((who) => signUp(who, a.id)))
    expect(results.every((r) => r.ok)).toBe(true)
    const states = results.map((r) => (r.ok ? r.data.signup!.state : 'error'))
    expect(states.filter((s) => s === 'confirmed')).toHaveLength(30)
    expect(states.filter((s) => s === 'waitlisted')).toHaveLength(470)
    const roster = (await t.ok(P.staff, 'volunteer', 'roster', { id: a.id })).items
    const waitlist = roster.filter((r: { state: string }) => r.state === 'waitlisted')
    expect(waitlist.map((r: { position: number }) => r.position)).toEqual(Array.from({ length: 470 }, (_, i) => i + 1))
    // The positions each person sees agree with the roster's line.
    const seen = await Promise.all(waitlist.slice(0, 20).map((r: { openid: string }) => t.ok<ActivityDetailT>(r.openid, 'volunteer', 'get', { id: a.id })))
    expect(seen.map((d) => d.signup!.position)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    expect((await t.ok<ActivityDetailT>(P.resident, 'volunteer', 'get', { id: a.id })).taken).toBe(30)

    const same = await Promise.all(Array.from({ length: 50 }, () => signUp(P.resident, a.id)))
    expect(same.every((r) => r.ok && r.data.signup?.state === 'waitlisted')).toBe(true)
    expect(await t.count('signups', { openid: P.resident })).toBe(1)

    const confirmed = roster.filter((r: { state: string }) => r.state === 'confirmed').slice(0, 5)
    for (const r of confirmed) expect((await t.call(r.openid, 'volunteer', 'cancel', { id: a.id })).ok).toBe(true)
    const [x, y] = await Promise.all([tick(), tick()])
    expect(x.promoted + y.promoted).toBe(5)
    const after = (await t.ok(P.staff, 'volunteer', 'roster', { id: a.id })).items
    const promotedIds = waitlist.slice(0, 5).map((r: { openid: string }) => r.openid)
    for (const id of promotedIds) expect(after.find((r: { openid: string }) => r.openid === id).state).toBe('confirmed')
    expect(after.filter((r: { state: string }) => r.state === 'confirmed')).toHaveLength(30)
    expect(after.filter((r: { state: string }) => r.state === 'waitlisted').map((r: { position: number }) => r.position)).toEqual(Array.from({ length: 466 }, (_, i) => i + 1))
    for (const id of promotedIds) expect(await t.count('notifications', { to: id, title: '候补成功，您已报名志愿活动' })).toBe(1)
    expect((await tick()).promoted).toBe(0)
    // The places left moved with every take and give-back: still capacity − taken.
    const stored = (await t.cloud.db.collection('activities').doc(a.id).get()).data
    expect(stored).toMatchObject({ taken: 30, placesLeft: 0, capacity: 30 })
    // The waitlist counter (a sign-up's place in line is read from it) moved with every join, repeat and promotion: exactly the line.
    expect(stored.waiting).toBe(466)
  }, 120_000)

  it('one after another, each joining the waitlist is told its place from the counter; after someone in line leaves, the next is told the right place, as every read counts it', async () => {
    const a = await published({ capacity: 1 })
    const people = await residents(5)
    expect((await signUp(people[0], a.id)).ok && 'confirmed').toBe('confirmed')
    const told: number[] = []
    for (const who of people.slice(1, 4)) {
      const r = await signUp(who, a.id)
      told.push(r.ok ? r.data.signup!.position! : -1)
    }
    expect(told).toEqual([1, 2, 3])
    await t.ok(people[2], 'volunteer', 'cancel', { id: a.id }) // second in line leaves
    const late = await signUp(people[4], a.id)
    expect(late.ok && late.data.signup).toMatchObject({ state: 'waitlisted', position: 3 })
    const seen = await Promise.all([people[1], people[3], people[4]].map((who) => t.ok<ActivityDetailT>(who, 'volunteer', 'get', { id: a.id })))
    expect(seen.map((d) => d.signup!.position)).toEqual([1, 2, 3])
    expect((await t.cloud.db.collection('activities').doc(a.id).get()).data).toMatchObject({ taken: 1, waiting: 3 })
  })

  it('an activity saved before it counted its places left: held to its capacity, then counted by the job', async () => {
    const now = t.clock.now()
    await t.cloud.db.collection('activities').add({
      data: {
        _id: 'act-old', communityId: DEMO.communities.cuihu, title: '旧活动', category: '其他', startAt: new Date(now.getTime() + 3 * 86400_000), endAt: new Date(now.getTime() + 3 * 86400_000 + 7200_000),
        signupDeadline: new Date(now.getTime() + 2 * 86400_000), place: '党群服务中心', capacity: 1, taken: 0, hours: 2, points: 10, contact: '李秀梅', status: 'published', createdBy: P.staff, createdAt: now,
      },
    })
    expect((await t.ok<ActivityDetailT>(P.resident, 'volunteer', 'signUp', { id: 'act-old' })).signup).toMatchObject({ state: 'confirmed' })
    expect((await t.ok<ActivityDetailT>(P.resident2, 'volunteer', 'signUp', { id: 'act-old' })).signup).toMatchObject({ state: 'waitlisted', position: 1 })
    t.clock.advance(3 * 60_000)
    await tick()
    expect((await t.cloud.db.collection('activities').doc('act-old').get()).data).toMatchObject({ taken: 1, placesLeft: 0, waiting: 1 })
    await t.ok(P.resident, 'volunteer', 'cancel', { id: 'act-old' })
    expect((await tick()).promoted).toBe(1)
    expect((await t.cloud.db.collection('activities').doc('act-old').get()).data).toMatchObject({ taken: 1, placesLeft: 0, waiting: 0 })
  })
})

describe('rules with a fake clock', () => {
  it('sign-up deadline, the 2 h cancellation and promotion cut-off', async () => {
    const a = await published({ capacity: 1 })
    await t.ok(P.resident, 'volunteer', 'signUp', { id: a.id })
    const waiting = await t.ok<ActivityDetailT>(P.resident2, 'volunteer', 'signUp', { id: a.id })
    expect(waiting.signup).toMatchObject({ state: 'waitlisted', position: 1 })
    t.clock.set('2026-11-27T23:30:00Z') // 07:30 Shanghai, 1.5 h before the start
    const late = await t.ok<ActivityDetailT>(P.resident, 'volunteer', 'cancel', { id: a.id })
    expect(late.signup).toMatchObject({ state: 'cancelled', late: true })
    expect((await tick()).promoted).toBe(0) // too close to the start to promote
    expect((await t.ok<ActivityDetailT>(P.resident2, 'volunteer', 'get', { id: a.id })).signup!.state).toBe('waitlisted')
    const afterDeadline = await signUp(P.volunteer, a.id)
    expect(afterDeadline).toMatchObject({ ok: false, error: { code: 'PRECONDITION_FAILED', message: '报名已截止' } })
  })

  it('check-in only inside the window, by a fresh genuine QR of this activity or its short code; 60 % and the cap decide the hours', async () => {
    const a = await published()
    const other = await published({ title: '另一个活动' })
    await t.ok(P.resident, 'volunteer', 'signUp', { id: a.id })
    await t.ok(P.resident2, 'volunteer', 'signUp', { id: a.id })
    t.clock.set('2026-11-28T00:00:00Z') // 08:00, an hour before the start
    const early = await t.call(P.staff, 'volunteer', 'qr', { id: a.id })
    expect(!early.ok && early.error.message).toMatch(/30 分钟/)
    t.clock.set('2026-11-28T00:45:00Z') // 08:45
    const q = await t.ok(P.staff, 'volunteer', 'qr', { id: a.id })
    const checked = await t.ok<ActivityDetailT>(P.resident, 'volunteer', 'check', { mode: 'in', token: q.token })
    expect(checked.signup!.checkedInAt).toBe('2026-11-28T00:45:00.000Z')
    expect(checked.can).not.toContain('cancel')
    expect(await t.call(P.resident, 'volunteer', 'cancel', { id: a.id })).toMatchObject({ ok: false, error: { message: '您已签到，不能再取消报名' } })
    // Another activity's QR, a forged one, an old one.
    const qo = await t.ok(P.staff, 'volunteer', 'qr', { id: other.id })
    expect(await t.call(P.resident2, 'volunteer', 'check', { mode: 'in', token: qo.token })).toMatchObject({ ok: false, error: { code: 'PRECONDITION_FAILED', message: expect.stringContaining('没有报名') } })
    const forged = q.token.replace(/.$/, q.token.endsWith('A') ? 'B' : 'A')
    expect(await t.call(P.resident2, 'volunteer', 'check', { mode: 'in', token: forged })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    t.clock.advance(2 * 60_000 + 1)
    expect(await t.call(P.resident2, 'volunteer', 'check', { mode: 'in', token: q.token })).toMatchObject({ ok: false, error: { message: expect.stringContaining('已过期') } })
    const q2 = await t.ok(P.staff, 'volunteer', 'qr', { id: a.id })
    expect(await t.call(P.resident2, 'volunteer', 'check', { mode: 'in', activityId: a.id, code: q.code === q2.code ? '000000' : q.code })).toMatchObject({ ok: false })
    expect((await t.ok<ActivityDetailT>(P.resident2, 'volunteer', 'check', { mode: 'in', activityId: a.id, code: q2.code })).signup!.checkedInAt).not.toBeNull()
    // 孙丽 stays to the end (3 h); 吴敏 leaves at 10:30 (1 h 43 min of 3 h: under 60 %).
    t.clock.set('2026-11-28T02:30:00Z')
    const q3 = await t.ok(P.staff, 'volunteer', 'qr', { id: a.id })
    await t.ok(P.resident2, 'volunteer', 'check', { mode: 'out', token: q3.token })
    t.clock.set('2026-11-28T04:20:00Z')
    const q4 = await t.ok(P.staff, 'volunteer', 'qr', { id: a.id })
    await t.ok(P.resident, 'volunteer', 'check', { mode: 'out', token: q4.token })
    expect((await tick()).credited).toBe(1)
    expect((await t.ok<ActivityDetailT>(P.resident, 'volunteer', 'get', { id: a.id })).signup).toMatchObject({ hours: 3, points: 30 })
    expect((await t.ok<ActivityDetailT>(P.resident2, 'volunteer', 'get', { id: a.id })).signup).toMatchObject({ hours: 0, points: 0 })
  })

  it('the pure credit rule: 60 % of the planned length, capped at it', () => {
    const a = { startAt: new Date('2026-11-28T01:00:00Z'), endAt: new Date('2026-11-28T04:00:00Z'), points: 30 }
    expect(creditFor(a, new Date('2026-11-28T00:30:00Z'), new Date('2026-11-28T05:00:00Z'))).toMatchObject({ qualifies: true, hours: 3, points: 30 })
    expect(creditFor(a, new Date('2026-11-28T01:00:00Z'), new Date('2026-11-28T02:48:00Z'))).toMatchObject({ qualifies: true, hours: 1.8 })
    expect(creditFor(a, new Date('2026-11-28T01:00:00Z'), new Date('2026-11-28T02:47:00Z'))).toMatchObject({ qualifies: false, hours: 0, points: 0 })
    expect(creditFor(a, null, null)).toMatchObject({ qualifies: false })
    expect(creditFor(a, new Date('2026-11-28T02:00:00Z'), null)).toMatchObject({ qualifies: true, hours: 2 }) // no check-out: to the end
  })
})

describe('the ledger', () => {
  it('the balance equals the sum of the entries; a job run twice credits once; the leaderboard equals a from-scratch sum; bonuses only by staff', async () => {
    const a = await published()
    const people = await residents(6)
    for (const who of people) await t.ok(who, 'volunteer', 'signUp', { id: a.id })
    t.clock.set('2026-11-28T01:00:00Z')
    const q = await t.ok(P.staff, 'volunteer', 'qr', { id: a.id })
    for (const who of people) await t.ok(who, 'volunteer', 'check', { mode: 'in', token: q.token })
    t.clock.set('2026-11-28T04:30:00Z')
    await Promise.all([tick(), tick()])
    await tick()
    expect(await t.count('points_ledger', { kind: 'earned' })).toBe(6)
    await t.ok(P.staff, 'volunteer', 'bonus', { openid: people[0], points: 15, reason: '主动组织邻居参与' })
    const denied = await t.call(P.resident, 'volunteer', 'bonus', { openid: people[0], points: 15, reason: '自己加分' })
    expect(!denied.ok && denied.error.code).toBe('FORBIDDEN')
    await t.ok(P.staff, 'volunteer', 'adjustHours', { id: a.id, openid: people[1], hours: 2.5, reason: '提前离开半小时' })
    const entries = (await t.cloud.db.collection<{ openid: string; points: number; hours: number }>('points_ledger').limit(100).get()).data
    for (const who of people) {
      const mine = entries.filter((e) => e.openid === who)
      const profile = await t.ok(who, 'volunteer', 'profile', {})
      expect(profile.points).toBe(mine.reduce((n, e) => n + e.points, 0))
      expect(profile.hours).toBeCloseTo(mine.reduce((n, e) => n + e.hours, 0), 5)
    }
    expect((await t.ok(people[0], 'volunteer', 'profile', {})).points).toBe(45)
    expect((await t.ok(people[1], 'volunteer', 'profile', {})).hours).toBe(2.5)
    const board = await t.ok(P.resident, 'volunteer', 'leaderboard', { period: 'month' })
    const sums = new Map<string, number>()
    for (const e of entries) sums.set(e.openid, (sums.get(e.openid) ?? 0) + e.points)
    expect(board.items[0]).toMatchObject({ rank: 1, name: '志愿者0', points: 45 })
    expect(board.items.map((i: { points: number }) => i.points)).toEqual([...sums.values()].sort((x, y) => y - x))
    const ledger = await t.ok(people[0], 'volunteer', 'ledger', {})
    expect(ledger.items.map((e: { label: string }) => e.label)).toEqual(['奖励积分', '活动积分'])
    // The job copied the finished activity onto its sign-ups (我的志愿's past list reads only them) and kept the names for the boards.
    const past = await t.ok(people[0], 'volunteer', 'mine', { when: 'past' })
    expect(past.items).toEqual([expect.objectContaining({ id: a.id, title: a.title, phase: 'finished', mine: 'confirmed', taken: 6 })])
    expect(await t.count('signups', { activityId: a.id, 'activity.title': a.title })).toBe(6)
    const names = (await t.cloud.db.collection<{ names: Record<string, string> }>('volunteer_totals').doc(`names:${DEMO.communities.cuihu}`).get()).data
    expect(names.names[people[0]]).toBe('志愿者0')
  })

  it('积分榜: the top 50 rows by index (a page costs the page, whatever the number of volunteers), by points then hours, with the caller’s own row; the rows equal a recount of the ledger', async () => {
    const a = await published()
    const people = await residents(60)
    // Three attend (30 points, 3 hours each); everyone else gets a bonus of as many points as their number.
    for (const who of people.slice(0, 3)) await t.ok(who, 'volunteer', 'signUp', { id: a.id })
    t.clock.set('2026-11-28T01:00:00Z')
    const q = await t.ok(P.staff, 'volunteer', 'qr', { id: a.id })
    for (const who of people.slice(0, 3)) await t.ok(who, 'volunteer', 'check', { mode: 'in', token: q.token })
    t.clock.set('2026-11-28T04:30:00Z')
    await tick()
    for (const [i, who] of people.entries()) if (i >= 3) await t.ok(P.staff, 'volunteer', 'bonus', { openid: who, points: i, reason: '积极参与社区服务' })
    // What the rows must be: the period's ledger summed per person, ranked by points, then hours, then a fixed tie-break.
    const sums = await recountRanks({ db: t.cloud.db, _: t.cloud.db.command }, C, '2026-11')
    const ranked = [...sums.entries()].sort(([x, a1], [y, b1]) => b1.points - a1.points || b1.hours - a1.hours || (x < y ? -1 : 1))
    const board = await t.ok(people[59], 'volunteer', 'leaderboard', { period: 'month' })
    expect(board.items).toHaveLength(50)
    expect(board.items.map((r: { rank: number; name: string; points: number; hours: number }) => [r.rank, r.name, r.points, r.hours])).toEqual(
      ranked.slice(0, 50).map(([id, r], i) => [i + 1, `志愿者${id.slice(4)}`, r.points, r.hours]),
    )
    // Tied on 30 points: the three who attended (3 hours) before the bonus of 30.
    expect(board.items.filter((r: { points: number }) => r.points === 30).map((r: { name: string; hours: number }) => [r.name, r.hours])).toEqual([['志愿者0', 3], ['志愿者1', 3], ['志愿者2', 3], ['志愿者30', 0]])
    expect(board.me).toEqual({ rank: 1, points: 59, hours: 0 })
    expect((await t.ok(people[5], 'volunteer', 'leaderboard', { period: 'month' })).me).toEqual({ rank: null, points: 5, hours: 0 }) // below the 50
    expect((await t.ok(P.resident, 'volunteer', 'leaderboard', { period: 'month' })).me).toBeNull()
    expect((await t.ok(people[0], 'volunteer', 'leaderboard', { period: 'year' })).items.slice(0, 3).map((r: { points: number }) => r.points)).toEqual([59, 58, 57])
    // 5,000 more volunteers this month: the board still tests only the rows it shows.
    await t.cloud.db.collection('volunteer_ranks').add({
      data: Array.from({ length: 5000 }, (_v, i) => ({ _id: `${C}:2026-11:bulk-${i}`, communityId: C, period: '2026-11', openid: `bulk-${i}`, name: `居民${i}`, points: 1 + (i % 3), hours: 0 })),
    })
    const db = t.cloud.db as LocalDatabase
    const before = db.scannedDocs
    const again = await t.ok(people[59], 'volunteer', 'leaderboard', { period: 'month' })
    // The 50 rows (and, through the SDK, the caller's record and own row: reads by id it sends as queries).
    expect(db.scannedDocs - before).toBeLessThanOrEqual(50 + 2)
    expect(again.items).toEqual(board.items)
  })

  it('boards kept before the rows existed are copied into them once by the job; later entries move both', async () => {
    const [old, other] = await residents(2)
    await t.cloud.db.collection('volunteer_totals').add({
      data: [
        { _id: `board:${C}:2026-11`, communityId: C, period: '2026-11', people: { [old]: { points: 40, hours: 4, activities: 2 }, [other]: { points: 10, hours: 1, activities: 1 } } },
        { _id: `board:${C}:2026`, communityId: C, period: '2026', people: { [old]: { points: 90, hours: 9, activities: 4 } } },
        { _id: `names:${C}`, communityId: C, names: { [old]: '老志愿者' } },
      ],
    })
    await t.cloud.db.collection('meta').doc('volunteer-ranks').remove().catch(() => undefined)
    coldStart(t.cloud.platform)
    await tick()
    expect((await t.ok(P.resident, 'volunteer', 'leaderboard', {})).items).toEqual([
      { rank: 1, name: '老志愿者', points: 40, hours: 4 },
      { rank: 2, name: '志愿者1', points: 10, hours: 1 },
    ])
    expect((await t.ok(P.resident, 'volunteer', 'leaderboard', { period: 'year' })).items).toEqual([{ rank: 1, name: '老志愿者', points: 90, hours: 9 }])
    await t.ok(P.staff, 'volunteer', 'bonus', { openid: other, points: 35, reason: '组织邻里互助' })
    await tick() // copied once: the job does not copy the board over the rows again
    expect(await t.ok(other, 'volunteer', 'leaderboard', {})).toMatchObject({ items: [{ rank: 1, name: '志愿者1', points: 45, hours: 1 }, { rank: 2, points: 40 }], me: { rank: 1, points: 45, hours: 1 } })
    expect((await t.cloud.db.collection<{ people: Record<string, { points: number }> }>('volunteer_totals').doc(`board:${C}:2026-11`).get()).data.people[other].points).toBe(45)
  })

  it('exports a period as .xlsx: per person and per 双报到 unit, with totals', async () => {
    const a = await published()
    const people = await residents(21)
    for (const who of people) await t.ok(who, 'volunteer', 'signUp', { id: a.id })
    t.clock.set('2026-11-28T01:00:00Z')
    const q = await t.ok(P.staff, 'volunteer', 'qr', { id: a.id })
    for (const who of people) await t.ok(who, 'volunteer', 'check', { mode: 'in', token: q.token })
    t.clock.set('2026-11-28T05:00:00Z')
    await tick()
    const out = await t.ok(P.staff, 'volunteer', 'export', { from: '2026-11-01', to: '2026-11-30' })
    expect(out).toMatchObject({ fileName: '志愿服务工时积分_2026-11-01_2026-11-30.xlsx', people: 21, units: 2 })
    const file = Buffer.from(out.base64, 'base64')
    const sheets = await readXlsxFile(file)
    expect(sheets.map((s) => s.sheet)).toEqual(['志愿者工时积分', '双报到单位'])
    const rows = await readSheet(file, '志愿者工时积分')
    expect(rows[0]).toEqual(['姓名', '报到单位', '参加活动（次）', '服务工时（小时）', '积分'])
    expect(rows).toHaveLength(1 + 21 + 1)
    expect(rows[rows.length - 1]).toEqual(['合计', null, 21, 63, 630])
    const units = await readSheet(file, '双报到单位')
    expect(units[0]).toEqual(['报到单位', '在职党员（人）', '服务工时（小时）', '积分'])
    expect(units.slice(1, 3).map((r) => r[0]).sort()).toEqual(['区人民医院', '市自来水有限公司'])
    expect(units[units.length - 1]).toEqual(['合计', 3, 9, 90])
  })
})

describe('bad input: a clear Chinese error and nothing written', () => {
  it.each([
    ['capacity 0', { capacity: 0 }, 'capacity', /名额至少为 1/],
    ['negative capacity', { capacity: -5 }, 'capacity', /名额至少为 1/],
    ['an end before the start', { endAt: '2026-11-28T00:00:00.000Z' }, 'endAt', /结束时间应晚于开始时间/],
  ])('creating an activity with %s', async (_l, extra, path, msg) => {
    const r = await t.call(P.staff, 'volunteer', 'save', { ...activity, ...extra })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.issues?.find((i) => i.path === path)?.message).toMatch(msg)
    expect(await t.count('activities')).toBe(3)
  })

  it('signing up after the deadline or to a cancelled activity, checking in without a sign-up, a bonus by a resident', async () => {
    const a = await published()
    await t.ok(P.staff, 'volunteer', 'cancelActivity', { id: a.id, version: a.version, reason: '天气原因' })
    expect(await signUp(P.resident, a.id)).toMatchObject({ ok: false, error: { code: 'PRECONDITION_FAILED', message: '活动已取消' } })
    const b = await published()
    t.clock.set('2026-11-28T00:50:00Z')
    expect(await signUp(P.resident, b.id)).toMatchObject({ ok: false, error: { message: '报名已截止' } })
    const q = await t.ok(P.staff, 'volunteer', 'qr', { id: b.id })
    expect(await t.call(P.resident, 'volunteer', 'check', { mode: 'in', token: q.token })).toMatchObject({ ok: false, error: { message: expect.stringContaining('没有报名') } })
    expect(await t.call(P.resident, 'volunteer', 'bonus', { openid: P.resident, points: 5, reason: '自己加分' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await t.count('signups')).toBe(0)
    expect(await t.count('points_ledger')).toBe(0)
  })

  it('a first sign-up needs a real name, a phone and consent', async () => {
    await t.cloud.db.collection('users').doc(P.unverified).update({ data: { name: t.cloud.db.command.remove(), phone: t.cloud.db.command.remove() } })
    const r = await signUp(P.unverified, 'act-clean')
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: 'name' }, { path: 'phone' }] } })
    const noConsent = await signUp(P.unverified, 'act-clean', { name: '黄海', phone: '13800001010' })
    expect(!noConsent.ok && noConsent.error.issues?.[0].path).toBe('consent')
    expect(await t.count('signups')).toBe(0)
    expect((await signUp(P.unverified, 'act-clean', { name: '黄海', phone: '13800001010', consent: true })).ok).toBe(true)
  })

  it('creating an activity and awarding a bonus are idempotent: a retried request answers the first result', async () => {
    const first = await t.call<ActivityDetailT>(P.staff, 'volunteer', 'save', activity, 'req-save-0001')
    const again = await t.call<ActivityDetailT>(P.staff, 'volunteer', 'save', activity, 'req-save-0001')
    expect(first.ok && again.ok && again.data.id === first.data.id).toBe(true)
    expect(await t.count('activities')).toBe(4)
    await t.call(P.staff, 'volunteer', 'bonus', { openid: P.resident, points: 5, reason: '帮忙' }, 'req-bonus-001')
    await t.call(P.staff, 'volunteer', 'bonus', { openid: P.resident, points: 5, reason: '帮忙' }, 'req-bonus-001')
    expect(await t.count('points_ledger')).toBe(1)
  })

  it('the short code is the QR’s own: qrFor is deterministic per activity and minute', () => {
    const key = Buffer.alloc(32, 7)
    expect(qrFor(key, 'a1', 100)).toEqual(qrFor(key, 'a1', 100))
    expect(qrFor(key, 'a1', 100).code).not.toEqual(qrFor(key, 'a1', 101).code)
    expect(qrFor(key, 'a1', 100).token).not.toEqual(qrFor(key, 'a2', 100).token)
  })
})
