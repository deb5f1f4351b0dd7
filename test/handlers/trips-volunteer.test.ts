/**
 * Round trips of every `volunteer` action (issue 13, item 2), on a community of realistic size:
 * about 2,300 activities (a year of finished ones, the coming weeks' published ones, drafts) in
 * two communities, some 23,000 sign-ups, 22,000 ledger entries and the totals and month / year
 * boards they add up to, made by 500 residents.
 *
 * Budgets (test/support/trips.ts): a write ≤ 3 sequential waits and ≤ 6 requests, a read ≤ 2 and
 * ≤ 3, the caller's own record that serve() loads included. Measured as production runs: rate
 * limits on, and each call a minute after the last (a person's next call: the minute's counter is
 * new and the instance's cached settings have expired).
 *
 * Each measurement also splits off what this function does not own (test/support/trips-log.ts):
 * requests made by the runtime (rate-limit settings and counters, request claims) and by the
 * shared helpers (settling the notifications and counters a change carries, places by id). The
 * assertion holds the volunteer handlers' own share, with the caller's record, to the budget; the
 * whole is reported (`TRIPS_REPORT=1` prints every call's requests, wait by wait, shared ones
 * marked `*`).
 */
import { testCloud, type TestCloud } from '../support/cloud'
import { tripMeter, verdict, type Measured } from '../support/trips-log'
import { DEMO, demoPlaces } from '../../cloudfunctions/src/local/seed'
import { volunteerApi, type ActivityDetailT } from '../../src/shared/api/volunteer'
import type { UserDoc } from '../../src/shared/domain/user'
import { ACTIVITY_CATEGORIES, creditFor } from '../../src/shared/rules/volunteer'
import { sh } from '../../src/shared/time'
import { snapshotOf, type ActivityDoc, type LedgerDoc, type SignupDoc } from '../../cloudfunctions/src/handlers/volunteer/model'

type Action = keyof typeof volunteerApi.actions
const P = DEMO.people
const C = DEMO.communities.cuihu
const J = DEMO.communities.jinqiao
const HOUR = 3600_000
const DAY = 24 * HOUR

let t: TestCloud

// ---------------------------------------------------------------- the data

async function addAll(collection: string, docs: object[]): Promise<void> {
  for (let i = 0; i < docs.length; i += 1000) await t.cloud.db.collection(collection).add({ data: docs.slice(i, i + 1000) as unknown as Record<string, unknown>[] })
}

async function residents(n: number): Promise<UserDoc[]> {
  const { places } = demoPlaces()
  const units = places.filter((p) => p.kind === 'unit')
  const now = t.clock.now()
  const docs: UserDoc[] = Array.from({ length: n }, (_, i) => {
    const u = units[i % units.length]
    return {
      _id: `trips-vol-${i}`,
      name: `志愿者${i}`,
      phone: `136${String(i).padStart(8, '0')}`,
      roles: i % 10 === 0 ? ['resident', 'party_member'] : ['resident'],
      ...(i % 10 === 0 ? { partyUnit: i % 20 === 0 ? '市自来水有限公司' : '区人民医院' } : {}),
      verified: true,
      address: { streetId: u.streetId, communityId: u.communityId!, estateId: u.estateId!, buildingId: u.buildingId!, unitId: u._id, room: String(4001 + i), gridId: u.gridId ?? null },
      householdId: `${u._id}:${4001 + i}`,
      gridIds: [],
      createdAt: now,
      updatedAt: now,
      version: 1,
    }
  })
  await addAll('users', docs)
  return docs
}

/**
 * A year of finished activities (five a day in 翠湖, one in 金桥), each with 10 credited sign-ups
 * and their ledger entries; the next 40 days' published ones with 8–16 sign-ups (a waitlist where
 * full); a few drafts. The demo volunteer took part in one finished activity a week.
 */
async function seedScale(): Promise<void> {
  const people = await residents(500)
  const byCommunity = new Map<string, UserDoc[]>([
    [C, people.filter((p) => p.address.communityId === C)],
    [J, people.filter((p) => p.address.communityId === J)],
  ])
  const now = t.clock.now()
  const activities: ActivityDoc[] = []
  const signups: SignupDoc[] = []
  const ledger: LedgerDoc[] = []
  const totals = new Map<string, { points: number; hours: number; activities: number }>()
  const boards = new Map<string, Map<string, { points: number; hours: number; activities: number }>>()
  const addTotals = (communityId: string, openid: string, at: Date, points: number, hours: number) => {
    const add = (m: Map<string, { points: number; hours: number; activities: number }>, k: string) => {
      const x = m.get(k) ?? { points: 0, hours: 0, activities: 0 }
      x.points += points
      x.hours += hours
      x.activities += 1
      m.set(k, x)
    }
    add(totals, openid)
    for (const period of [sh(at).format('YYYY-MM'), sh(at).format('YYYY')]) {
      const id = `board:${communityId}:${period}`
      if (!boards.has(id)) boards.set(id, new Map())
      add(boards.get(id)!, openid)
    }
  }
  const names = new Map<string, string>()
  let n = 0
  const activity = (communityId: string, startAt: Date, status: ActivityDoc['status'], capacity: number): ActivityDoc => {
    n++
    return {
      _id: `trips-act-${n}`,
      communityId,
      title: `志愿活动 ${n}`,
      category: ACTIVITY_CATEGORIES[n % ACTIVITY_CATEGORIES.length],
      description: '在垃圾投放点指导居民分类投放。',
      startAt,
      endAt: new Date(startAt.getTime() + 2 * HOUR),
      signupDeadline: new Date(startAt.getTime() - 12 * HOUR),
      place: '党群服务中心',
      address: null,
      location: null,
      capacity,
      taken: 0,
      waiting: 0,
      lastTakeAt: null,
      hours: 2,
      points: 20,
      requirements: '',
      contact: '李秀梅 13800001002',
      status,
      version: 2,
      createdBy: P.staff,
      createdAt: new Date(startAt.getTime() - 10 * DAY),
    }
  }
  const signup = (a: ActivityDoc, who: UserDoc, i: number, state: SignupDoc['state'], credited: boolean): SignupDoc => {
    const checkedInAt = credited ? a.startAt : null
    const checkedOutAt = credited ? a.endAt : null
    const c = credited ? creditFor(a, checkedInAt, checkedOutAt) : null
    return {
      _id: `${a._id}:${who._id}`,
      activityId: a._id,
      communityId: a.communityId,
      openid: who._id,
      name: who.name ?? '志愿者',
      phone: who.phone ?? '13600000000',
      partyUnit: who.partyUnit ?? null,
      state,
      seq: a.createdAt.getTime() * 1000 + i,
      startAt: a.startAt,
      signedAt: a.createdAt,
      cancelledAt: null,
      late: false,
      checkedInAt,
      checkedOutAt,
      hoursOverride: null,
      adjustments: [],
      credited,
      hours: c ? c.hours : null,
      points: c ? c.points : null,
      version: credited ? 3 : 1,
    }
  }
  const volunteer = { _id: P.volunteer, name: '陈静', phone: '13800001006', partyUnit: null } as unknown as UserDoc
  for (let day = -365; day < 0; day++) {
    for (const [communityId, perDay] of [[C, 5], [J, 1]] as const) {
      const pool = byCommunity.get(communityId)!
      for (let k = 0; k < perDay; k++) {
        const a = activity(communityId, new Date(now.getTime() + day * DAY + k * 2 * HOUR), 'published', 20)
        a.creditedAt = new Date(a.endAt.getTime() + 10 * 60_000)
        const who = Array.from({ length: 10 }, (_, i) => pool[(n * 7 + i * 13) % pool.length])
        if (communityId === C && k === 0 && day % 7 === 0) who[0] = volunteer
        for (const [i, p] of who.entries()) {
          const s = signup(a, p, i, 'confirmed', true)
          signups.push(s)
          ledger.push({ _id: `earn:${s._id}`, openid: p._id, communityId, kind: 'earned', points: s.points!, hours: s.hours!, reason: a.title, activityId: a._id, partyUnit: s.partyUnit, at: a.endAt, by: 'system' })
          addTotals(communityId, p._id, a.endAt, s.points!, s.hours!)
        }
        a.taken = who.length
        a.placesLeft = a.capacity - a.taken
        // As the job leaves a finished activity: credited, its sign-ups carrying what a list shows of it, the names kept.
        for (const s of signups.slice(-who.length)) s.activity = snapshotOf(a)
        for (const p of who) names.set(`${communityId}:${p._id}`, p.name ?? '志愿者')
        activities.push(a)
      }
    }
  }
  for (let day = 1; day <= 40; day++) {
    const pool = byCommunity.get(C)!
    for (let k = 0; k < 2; k++) {
      const a = activity(C, new Date(now.getTime() + day * DAY + k * 3 * HOUR), 'published', 10)
      const count = 8 + ((n * 3) % 9)
      for (let i = 0; i < count; i++) signups.push(signup(a, pool[(n * 11 + i * 17) % pool.length], i, i < a.capacity ? 'confirmed' : 'waitlisted', false))
      a.taken = Math.min(count, a.capacity)
      a.placesLeft = a.capacity - a.taken
      a.waiting = Math.max(0, count - a.capacity)
      activities.push(a)
    }
  }
  for (let i = 0; i < 5; i++) activities.push({ ...activity(C, new Date(now.getTime() + (50 + i) * DAY), 'draft', 30), placesLeft: 30 })
  await addAll('activities', activities)
  await addAll('signups', signups)
  await addAll('points_ledger', ledger)
  const sum = (m: Map<string, { points: number; hours: number; activities: number }>) => m
  await addAll('volunteer_totals', [
    ...[...sum(totals).entries()].map(([openid, x]) => ({ _id: `person:${openid}`, openid, ...x })),
    ...[...boards.entries()].map(([id, m]) => {
      const [, communityId, period] = id.split(':')
      return { _id: id, communityId, period, people: Object.fromEntries(m) }
    }),
    ...[C, J].map((communityId) => ({
      _id: `names:${communityId}`,
      communityId,
      names: Object.fromEntries([...names.entries()].filter(([k]) => k.startsWith(`${communityId}:`)).map(([k, v]) => [k.slice(communityId.length + 1), v])),
    })),
  ])
  expect(activities.length).toBeGreaterThan(2200)
  expect(signups.length).toBeGreaterThan(22_000)
  expect(ledger.length).toBeGreaterThan(21_000)
}

/** A published activity starting soon (check-in open now), with the demo volunteer and 11 others signed up. */
async function soon(): Promise<string> {
  const now = t.clock.now()
  const people = (await t.cloud.db.collection<UserDoc>('users').where({ 'address.communityId': C }).limit(40).get()).data.filter((u) => u.name && u.phone && u._id !== P.volunteer).slice(0, 11)
  const a: Partial<ActivityDoc> = {
    _id: 'trips-act-soon',
    communityId: C,
    title: '湖畔花园垃圾分类督导',
    category: '环境整治',
    description: '在垃圾投放点指导居民分类投放。',
    startAt: new Date(now.getTime() + 20 * 60_000),
    endAt: new Date(now.getTime() + 3 * HOUR),
    signupDeadline: new Date(now.getTime() - HOUR),
    place: '湖畔花园南门',
    capacity: 12,
    taken: 12,
    placesLeft: 0,
    waiting: 0,
    hours: 2.7,
    points: 30,
    contact: '李秀梅 13800001002',
    status: 'published',
    version: 2,
    createdBy: P.staff,
    createdAt: new Date(now.getTime() - 5 * DAY),
  }
  await t.cloud.db.collection('activities').add({ data: a as Record<string, unknown> })
  const rows = [{ _id: P.volunteer, name: '陈静', phone: '13800001006' }, ...people].map((p, i) => ({
    _id: `trips-act-soon:${p._id}`,
    activityId: 'trips-act-soon',
    communityId: C,
    openid: p._id,
    name: p.name,
    phone: p.phone,
    partyUnit: null,
    state: 'confirmed',
    seq: i,
    startAt: a.startAt,
    signedAt: a.createdAt,
    cancelledAt: null,
    late: false,
    checkedInAt: null,
    checkedOutAt: null,
    hoursOverride: null,
    adjustments: [],
    credited: false,
    hours: null,
    points: null,
    version: 1,
  }))
  await addAll('signups', rows)
  return 'trips-act-soon'
}

// ---------------------------------------------------------------- measuring

const meter = tripMeter(() => t, 'volunteer', volunteerApi.actions)

beforeAll(async () => {
  t = await testCloud({ start: '2026-11-23T02:00:00Z', rateLimits: true })
  await seedScale()
  const tick = await t.cloud.runTimer('volunteer', 'tick')
  if (!tick.ok) throw new Error(JSON.stringify(tick.error))
  meter.start()
}, 300_000)
afterAll(async () => {
  meter.report()
  await t.close()
})

/** One call as a person's next one (a minute after the last), counted; the answer must be ok. */
const measure = <T = ActivityDetailT,>(name: string, who: string, action: Action, payload: unknown = {}, requestId?: string) => meter.measure<T>(name, who, action, payload, requestId)
/** The action's own share (with the caller's record) keeps its budget, and every query of its own is index-served. */
const within = (name: string, action: Action, m: Measured): void => meter.within(name, action, m)
/** The same, and the whole call too — the runtime's requests (caller's record, rate count) included: what the bench budgets. */
const withinAll = (name: string, action: Action, m: Measured): void => {
  within(name, action, m)
  expect({ name, all: verdict(m, !!volunteerApi.actions[action].read).all, m }).toEqual({ name, all: true, m })
}

/** The next full activity of 翠湖 with a waitlist (one per measurement: each joins it). */
const fullActivities = new Set<string>()
async function nextFull(): Promise<ActivityDoc> {
  const upcoming = (await t.cloud.db.collection<ActivityDoc>('activities').where({ communityId: C, status: 'published', startAt: t.cloud.db.command.gt(t.clock.now()) }).orderBy('startAt', 'asc').limit(100).get()).data
  const full = upcoming.find((a) => a.taken >= a.capacity && a.waiting && !fullActivities.has(a._id))!
  fullActivities.add(full._id)
  return full
}

// ---------------------------------------------------------------- one `it` per action

describe('volunteer: round trips per action at community scale', () => {
  it('list', async () => {
    within('list', 'list', (await measure('list', P.resident, 'list')).m)
    within('list (category)', 'list', (await measure('list (category)', P.resident, 'list', { category: '关爱老人' })).m)
    within('list (search)', 'list', (await measure('list (search)', P.resident, 'list', { q: '志愿' })).m)
    within('list (finished)', 'list', (await measure('list (finished)', P.resident, 'list', { phase: 'finished' })).m)
  })
  it('get', async () => within('get', 'get', (await measure('get', P.volunteer, 'get', { id: 'act-clean' })).m))
  /**
   * Issue 13 counts the whole call (withinAll): the activity is read beside the caller's record;
   * a place is taken by conditional update, then the sign-up written (3 waits, 5 requests); full as
   * read, the sign-up and the waitlist counter's compare-and-set go together, the place in line
   * derived from the counter (2 waits, 5 requests); a first sign-up's name and phone kept on the
   * person's record beside them (one request more).
   */
  it('signUp', async () => {
    const { m, data } = await measure('signUp', P.volunteer, 'signUp', { id: 'act-clean' })
    expect(data.signup?.state).toBe('confirmed')
    withinAll('signUp', 'signUp', m)
  })
  it('signUp (onto the waitlist)', async () => {
    const full = await nextFull()
    const { m, data } = await measure('signUp (waitlist)', P.volunteer, 'signUp', { id: full._id })
    expect(data.signup).toMatchObject({ state: 'waitlisted', position: (full.waiting ?? 0) + 1 })
    withinAll('signUp (waitlist)', 'signUp', m)
    // The place in line the answer derived from the counter is the one every later read counts.
    expect((await t.ok<ActivityDetailT>(P.volunteer, 'volunteer', 'get', { id: full._id })).signup?.position).toBe((full.waiting ?? 0) + 1)
    expect((await t.cloud.db.collection<ActivityDoc>('activities').doc(full._id).get()).data.waiting).toBe((full.waiting ?? 0) + 1)
  })
  it('signUp (onto the waitlist: a first-time volunteer, as the bench measures)', async () => {
    // 刘芳 has never signed up: no sign-up, no totals (created by the first credited hours, not here).
    expect(await t.count('signups', { openid: P.mediator2 })).toBe(0)
    const full = await nextFull()
    const { m, data } = await measure('signUp (waitlist, first-time volunteer)', P.mediator2, 'signUp', { id: full._id })
    expect(data.signup).toMatchObject({ state: 'waitlisted', position: (full.waiting ?? 0) + 1 })
    withinAll('signUp (waitlist, first-time volunteer)', 'signUp', m)
    expect(await t.count('volunteer_totals', { openid: P.mediator2 })).toBe(0)
  })
  it('signUp (onto the waitlist: the first time, with name, phone and consent)', async () => {
    const now = t.clock.now()
    const u = (await t.cloud.db.collection<UserDoc>('users').doc(P.resident2).get()).data
    const { _id, name, phone, ...rest } = u
    void [_id, name, phone]
    await t.cloud.db.collection('users').add({ data: { ...rest, _id: 'trips-vol-first', householdId: `${rest.address.unitId}:9901`, address: { ...rest.address, room: '9901' }, createdAt: now, updatedAt: now } })
    const full = await nextFull()
    const { m, data } = await measure('signUp (waitlist, name and phone)', 'trips-vol-first', 'signUp', { id: full._id, name: '新志愿者', phone: '13600009901', consent: true })
    expect(data.signup).toMatchObject({ state: 'waitlisted', position: (full.waiting ?? 0) + 1 })
    withinAll('signUp (waitlist, name and phone)', 'signUp', m)
    expect((await t.cloud.db.collection<UserDoc>('users').doc('trips-vol-first').get()).data).toMatchObject({ name: '新志愿者', phone: '13600009901' })
  })
  it('cancel', async () => {
    const { m, data } = await measure('cancel', P.volunteer, 'cancel', { id: 'act-clean' })
    expect(data.signup?.state).toBe('cancelled')
    within('cancel', 'cancel', m)
  })
  it('mine', async () => {
    within('mine (upcoming)', 'mine', (await measure('mine (upcoming)', P.volunteer, 'mine')).m)
    within('mine (past)', 'mine', (await measure('mine (past)', P.volunteer, 'mine', { when: 'past' })).m)
  })
  it('profile', async () => within('profile', 'profile', (await measure('profile', P.volunteer, 'profile')).m))
  it('ledger', async () => within('ledger', 'ledger', (await measure('ledger', P.volunteer, 'ledger')).m))
  it('leaderboard', async () => {
    within('leaderboard (month)', 'leaderboard', (await measure('leaderboard (month)', P.resident, 'leaderboard')).m)
    within('leaderboard (year)', 'leaderboard', (await measure('leaderboard (year)', P.resident, 'leaderboard', { period: 'year' })).m)
  })

  let draft: ActivityDetailT
  it('save (create and edit)', async () => {
    const input = {
      title: '湖畔花园垃圾分类督导',
      category: '环境整治',
      description: '在垃圾投放点指导居民分类投放。',
      startAt: '2026-11-28T01:00:00.000Z',
      endAt: '2026-11-28T04:00:00.000Z',
      place: '湖畔花园南门',
      capacity: 30,
      points: 30,
      contact: '李秀梅 13800001002',
    }
    const created = await measure('save (create)', P.staff, 'save', input, 'trips-save-0001')
    within('save (create)', 'save', created.m)
    const edited = await measure('save (edit)', P.staff, 'save', { ...input, id: created.data.id, version: created.data.version, capacity: 40 }, 'trips-save-0002')
    within('save (edit)', 'save', edited.m)
    draft = edited.data
  })
  it('publish', async () => within('publish', 'publish', (await measure('publish', P.staff, 'publish', { id: draft.id, version: draft.version })).m))
  it('roster', async () => within('roster', 'roster', (await measure('roster', P.staff, 'roster', { id: 'trips-act-2200' })).m))
  it('cancelActivity (everyone signed up is told)', async () => {
    const { m, data } = await measure('cancelActivity', P.staff, 'cancelActivity', { id: 'trips-act-2200', version: 2, reason: '天气原因' })
    expect(data.status).toBe('cancelled')
    within('cancelActivity', 'cancelActivity', m)
  })
  it('bonus', async () => within('bonus', 'bonus', (await measure('bonus', P.staff, 'bonus', { openid: P.volunteer, points: 10, reason: '协助组织活动' }, 'trips-bonus-0001')).m))
  it('adjustHours (after crediting: a correction entry)', async () => {
    const past = (await t.cloud.db.collection<SignupDoc>('signups').where({ openid: P.volunteer, state: 'confirmed', credited: true }).limit(1).get()).data[0]
    within('adjustHours', 'adjustHours', (await measure('adjustHours', P.staff, 'adjustHours', { id: past.activityId, openid: P.volunteer, hours: 1.5, reason: '提前离场' })).m)
  })

  /**
   * The export reads the period's whole ledger and the names of everyone in it, a page (1,000
   * entries, 100 people) per request: its cost grows with the period by design (a quarter of a
   * busy community is thousands of entries), so it is bounded by pages rather than by the per-call
   * budget — the caller's record, ⌊entries / 1000⌋ + 1 ledger pages one after another (the last one
   * short, or empty when the one before was full), and ⌈people / 100⌉ name pages read together.
   */
  it('export (bounded by pages)', async () => {
    const { m, data } = await measure<{ people: number }>('export', P.staff, 'export', { from: '2026-09-01', to: '2026-11-30' })
    const from = new Date('2026-08-31T16:00:00Z')
    const to = new Date('2026-11-30T16:00:00Z')
    const entries = await t.count('points_ledger', { communityId: C, at: t.cloud.db.command.gte(from).and(t.cloud.db.command.lt(to)) })
    expect(entries).toBeGreaterThan(1000)
    const ledgerPages = Math.floor(entries / 1000) + 1
    const namePages = Math.ceil(data.people / 100)
    expect(m.own).toEqual({ total: 1 + ledgerPages + namePages, sequential: 1 + ledgerPages + 1 })
  })

  it('qr and check (in and out)', async () => {
    const id = await soon()
    // The environment's QR secret exists (made by the first QR ever shown, a one-off).
    await t.ok(P.staff, 'volunteer', 'qr', { id: 'act-clean' }).catch(() => undefined)
    await t.call(P.staff, 'volunteer', 'qr', { id })
    const qr = await measure<{ code: string }>('qr', P.staff, 'qr', { id })
    within('qr', 'qr', qr.m)
    const checked = await measure('check (in)', P.volunteer, 'check', { mode: 'in', activityId: id, code: qr.data.code })
    expect(checked.data.signup?.checkedInAt).toBeTruthy()
    within('check (in)', 'check', checked.m)
    t.clock.advance(30 * 60_000)
    const code = (await t.ok<{ code: string }>(P.staff, 'volunteer', 'qr', { id })).code
    const out = await measure('check (out)', P.volunteer, 'check', { mode: 'out', activityId: id, code })
    expect(out.data.signup?.checkedOutAt).toBeTruthy()
    within('check (out)', 'check', out.m)
  })

  /**
   * The timer is batch work over everything due (promotions, repairs, crediting, reminders), so
   * its requests grow with what is due: reported, not budgeted per call.
   */
  it('tick (reported, not budgeted)', async () => {
    t.clock.advance(5 * HOUR)
    expect((await meter.timer('tick')).all.total).toBeGreaterThan(0)
  })
})
