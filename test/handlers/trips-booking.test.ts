/**
 * Round trips of every `booking` action (issue 13, item 2), on a community of realistic size:
 * about 3,900 bookings over the past six months and the next two weeks in four rooms of two
 * communities (with their ~5,000 slot claims, week quota places and check-in codes), 400
 * residents who made them, blackouts and saved settings.
 *
 * Budgets (test/support/trips.ts): a write ≤ 3 sequential waits and ≤ 6 requests, a read ≤ 2 and
 * ≤ 3, the caller's own record that serve() loads included. Measured as production runs: rate
 * limits on, and each call a minute after the last (a person's next call: the minute's counter is
 * new and the instance's cached settings have expired).
 *
 * Each measurement also splits off what this function does not own (test/support/trips-log.ts):
 * requests made by the runtime (rate-limit settings and counters, request claims) and by the
 * shared helpers (settling the notifications a change carries). The assertion holds the booking
 * handlers' own share, with the caller's record, to the budget; the whole is reported
 * (`TRIPS_REPORT=1` prints every call's requests, wait by wait, shared ones marked `*`).
 */
import { testCloud, type TestCloud } from '../support/cloud'
import { tripMeter, type Measured } from '../support/trips-log'
import { DEMO, demoPlaces } from '../../cloudfunctions/src/local/seed'
import { bookingApi, type BookingDetailT } from '../../src/shared/api/booking'
import type { UserDoc } from '../../src/shared/domain/user'
import { CLAIM_UNIT_MINUTES, LIVE_STATUSES, QUOTA_STATUSES, bookingWeek, claimId, claimUnits, quotaId, type BookingStatus } from '../../src/shared/rules/booking'
import { addDays, atShanghai } from '../../src/shared/time'
import type { BookingDoc, ClaimDoc, CodeDoc, QuotaDoc } from '../../cloudfunctions/src/handlers/booking/model'

type Action = keyof typeof bookingApi.actions
const P = DEMO.people
const C = DEMO.communities.cuihu
const TODAY = '2026-11-23' // a Monday; the clock starts at 10:00 Shanghai

let t: TestCloud

// ---------------------------------------------------------------- the data

/** Residents who made the bulk bookings. */
async function residents(n: number): Promise<string[]> {
  const { places } = demoPlaces()
  const units = places.filter((p) => p.kind === 'unit' && p.communityId === C)
  const now = t.clock.now()
  const docs: UserDoc[] = Array.from({ length: n }, (_, i) => {
    const u = units[i % units.length]
    const room = String(3001 + i)
    return {
      _id: `trips-res-${i}`,
      name: `居民${i}`,
      phone: `137${String(i).padStart(8, '0')}`,
      roles: ['resident'],
      verified: true,
      address: { streetId: u.streetId, communityId: C, estateId: u.estateId!, buildingId: u.buildingId!, unitId: u._id, room, gridId: u.gridId ?? null },
      householdId: `${u._id}:${room}`,
      gridIds: [],
      createdAt: now,
      updatedAt: now,
      version: 1,
    }
  })
  await addAll('users', docs)
  return docs.map((d) => d._id)
}

async function addAll(collection: string, docs: object[]): Promise<void> {
  for (let i = 0; i < docs.length; i += 1000) await t.cloud.db.collection(collection).add({ data: docs.slice(i, i + 1000) as unknown as Record<string, unknown>[] })
}

const ROOMS: Array<{ id: string; name: string; communityId: string; location: string }> = [
  { id: 'room-duogong', name: '多功能活动室', communityId: C, location: '党群服务中心一楼' },
  { id: 'room-huiyi', name: '议事会议室', communityId: C, location: '党群服务中心二楼 201' },
  { id: 'room-shuhua', name: '书画室', communityId: C, location: '党群服务中心二楼 203' },
  { id: 'room-jq-huodong', name: '金桥活动室', communityId: DEMO.communities.jinqiao, location: '金桥社区服务站' },
]

/**
 * Bookings from 180 days ago to 13 days ahead, five an afternoon (13:00–18:00, one hour each) in
 * every room, with the claims, quota places and codes their statuses hold — the mornings and
 * 12:00–13:00 stay free for the measured calls. A fifth of the people's past bookings are the
 * demo resident's own (their list has a history).
 */
async function seedScale(): Promise<void> {
  const people = await residents(400)
  const bookings: BookingDoc[] = []
  const claims: ClaimDoc[] = []
  const quota: QuotaDoc[] = []
  const codes: CodeDoc[] = []
  const quotaTaken = new Map<string, number>()
  let n = 0
  for (let day = -180; day <= 13; day++) {
    const date = addDays(TODAY, day)
    for (const room of ROOMS) {
      for (let h = 13; h < 18; h++) {
        n++
        const start = h * 60
        const end = start + 60
        const past = day < 0
        const status: BookingStatus = past ? (['completed', 'completed', 'completed', 'cancelled', 'no_show'] as const)[n % 5] : room.id === 'room-duogong' && n % 2 ? 'pending' : 'confirmed'
        // The demo resident's history: past bookings only, never a no-show (no suspension).
        const owner = past && n % 5 === 0 && status !== 'no_show' && room.communityId === C ? P.resident : people[n % people.length]
        const startAt = atShanghai(date, start)
        const id = `trips-bk-${n}`
        const week = bookingWeek(date)
        const holdsSlots = status !== 'cancelled' && status !== 'no_show'
        const claimIds = claimUnits(start, end).map((m) => claimId(room.id, date, m))
        let q = ''
        if (QUOTA_STATUSES.includes(status)) {
          const k = `${owner}:${week}`
          const next = (quotaTaken.get(k) ?? 0) + 1
          quotaTaken.set(k, next)
          q = quotaId(owner, week, next)
          quota.push({ _id: q, bookingId: id, openid: owner, week, n: next, at: startAt, bound: true })
        }
        const code = String(100000 + n)
        if (status === 'pending' || status === 'confirmed') codes.push({ _id: code, bookingId: id, communityId: room.communityId, at: startAt, bound: true })
        if (holdsSlots) {
          for (const [i, m] of claimUnits(start, end).entries()) {
            claims.push({ _id: claimIds[i], bookingId: id, roomId: room.id, communityId: room.communityId, date, minute: m, openid: owner, at: startAt, bound: true })
          }
        }
        const createdAt = new Date(startAt.getTime() - 3 * 24 * 3600_000)
        bookings.push({
          _id: id,
          communityId: room.communityId,
          roomId: room.id,
          roomName: room.name,
          ownerId: owner,
          ownerName: owner === P.resident ? '孙丽' : `居民${n % people.length}`,
          contactName: '联系人',
          contactPhone: '13900000000',
          organisation: null,
          purpose: '楼栋议事',
          attendees: 8,
          date,
          start,
          end,
          startAt,
          endAt: atShanghai(date, end),
          week,
          claimIds,
          quotaId: q,
          checkCode: code,
          status,
          version: past ? 3 : 1,
          remindAt: new Date(startAt.getTime() - 60 * 60_000),
          reminded: past,
          noShowAt: new Date(startAt.getTime() + 15 * 60_000),
          cancelBy: new Date(startAt.getTime() - 60 * 60_000),
          checkInFrom: new Date(startAt.getTime() - 15 * 60_000),
          roomLocation: room.location,
          rejectReason: null,
          cancelReason: status === 'cancelled' ? '预约人取消' : null,
          checkedInAt: status === 'completed' ? startAt : null,
          checkedInBy: status === 'completed' ? 'self' : null,
          createdAt,
          updatedAt: createdAt,
          timeline: [{ at: createdAt, by: owner, byName: '居民', action: 'book', from: null, to: past ? 'confirmed' : status, note: null }],
        })
      }
    }
  }
  expect(claims.length).toBeGreaterThan(4000)
  expect(claims.every((c) => c.minute % CLAIM_UNIT_MINUTES === 0)).toBe(true)
  expect(bookings.filter((b) => LIVE_STATUSES.includes(b.status)).length).toBeGreaterThan(100)
  await addAll('bookings', bookings)
  await addAll('slot_claims', claims)
  await addAll('booking_quota', quota)
  await addAll('booking_codes', codes)
}

// ---------------------------------------------------------------- measuring

const meter = tripMeter(() => t, 'booking', bookingApi.actions)

beforeAll(async () => {
  t = await testCloud({ start: '2026-11-23T02:00:00Z', rateLimits: true })
  await seedScale()
  // What a community has set up: its numbers, and a few blocked dates (one for every room).
  await t.ok(P.admin, 'booking', 'saveSettings', { maxPerWeek: 5 })
  await t.ok(P.staff, 'booking', 'block', { roomId: 'room-huiyi', date: addDays(TODAY, 3), reason: '区里检查，会议室征用' })
  await t.ok(P.staff, 'booking', 'block', { date: addDays(TODAY, 4), start: '09:00', end: '11:00', reason: '党员活动日' })
  await t.ok(P.staff, 'booking', 'block', { roomId: 'room-shuhua', date: addDays(TODAY, 9), reason: '设备维修' })
  const tick = await t.cloud.runTimer('booking', 'tick')
  if (!tick.ok) throw new Error(JSON.stringify(tick.error))
  meter.start()
}, 300_000)
afterAll(async () => {
  meter.report()
  await t.close()
})

/** One call as a person's next one (a minute after the last), counted; the answer must be ok. */
const measure = <T = BookingDetailT,>(name: string, who: string, action: Action, payload: unknown = {}, requestId?: string) => meter.measure<T>(name, who, action, payload, requestId)
/** The action's own share (with the caller's record) keeps its budget, and every query of its own is index-served. */
const within = (name: string, action: Action, m: Measured): void => meter.within(name, action, m)

/** Set up through the API (not counted). */
const book = (who: string, payload: Record<string, unknown>) =>
  t.ok<BookingDetailT>(who, 'booking', 'book', { purpose: '楼栋议事', attendees: 8, contactName: '孙丽', contactPhone: '13800001008', ...payload })

// ---------------------------------------------------------------- one `it` per action

describe('booking: round trips per action at community scale', () => {
  it('rooms', async () => within('rooms', 'rooms', (await measure('rooms', P.resident, 'rooms')).m))
  it('room', async () => within('room', 'room', (await measure('room', P.resident, 'room', { id: 'room-huiyi' })).m))

  let mineBooking: BookingDetailT
  it('book', async () => {
    const { m, data } = await measure('book', P.resident, 'book', { roomId: 'room-huiyi', date: addDays(TODAY, 1), startSlot: '09:00', slotCount: 2, purpose: '3栋楼栋议事会', attendees: 8, contactName: '孙丽', contactPhone: '13800001008' }, 'trips-book-0001')
    expect(data.status).toBe('confirmed')
    mineBooking = data
    within('book', 'book', m)
  })
  it('book (needs approval: staff are told)', async () => {
    const { m, data } = await measure('book (approval)', P.resident2, 'book', { roomId: 'room-duogong', date: addDays(TODAY, 2), startSlot: '09:00', slotCount: 2, purpose: '舞蹈排练', attendees: 20, contactName: '吴敏', contactPhone: '13800001009' }, 'trips-book-0002')
    expect(data.status).toBe('pending')
    within('book (approval)', 'book', m)
  })
  /**
   * Not the main path: a person's second booking in one week finds the first week-quota place
   * taken (by their first booking) and claims the next one, one wait more. Which place is free is
   * known only by trying — a place is a record by deterministic id, so the week's limit holds
   * under any concurrency and a place given back is never counted twice — so the wait is kept.
   */
  it('book (second in the week: one wait more for the next quota place)', async () => {
    const { m, data } = await measure('book (second in week)', P.resident, 'book', { roomId: 'room-shuhua', date: addDays(TODAY, 3), startSlot: '09:00', slotCount: 2, purpose: '书法练习', attendees: 6, contactName: '孙丽', contactPhone: '13800001008' }, 'trips-book-0003')
    expect(data.status).toBe('confirmed')
    expect(m.own).toEqual({ total: 7, sequential: 4 })
  })
  it('mine', async () => within('mine', 'mine', (await measure('mine', P.resident, 'mine')).m))
  it('get', async () => within('get', 'get', (await measure('get', P.resident, 'get', { id: mineBooking.id })).m))
  it('cancel', async () => {
    const { m, data } = await measure('cancel', P.resident, 'cancel', { id: mineBooking.id, version: mineBooking.version, reason: '活动改期' })
    expect(data.status).toBe('cancelled')
    within('cancel', 'cancel', m)
  })

  it('pending', async () => within('pending', 'pending', (await measure('pending', P.staff, 'pending')).m))
  it('approve', async () => {
    const b = await book(P.resident2, { roomId: 'room-duogong', date: addDays(TODAY, 5), startSlot: '09:00', slotCount: 2, contactName: '吴敏' })
    const { m, data } = await measure('approve', P.staff, 'approve', { id: b.id, version: b.version })
    expect(data.status).toBe('confirmed')
    within('approve', 'approve', m)
  })
  it('reject', async () => {
    const b = await book(P.resident2, { roomId: 'room-duogong', date: addDays(TODAY, 6), startSlot: '09:00', slotCount: 2, contactName: '吴敏' })
    const { m, data } = await measure('reject', P.staff, 'reject', { id: b.id, version: b.version, reason: '当天已安排社区活动' })
    expect(data.status).toBe('rejected')
    within('reject', 'reject', m)
  })
  it('staffCancel', async () => {
    const b = await book(P.resident2, { roomId: 'room-shuhua', date: addDays(TODAY, 2), startSlot: '10:00', slotCount: 2, contactName: '吴敏' })
    const { m, data } = await measure('staffCancel', P.staff, 'staffCancel', { id: b.id, version: b.version, reason: '书画室临时维修' })
    expect(data.status).toBe('cancelled')
    within('staffCancel', 'staffCancel', m)
  })

  it('saveRoom (create and edit)', async () => {
    const hours = [null, ...Array(5).fill({ open: '09:00', close: '18:00' }), { open: '09:00', close: '12:00' }]
    const created = await measure<{ id: string; version: number }>('saveRoom (create)', P.staff, 'saveRoom', { name: '舞蹈室', capacity: 20, facilities: ['镜子', '音响'], openHours: hours, needsApproval: false, location: '三楼' })
    within('saveRoom (create)', 'saveRoom', created.m)
    const edited = await measure('saveRoom (edit)', P.staff, 'saveRoom', { id: created.data.id, version: created.data.version, name: '舞蹈室', capacity: 25, openHours: hours })
    within('saveRoom (edit)', 'saveRoom', edited.m)
  })

  let blackoutId = ''
  it('block', async () => {
    const { m, data } = await measure<{ blackout: { id: string }; affected: unknown[] }>('block', P.staff, 'block', { roomId: 'room-duogong', date: addDays(TODAY, 1), reason: '区里检查' })
    expect(data.affected.length).toBeGreaterThan(0)
    blackoutId = data.blackout.id
    within('block', 'block', m)
  })
  it('blackouts', async () => within('blackouts', 'blackouts', (await measure('blackouts', P.staff, 'blackouts')).m))
  it('unblock', async () => within('unblock', 'unblock', (await measure('unblock', P.staff, 'unblock', { id: blackoutId })).m))
  it('calendar', async () => {
    within('calendar (day)', 'calendar', (await measure('calendar (day)', P.staff, 'calendar', { date: addDays(TODAY, 1) })).m)
    within('calendar (week)', 'calendar', (await measure('calendar (week)', P.staff, 'calendar', { date: addDays(TODAY, 7), span: 'week' })).m)
  })
  it('settings', async () => within('settings', 'settings', (await measure('settings', P.staff, 'settings')).m))
  it('saveSettings', async () => within('saveSettings', 'saveSettings', (await measure('saveSettings', P.admin, 'saveSettings', { maxPerWeek: 4, cancelBeforeMinutes: 90 })).m))

  // Inside the check-in window of today's 12:30 bookings (made now, at least 2 h ahead).
  it('checkIn and verify', async () => {
    const own = await book(P.resident, { roomId: 'room-huiyi', date: TODAY, startSlot: '12:30', slotCount: 1 })
    const other = await book(P.resident2, { roomId: 'room-shuhua', date: TODAY, startSlot: '12:30', slotCount: 1, contactName: '吴敏' })
    t.clock.set('2026-11-23T12:20:00+08:00')
    const checked = await measure('checkIn', P.resident, 'checkIn', { id: own.id, version: own.version })
    expect(checked.data.status).toBe('checked_in')
    within('checkIn', 'checkIn', checked.m)
    const verified = await measure('verify', P.staff, 'verify', { code: other.checkCode, bookingId: other.id })
    expect(verified.data.status).toBe('checked_in')
    within('verify', 'verify', verified.m)
  })

  /**
   * The timer is batch work over everything due, so its requests grow with what is due and are
   * reported, not budgeted per call: here it releases the 12:30 no-shows, reminds, completes and
   * sweeps over the whole data set.
   */
  it('tick (reported, not budgeted)', async () => {
    t.clock.set('2026-11-23T13:30:00+08:00')
    expect((await meter.timer('tick')).all.total).toBeGreaterThan(0)
  })
})
