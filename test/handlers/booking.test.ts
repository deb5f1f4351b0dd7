/** 场地预约 through serve() on the local cloud with a fake clock. */
import { testCloud, type TestCloud } from '../support/cloud'
import { DEMO, demoPlaces } from '../../cloudfunctions/src/local/seed'
import type { BookingDetailT, RoomDetailT } from '../../src/shared/api/booking'
import type { Envelope } from '../../src/shared/errors'
import { SLOT_TAKEN } from '../../cloudfunctions/src/handlers/booking/book'
import type { UserDoc } from '../../src/shared/domain/user'

const P = DEMO.people
let t: TestCloud
beforeEach(async () => {
  // Monday 2026-11-23 10:00 Shanghai
  t = await testCloud({ start: '2026-11-23T02:00:00Z' })
})
afterEach(() => t.close())

/** A Shanghai wall-clock time. */
const sh = (s: string) => `${s}+08:00`

const base = {
  roomId: 'room-huiyi', // 议事会议室: residents, no approval, 12 people, Mon–Sat 08:30–17:30
  date: '2026-11-24',
  startSlot: '09:00',
  slotCount: 2,
  purpose: '3栋楼栋议事会',
  attendees: 8,
  contactName: '孙丽',
  contactPhone: '13800001008',
}
const book = (who: string, extra: Record<string, unknown> = {}, requestId?: string) =>
  t.call<BookingDetailT>(who, 'booking', 'book', { ...base, ...extra }, requestId)
async function booked(who: string, extra: Record<string, unknown> = {}): Promise<BookingDetailT> {
  const r = await book(who, extra)
  if (!r.ok) throw new Error(JSON.stringify(r.error))
  return r.data
}
async function tick(): Promise<{ ok: true; data: Record<string, number> }> {
  const r = (await t.cloud.runTimer('booking', 'tick')) as Envelope<Record<string, number>>
  if (!r.ok) throw new Error(JSON.stringify(r.error))
  return r
}
const slotState = (room: RoomDetailT, date: string, id: string) => room.days.find((d) => d.date === date)!.slots.find((s) => s.id === id)!.state

const COLLECTIONS = ['bookings', 'slot_claims', 'booking_quota', 'booking_codes', 'notifications']
async function counts(): Promise<Record<string, number>> {
  return Object.fromEntries(await Promise.all(COLLECTIONS.map(async (c) => [c, await t.count(c)] as const)))
}

/** Verified residents of 翠湖社区, inserted directly like the seed does. */
async function residents(n: number): Promise<string[]> {
  const { places } = demoPlaces()
  const units = places.filter((p) => p.kind === 'unit' && p.communityId === DEMO.communities.cuihu)
  const now = t.clock.now()
  const docs: UserDoc[] = Array.from({ length: n }, (_, i) => {
    const u = units[i % units.length]
    const room = String(101 + i)
    return {
      _id: `load-res-${i}`,
      name: `居民${i}`,
      phone: `139${String(i).padStart(8, '0')}`,
      roles: ['resident'],
      verified: true,
      verifiedBy: P.staff,
      verifiedAt: now,
      address: { streetId: u.streetId, communityId: u.communityId!, estateId: u.estateId!, buildingId: u.buildingId!, unitId: u._id, room, gridId: u.gridId ?? null },
      householdId: `${u._id}:${room}`,
      gridIds: [],
      createdAt: now,
      updatedAt: now,
      version: 1,
    }
  })
  await t.cloud.db.collection('users').add({ data: docs as unknown as Record<string, unknown>[] })
  return docs.map((d) => d._id)
}

describe('rooms', () => {
  it('lists the rooms of the caller’s community with capacity, facilities and opening hours', async () => {
    const page = await t.ok(P.resident, 'booking', 'rooms', {})
    expect(page.items.map((r: { name: string }) => r.name)).toEqual(['多功能活动室', '议事会议室', '书画室'])
    expect(page.items[1]).toMatchObject({ capacity: 12, facilities: ['白板', '电视屏', '空调'], openText: '周一至周六 08:30–17:30；周日 不开放', needsApproval: false })
    const other = await t.ok(P.otherResident, 'booking', 'rooms', {})
    expect(other.items.map((r: { name: string }) => r.name)).toEqual(['金桥活动室'])
  })

  it('shows 14 days of slots: free, taken, closed and past', async () => {
    await booked(P.resident2, { startSlot: '14:00', date: '2026-11-23', contactName: '吴敏' })
    const room: RoomDetailT = await t.ok(P.resident, 'booking', 'room', { id: 'room-huiyi' })
    expect(room.days).toHaveLength(14)
    expect(room.days[0]).toMatchObject({ date: '2026-11-23', label: '今天', weekday: '周一' })
    expect(slotState(room, '2026-11-23', '11:30')).toBe('past') // inside the 2 h notice
    expect(slotState(room, '2026-11-23', '12:00')).toBe('free')
    expect(slotState(room, '2026-11-23', '14:30')).toBe('taken')
    expect(room.days.find((d) => d.date === '2026-11-29')).toMatchObject({ closed: true, note: '不开放', slots: [] }) // Sunday
    expect(room.cannotBook).toBeNull()
    const unverified: RoomDetailT = await t.ok(P.unverified, 'booking', 'room', { id: 'room-duogong' })
    expect(unverified.cannotBook).toMatch(/已认证住址/)
  })
})

describe('the whole flow', () => {
  it('book two slots → 待审核 → staff approves → 已确认 → self check-in in the window → 已完成 by tick', async () => {
    const b = await booked(P.resident, { roomId: 'room-duogong', attendees: 30 })
    expect(b).toMatchObject({ status: 'pending', statusLabel: '待审核', start: '09:00', end: '10:00', timeText: '11月24日 周二 09:00–10:00', viewerRole: 'owner' })
    expect(b.checkCode).toBeNull() // 待审核: no code to show until it is approved
    expect(await t.count('slot_claims', { bookingId: b.id })).toBe(2)
    // Staff were told, and see it in the queue with the contact.
    expect((await t.ok(P.staff, 'inbox', 'unread')).count).toBe(1)
    const queue = await t.ok(P.staff, 'booking', 'pending', {})
    expect(queue.items).toEqual([expect.objectContaining({ id: b.id, contactPhone: '13800001008' })])
    const staffView = await t.ok(P.staff, 'booking', 'get', { id: b.id })
    expect(staffView.checkCode).toBeNull() // only the booker sees the code
    expect(staffView.can).toEqual(['approve', 'reject', 'staffCancel'])

    const approved = await t.ok(P.staff, 'booking', 'approve', { id: b.id, version: b.version })
    expect(approved.status).toBe('confirmed')
    expect((await t.ok(P.resident, 'booking', 'get', { id: b.id })).checkCode).toMatch(/^\d{6}$/)
    const told = await t.cloud.db.collection('outbox').where({ kind: 'subscribe', touser: P.resident, template: 'booking_result' }).get()
    expect(told.data).toHaveLength(1)

    t.clock.set(sh('2026-11-24T08:44:00'))
    const early = await t.call(P.resident, 'booking', 'checkIn', { id: b.id })
    expect(!early.ok && early.error).toMatchObject({ code: 'PRECONDITION_FAILED', message: '签到将于 11月24日 08:45 开放（开始前 15 分钟）' })
    t.clock.set(sh('2026-11-24T08:50:00'))
    const mine = await t.ok(P.resident, 'booking', 'get', { id: b.id })
    expect(mine.can).toEqual(['checkIn']) // inside 1 h: no longer cancellable by the resident
    const checked = await t.ok(P.resident, 'booking', 'checkIn', { id: b.id })
    expect(checked).toMatchObject({ status: 'checked_in', statusLabel: '已签到', checkCode: null })

    t.clock.set(sh('2026-11-24T09:59:00'))
    expect((await tick()).data).toMatchObject({ completed: 0 })
    expect(await t.count('booking_codes')).toBe(0) // the code is free again (released by the job; taken over meanwhile)
    expect(await t.count('slot_claims', { bookingId: b.id, bound: true })).toBe(2) // the job bound the claims to the booking
    t.clock.set(sh('2026-11-24T10:00:00'))
    expect((await tick()).data).toMatchObject({ completed: 1, noShows: 0 })
    expect((await tick()).data).toMatchObject({ completed: 0 })
    const done = await t.ok(P.resident, 'booking', 'get', { id: b.id })
    expect(done.status).toBe('completed')
    expect(done.timeline.map((e: { label: string }) => e.label)).toEqual(['提交预约', '审核通过', '签到', '使用完成'])
    const list = await t.ok(P.resident, 'booking', 'mine', {})
    expect(list.items).toEqual([expect.objectContaining({ id: b.id, statusLabel: '已完成' })])
  })

  it('a room without approval confirms at once; staff verify (核销) the code in the window', async () => {
    const b = await booked(P.resident)
    expect(b.status).toBe('confirmed')
    t.clock.set(sh('2026-11-24T08:46:00'))
    const v = await t.ok(P.staff, 'booking', 'verify', { code: b.checkCode, bookingId: b.id })
    expect(v).toMatchObject({ status: 'checked_in', viewerRole: 'staff' })
    const again = await t.call(P.staff, 'booking', 'verify', { code: b.checkCode! })
    expect(!again.ok && again.error).toMatchObject({ code: 'PRECONDITION_FAILED', message: '该预约已于 08:46 签到' })
  })

  it('staff reject with a reason (required) and cancel with a reason; the booker is told and the slots are freed', async () => {
    const a = await booked(P.resident, { roomId: 'room-duogong' })
    const noReason = await t.call(P.staff, 'booking', 'reject', { id: a.id, reason: ' ' })
    expect(!noReason.ok && noReason.error.issues?.[0]).toEqual({ path: 'reason', message: '请填写驳回原因' })
    const r = await t.ok(P.staff, 'booking', 'reject', { id: a.id, reason: '当天已安排社区活动' })
    expect(r).toMatchObject({ status: 'rejected', rejectReason: '当天已安排社区活动' })
    const b = await booked(P.resident, { startSlot: '15:00' })
    const c = await t.ok(P.staff, 'booking', 'staffCancel', { id: b.id, reason: '会议室临时维修' })
    expect(c).toMatchObject({ status: 'cancelled', cancelReason: '会议室临时维修' })
    // Free at once on the grid; the records are released by the job.
    expect(slotState(await t.ok(P.resident2, 'booking', 'room', { id: 'room-huiyi' }), '2026-11-24', '15:00')).toBe('free')
    expect(slotState(await t.ok(P.resident2, 'booking', 'room', { id: 'room-duogong' }), '2026-11-24', '09:00')).toBe('free')
    await tick()
    expect(await t.count('slot_claims')).toBe(0)
    expect(await t.count('booking_quota')).toBe(0)
    const notes = await t.cloud.db.collection('notifications').where({ to: P.resident }).get()
    expect(notes.data.map((n) => n.title)).toEqual(expect.arrayContaining(['场地预约未通过', '场地预约已被社区取消']))
  })

  it('an unapproved booking is cancelled by tick when it starts, and its slots freed', async () => {
    const b = await booked(P.resident, { roomId: 'room-duogong' })
    t.clock.set(sh('2026-11-24T09:00:00'))
    expect((await tick()).data).toMatchObject({ expired: 1 })
    expect((await t.ok(P.resident, 'booking', 'get', { id: b.id })).status).toBe('cancelled')
    expect(await t.count('slot_claims')).toBe(0)
  })

  it('books by start and end time as well as by slots', async () => {
    const b = await booked(P.resident, { startSlot: undefined, slotCount: undefined, start: '13:00', end: '14:30' })
    expect(b).toMatchObject({ start: '13:00', end: '14:30', status: 'confirmed' })
    expect(await t.count('slot_claims', { bookingId: b.id })).toBe(3)
  })

  it('is idempotent with a request id', async () => {
    const a = await book(P.resident, {}, 'req-booking-1')
    const b = await book(P.resident, {}, 'req-booking-1')
    expect(a).toEqual(b)
    expect(await t.count('bookings')).toBe(1)
  })
})

describe('cancelling', () => {
  it('frees the slots at once for another resident, and gives the week quota back', async () => {
    const mine = await booked(P.resident)
    const blocked = await book(P.resident2, { startSlot: '09:30', slotCount: 1, contactName: '吴敏' })
    expect(!blocked.ok && blocked.error).toMatchObject({ code: 'CONFLICT', message: '该时段已被预约，请选择其他时段' })
    expect(slotState(await t.ok(P.resident2, 'booking', 'room', { id: 'room-huiyi' }), '2026-11-24', '09:30')).toBe('taken')

    const cancelled = await t.ok(P.resident, 'booking', 'cancel', { id: mine.id, version: mine.version, reason: '活动改期' })
    expect(cancelled.status).toBe('cancelled')
    expect(slotState(await t.ok(P.resident2, 'booking', 'room', { id: 'room-huiyi' }), '2026-11-24', '09:30')).toBe('free')
    // Booked at once by another resident (the cancelled booking's claim is taken over), and the
    // week's quota place is the resident's again.
    const theirs = await booked(P.resident2, { startSlot: '09:30', slotCount: 1, contactName: '吴敏' })
    expect(theirs.status).toBe('confirmed')
    expect((await booked(P.resident, { date: '2026-11-25' })).status).toBe('confirmed')
    expect((await booked(P.resident, { date: '2026-11-26' })).status).toBe('confirmed')
    // The job releases what the cancelled booking still held: only the live bookings' records are left.
    await tick()
    expect(await t.count('slot_claims', { bookingId: mine.id })).toBe(0)
    expect(await t.count('booking_quota', { bookingId: mine.id })).toBe(0)
    expect(await t.count('booking_codes', { bookingId: mine.id })).toBe(0)
    expect(await t.count('slot_claims')).toBe(1 + 2 + 2)
  })

  it('not within 1 h of start (staff still can, with a reason)', async () => {
    const b = await booked(P.resident)
    t.clock.set(sh('2026-11-24T08:01:00'))
    const late = await t.call(P.resident, 'booking', 'cancel', { id: b.id })
    expect(!late.ok && late.error).toMatchObject({ code: 'PRECONDITION_FAILED', message: '开始前 1 小时内不能自行取消，如有变化请联系社区工作人员' })
    expect((await t.ok(P.staff, 'booking', 'staffCancel', { id: b.id, reason: '居民电话告知不来了' })).status).toBe('cancelled')
  })

  it('a stale version is a CONFLICT and changes nothing', async () => {
    const b = await booked(P.resident)
    const r = await t.call(P.resident, 'booking', 'cancel', { id: b.id, version: b.version + 1 })
    expect(!r.ok && r.error.code).toBe('CONFLICT')
    expect((await t.ok(P.resident, 'booking', 'get', { id: b.id })).status).toBe('confirmed')
  })
})

describe('the scheduled job', () => {
  it('releases a booking not checked in 15 min after start as 爽约, frees its slots, and tells the booker', async () => {
    const b = await booked(P.resident)
    t.clock.set(sh('2026-11-24T09:14:00'))
    expect((await tick()).data).toMatchObject({ noShows: 0 })
    t.clock.set(sh('2026-11-24T09:15:00'))
    expect((await tick()).data).toMatchObject({ noShows: 1, suspended: 0 })
    expect((await tick()).data).toMatchObject({ noShows: 0 })
    const after = await t.ok(P.resident, 'booking', 'get', { id: b.id })
    expect(after).toMatchObject({ status: 'no_show', statusLabel: '爽约', checkCode: null })
    expect(await t.count('slot_claims')).toBe(0)
    expect(await t.count('booking_quota')).toBe(1) // a no-show keeps its place in the week's quota
    const late = await t.call(P.resident, 'booking', 'checkIn', { id: b.id })
    expect(!late.ok && late.error.code).toBe('PRECONDITION_FAILED')
    expect(await t.count('outbox', { kind: 'subscribe', touser: P.resident, template: 'booking_noshow' })).toBe(1)
  })

  it('3 no-shows in 90 days suspend booking for 30 days: the 4th booking is refused', async () => {
    const dates = ['2026-11-24', '2026-11-25', '2026-12-01'] // two in one week, one in the next (weekly quota 2)
    for (const date of dates) await booked(P.resident, { date })
    for (const date of dates) {
      t.clock.set(sh(`${date}T09:20:00`))
      await tick()
    }
    expect(await t.count('bookings', { ownerId: P.resident, status: 'no_show' })).toBe(3)
    const suspension = await t.cloud.db.collection('booking_suspensions').doc(P.resident).get()
    expect(suspension.data.until).toEqual(new Date(sh('2026-12-31T09:20:00')))
    const fourth = await book(P.resident, { date: '2026-12-03' })
    expect(!fourth.ok && fourth.error).toMatchObject({ code: 'PRECONDITION_FAILED', message: '90 天内爽约 3 次，预约功能暂停至 12月31日 09:20' })
    const room: RoomDetailT = await t.ok(P.resident, 'booking', 'room', { id: 'room-huiyi' })
    expect(room.cannotBook).toMatch(/暂停至 12月31日/)
    // 30 days later booking works again.
    t.clock.set(sh('2026-12-31T09:21:00'))
    expect((await booked(P.resident, { date: '2027-01-04' })).status).toBe('confirmed')
  })

  it('sends the 1 h reminder once, however often (and concurrently) tick runs', async () => {
    const b = await booked(P.resident)
    t.clock.set(sh('2026-11-24T07:59:00'))
    expect((await tick()).data).toMatchObject({ reminded: 0 })
    t.clock.set(sh('2026-11-24T08:00:00'))
    const runs = await Promise.all(Array.from({ length: 5 }, () => tick()))
    expect(runs.reduce((n, r) => n + (r.ok ? r.data.reminded : 0), 0)).toBe(1)
    for (const at of ['08:05', '08:30', '08:55']) {
      t.clock.set(sh(`2026-11-24T${at}:00`))
      expect((await tick()).data).toMatchObject({ reminded: 0 })
    }
    const outbox = await t.cloud.db.collection('outbox').where({ kind: 'subscribe', template: 'booking_reminder' }).get()
    expect(outbox.data).toHaveLength(1)
    expect(outbox.data[0]).toMatchObject({ touser: P.resident, page: `/packages/booking/pages/detail/index?id=${b.id}` })
  })

  it('a person cannot run the job', async () => {
    const r = await t.call(P.admin, 'booking', 'tick', {})
    expect(!r.ok && r.error.code).toBe('FORBIDDEN')
  })
})

describe('bad input: a clear Chinese error, nothing written', () => {
  it.each([
    ['a slot outside opening hours', P.resident, { startSlot: '08:00' }, 'startSlot', '所选时段不在开放时间（08:30–17:30）内'],
    ['a slot past closing time', P.resident, { startSlot: '17:00', slotCount: 2 }, 'startSlot', '所选时段不在开放时间（08:30–17:30）内'],
    ['a closed weekday', P.resident, { date: '2026-11-29' }, 'startSlot', '该场地周日不开放'],
    ['a past date', P.resident, { date: '2026-11-22' }, 'date', '不能预约已经过去的日期'],
    ['more than 14 days ahead', P.resident, { date: '2026-12-07' }, 'date', '最多提前 14 天预约（可预约 11月23日 至 12月6日）'],
    ['less than 2 h ahead', P.resident, { date: '2026-11-23', startSlot: '11:30' }, 'startSlot', '请至少提前 2 小时预约'],
    ['more than 4 h', P.resident, { slotCount: 9 }, 'slotCount', '每次最多预约 4 小时'],
    ['attendees above capacity', P.resident, { attendees: 13 }, 'attendees', '参加人数超过场地容量（最多 12 人）'],
    ['a room of another community', P.resident, { roomId: 'room-jq-huodong' }, 'roomId', '没有找到该场地，或它不属于您所在的社区'],
    ['an unknown room', P.resident, { roomId: 'room-nope' }, 'roomId', '没有找到该场地，或它不属于您所在的社区'],
    ['an empty purpose', P.resident, { purpose: '  ' }, 'purpose', '请填写用途'],
    ['a bad phone', P.resident, { contactPhone: '12345' }, 'contactPhone', '请输入 11 位手机号'],
    ['a bad time', P.resident, { startSlot: '9点' }, 'startSlot', '时间格式为 09:30'],
    ['no time at all', P.resident, { startSlot: undefined, slotCount: undefined }, 'startSlot', '请选择预约时段'],
    ['start/end past closing time', P.resident, { startSlot: undefined, slotCount: undefined, start: '16:30', end: '18:00' }, 'start', '所选时段不在开放时间（08:30–17:30）内'],
    ['start/end longer than 4 h', P.resident, { startSlot: undefined, slotCount: undefined, start: '09:00', end: '13:30' }, 'end', '每次最多预约 4 小时'],
    ['both ways of choosing a time', P.resident, { start: '09:00', end: '10:00' }, 'startSlot', '请只用一种方式选择时段'],
  ])('%s', async (_label, who, extra, path, message) => {
    const r = await book(who, extra)
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.message).toContain(message)
    expect(r.error.issues?.find((i) => i.path === path)?.message).toBe(message)
    expect(await counts()).toEqual({ bookings: 0, slot_claims: 0, booking_quota: 0, booking_codes: 0, notifications: 0 })
  })

  it('a resident not allowed by the room, purpose failing the content check', async () => {
    const unverified = await book(P.unverified, { roomId: 'room-duogong', contactName: '黄海' })
    expect(!unverified.ok && unverified.error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/已认证住址/) })
    const dirty = await book(P.resident, { purpose: '组织赌博活动' })
    expect(!dirty.ok && dirty.error.code).toBe('CONTENT_REJECTED')
    expect(await counts()).toEqual({ bookings: 0, slot_claims: 0, booking_quota: 0, booking_codes: 0, notifications: 0 })
  })

  it('a third booking in one week is refused and leaves no claim behind', async () => {
    await booked(P.resident, { date: '2026-11-24' })
    await booked(P.resident, { date: '2026-11-29', roomId: 'room-shuhua' }) // Sunday: same Monday–Sunday week
    const before = await counts()
    const third = await book(P.resident, { date: '2026-11-26' })
    expect(!third.ok && third.error).toMatchObject({ code: 'PRECONDITION_FAILED', message: '每周最多预约 2 次，11月23日–11月29日 这一周已约满' })
    expect(await counts()).toEqual(before)
    expect((await booked(P.resident, { date: '2026-11-30' })).status).toBe('confirmed') // next week is fine
  })

  it('a check-in code of another booking, or of another community, is refused and changes nothing', async () => {
    const a = await booked(P.resident)
    const b = await booked(P.resident2, { startSlot: '10:00', contactName: '吴敏' })
    const other = await booked(P.otherResident, { roomId: 'room-jq-huodong', contactName: '郭晓燕' })
    t.clock.set(sh('2026-11-24T08:50:00'))
    const wrong = await t.call(P.staff, 'booking', 'verify', { code: b.checkCode, bookingId: a.id })
    expect(!wrong.ok && wrong.error).toMatchObject({ code: 'INVALID_INPUT', message: '核销码与当前预约不符，请核对', issues: [{ path: 'code', message: '核销码与当前预约不符，请核对' }] })
    // The other community's room needs approval: its code is on the record, not yet shown to its booker.
    const otherCode = ((await t.cloud.db.collection('bookings').doc(other.id).get()).data as unknown as { checkCode: string }).checkCode
    const foreign = await t.call(P.staff, 'booking', 'verify', { code: otherCode })
    expect(!foreign.ok && foreign.error.message).toBe('核销码无效，请核对后重新输入')
    const unknown = await t.call(P.staff, 'booking', 'verify', { code: a.checkCode === '000000' ? '000001' : '000000' })
    expect(!unknown.ok && unknown.error.message).toBe('核销码无效，请核对后重新输入')
    const badFormat = await t.call(P.staff, 'booking', 'verify', { code: '12ab' })
    expect(!badFormat.ok && badFormat.error.issues?.[0]).toEqual({ path: 'code', message: '核销码为 6 位数字' })
    for (const [who, id] of [[P.resident, a.id], [P.resident2, b.id]] as const) {
      const now = await t.ok(who, 'booking', 'get', { id })
      expect(now).toMatchObject({ status: 'confirmed', version: 1 })
    }
  })
})

describe('permissions', () => {
  it('a resident calling staff actions gets FORBIDDEN', async () => {
    const b = await booked(P.resident, { roomId: 'room-duogong' })
    const calls: Array<[string, Record<string, unknown>]> = [
      ['approve', { id: b.id }],
      ['reject', { id: b.id, reason: '不行' }],
      ['staffCancel', { id: b.id, reason: '不行' }],
      ['pending', {}],
      ['calendar', { date: '2026-11-24' }],
      ['verify', { code: b.checkCode }],
      ['block', { date: '2026-11-24', reason: '维修' }],
      ['unblock', { id: 'x' }],
      ['saveRoom', { name: '新场地', capacity: 10, openHours: Array(7).fill(null) }],
      ['settings', {}],
      ['saveSettings', { maxPerWeek: 5 }],
    ]
    for (const [action, payload] of calls) {
      const r = await t.call(P.resident, 'booking', action, payload)
      expect([action, !r.ok && r.error.code]).toEqual([action, 'FORBIDDEN'])
    }
    expect((await t.ok(P.resident, 'booking', 'get', { id: b.id })).status).toBe('pending')
  })

  it('staff of another community cannot see or act on a booking; other residents cannot see it', async () => {
    const b = await booked(P.resident, { roomId: 'room-duogong' })
    const r = await t.call(P.otherStaff, 'booking', 'approve', { id: b.id })
    expect(!r.ok && r.error.code).toBe('NOT_FOUND')
    const g = await t.call(P.resident2, 'booking', 'get', { id: b.id })
    expect(!g.ok && g.error.code).toBe('NOT_FOUND')
    const c = await t.call(P.resident2, 'booking', 'cancel', { id: b.id })
    expect(!c.ok && c.error.code).toBe('NOT_FOUND')
    expect((await t.ok(P.otherStaff, 'booking', 'pending', {})).items).toHaveLength(0)
  })

  it('staff may not self check-in for a resident; the booker may not approve', async () => {
    const b = await booked(P.resident, { roomId: 'room-duogong' })
    const own = await t.call(P.staff, 'booking', 'checkIn', { id: b.id })
    expect(!own.ok && own.error).toMatchObject({ code: 'FORBIDDEN', message: '只有预约人本人可以进行此操作' })
  })
})

describe('staff tools', () => {
  it('block a day: the slots show closed, booking is refused, existing bookings are listed; unblock restores', async () => {
    const existing = await booked(P.resident, { date: '2026-11-26' })
    const res = await t.ok(P.staff, 'booking', 'block', { roomId: 'room-huiyi', date: '2026-11-26', reason: '区里检查，会议室征用' })
    expect(res.blackout).toMatchObject({ roomName: '议事会议室', text: '全天', reason: '区里检查，会议室征用' })
    expect(res.affected.map((x: { id: string }) => x.id)).toEqual([existing.id])
    const room: RoomDetailT = await t.ok(P.resident2, 'booking', 'room', { id: 'room-huiyi' })
    expect(room.days.find((d) => d.date === '2026-11-26')).toMatchObject({ closed: true, note: '区里检查，会议室征用' })
    const refused = await book(P.resident2, { date: '2026-11-26', startSlot: '14:00', contactName: '吴敏' })
    expect(!refused.ok && refused.error.message).toBe('11月26日 全天 暂停预约：区里检查，会议室征用')
    // Another room is not affected; a community-wide time range blocks every room.
    expect((await booked(P.resident2, { date: '2026-11-26', roomId: 'room-shuhua', contactName: '吴敏' })).status).toBe('confirmed')
    const range = await t.ok(P.staff, 'booking', 'block', { date: '2026-11-27', start: '14:00', end: '16:00', reason: '党员活动日' })
    expect(range.blackout).toMatchObject({ roomId: null, roomName: '全部场地', text: '14:00–16:00' })
    const inRange = await book(P.resident2, { date: '2026-11-27', startSlot: '15:30', roomId: 'room-shuhua', contactName: '吴敏' })
    expect(!inRange.ok && inRange.error.message).toBe('11月27日 14:00–16:00 暂停预约：党员活动日')
    const list = await t.ok(P.staff, 'booking', 'blackouts', {})
    expect(list.items).toHaveLength(2)
    await t.ok(P.staff, 'booking', 'unblock', { id: res.blackout.id })
    expect((await booked(P.resident2, { date: '2026-11-26', startSlot: '14:00', contactName: '吴敏' })).status).toBe('confirmed')
  })

  it('the calendar shows every room for a day or a Monday–Sunday week', async () => {
    await booked(P.resident, { date: '2026-11-24' })
    await booked(P.resident2, { date: '2026-11-27', roomId: 'room-shuhua', contactName: '吴敏' })
    const day = await t.ok(P.staff, 'booking', 'calendar', { date: '2026-11-24' })
    expect(day.rooms.map((r: { name: string }) => r.name)).toEqual(['多功能活动室', '议事会议室', '书画室'])
    expect(day.bookings).toHaveLength(1)
    const wk = await t.ok(P.staff, 'booking', 'calendar', { date: '2026-11-26', span: 'week' })
    expect(wk).toMatchObject({ from: '2026-11-23', to: '2026-11-29' })
    expect(wk.dates[0]).toEqual({ date: '2026-11-23', label: '11月23日 周一' })
    expect(wk.bookings.map((b: { date: string }) => b.date)).toEqual(['2026-11-24', '2026-11-27'])
  })

  it('saveRoom creates and updates rooms (open hours per weekday, approval, who may book), checked', async () => {
    const hours = [null, ...Array(5).fill({ open: '09:00', close: '18:00' }), { open: '09:00', close: '12:00' }]
    const created = await t.ok(P.staff, 'booking', 'saveRoom', { name: '舞蹈室', capacity: 20, facilities: ['镜子', '音响'], openHours: hours, needsApproval: false, bookableBy: 'residents', location: '三楼' })
    expect(created).toMatchObject({ name: '舞蹈室', openText: '周一至周五 09:00–18:00；周六 09:00–12:00；周日 不开放', version: 1 })
    const updated = await t.ok(P.staff, 'booking', 'saveRoom', { id: created.id, version: 1, name: '舞蹈室', capacity: 25, openHours: hours, active: false })
    expect(updated).toMatchObject({ capacity: 25, active: false, version: 2 })
    const stale = await t.call(P.staff, 'booking', 'saveRoom', { id: created.id, version: 1, name: '舞蹈室', capacity: 30, openHours: hours })
    expect(!stale.ok && stale.error.code).toBe('CONFLICT')
    const bad = await t.call(P.staff, 'booking', 'saveRoom', { name: 'x', capacity: 5, openHours: [null, { open: '09:15', close: '12:00' }, null, null, null, null, null] })
    expect(!bad.ok && bad.error.issues?.[0]).toEqual({ path: 'openHours.1', message: '开放时间须为整点或半点' })
    // Inactive rooms are hidden from residents, shown to staff.
    expect((await t.ok(P.resident, 'booking', 'rooms', {})).items).toHaveLength(3)
    expect((await t.ok(P.staff, 'booking', 'rooms', { includeInactive: true })).items).toHaveLength(4)
    const other = await t.call(P.otherStaff, 'booking', 'saveRoom', { id: 'room-huiyi', name: '改名', capacity: 5, openHours: hours })
    expect(!other.ok && other.error.code).toBe('NOT_FOUND')
  })

  it('the admin changes the community numbers; the rules follow', async () => {
    const s = await t.ok(P.admin, 'booking', 'saveSettings', { maxPerWeek: 1, minNoticeMinutes: 30 })
    expect(s).toMatchObject({ maxPerWeek: 1, minNoticeMinutes: 30, maxDaysAhead: 14 })
    expect((await t.call(P.staff, 'booking', 'saveSettings', { maxPerWeek: 3 })).ok).toBe(false)
    await booked(P.resident, { date: '2026-11-23', startSlot: '10:30' }) // 30 min notice is enough now
    const second = await book(P.resident, { date: '2026-11-24' })
    expect(!second.ok && second.error.message).toMatch(/每周最多预约 1 次/)
  })

  it('a room, a booking and a blackout carry what booking reads; a room created later gets the community-wide blackouts and numbers', async () => {
    await t.ok(P.admin, 'booking', 'saveSettings', { cancelBeforeMinutes: 120 })
    const b = await booked(P.resident)
    // The booking keeps the windows it was made under: a later change of the numbers leaves it be.
    await t.ok(P.admin, 'booking', 'saveSettings', { cancelBeforeMinutes: 30, checkInBeforeMinutes: 60 })
    const detail = await t.ok(P.resident, 'booking', 'get', { id: b.id })
    expect(detail).toMatchObject({ cancelDeadline: new Date(sh('2026-11-24T07:00:00')).toISOString(), checkInOpensAt: new Date(sh('2026-11-24T08:45:00')).toISOString(), roomLocation: '党群服务中心二楼 201' })
    await t.ok(P.staff, 'booking', 'block', { date: '2026-11-27', reason: '社区活动日' })
    const hours = Array(7).fill({ open: '09:00', close: '18:00' })
    const created = await t.ok(P.staff, 'booking', 'saveRoom', { name: '舞蹈室', capacity: 20, openHours: hours, needsApproval: false })
    const room: RoomDetailT = await t.ok(P.resident, 'booking', 'room', { id: created.id })
    expect(room.rules).toMatchObject({ cancelBeforeMinutes: 30, checkInBeforeMinutes: 60 })
    expect(room.days.find((d) => d.date === '2026-11-27')).toMatchObject({ closed: true, note: '社区活动日' })
  })

  it('a room saved before rooms carried the numbers reads the community’s settings', async () => {
    await t.cloud.db.collection('rooms').doc('room-huiyi').update({ data: { rules: t.cloud.db.command.remove() } })
    await t.cloud.db.collection('booking_settings').doc(DEMO.communities.cuihu).set({ data: { maxPerWeek: 1 } })
    await booked(P.resident)
    const second = await book(P.resident, { date: '2026-11-25' })
    expect(!second.ok && second.error.message).toMatch(/每周最多预约 1 次/)
    expect((await t.ok(P.resident, 'booking', 'room', { id: 'room-huiyi' })).rules).toMatchObject({ maxPerWeek: 1 })
  })
})

describe('concurrency', () => {
  it('200 residents requesting the same slot at once: exactly one booking', async () => {
    const people = await residents(200)
    const results = await Promise.all(people.map((who, i) => book(who, { contactName: `居民${i}`, contactPhone: '13900000000' })))
    const wins = results.filter((r) => r.ok)
    expect(wins).toHaveLength(1)
    expect(results.filter((r) => !r.ok && r.error.code === 'CONFLICT')).toHaveLength(199)
    expect(await counts()).toEqual({ bookings: 1, slot_claims: 2, booking_quota: 1, booking_codes: 1, notifications: 0 })
    const winner = wins[0].ok ? wins[0].data : null
    // The job binds the winner's claims to its booking.
    t.clock.advance(3 * 60_000)
    await tick()
    expect(await t.count('slot_claims', { bookingId: winner!.id, bound: true })).toBe(2)
  })

  it('200 overlapping multi-slot requests: no slot held twice, no partial booking left behind', async () => {
    const people = await residents(200)
    let seed = 20261123
    const rand = (n: number) => {
      seed = (seed * 48271) % 2147483647 // Park–Miller: exact in doubles
      return seed % n
    }
    // 多功能活动室 opens at 08:00; one morning 08:00–12:00 = 8 slots; lengths 1–8, ending by 12:00.
    const ranges: Array<{ start: number; end: number }> = []
    const requests = people.map((who, i) => {
      const slotCount = 1 + rand(8)
      const startIndex = rand(8 - slotCount + 1)
      const minutes = 8 * 60 + startIndex * 30
      ranges.push({ start: minutes, end: minutes + slotCount * 30 })
      const startSlot = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
      return book(who, { roomId: 'room-duogong', startSlot, slotCount, attendees: 10, contactName: `居民${i}`, contactPhone: '13900000000' })
    })
    const results = await Promise.all(requests)
    const won = results.filter((r) => r.ok).length
    expect(won).toBeGreaterThan(0)
    for (const r of results) if (!r.ok) expect(r.error.code).toBe('CONFLICT')

    type B = { _id: string; status: string; claimIds: string[]; start: number; end: number; quotaId: string; checkCode: string }
    type C = { _id: string; bookingId: string; minute: number; bound: boolean }
    // The job binds the winners' claims (and would sweep anything a request left behind).
    t.clock.advance(3 * 60_000)
    expect((await tick()).data).toMatchObject({ swept: 0 })
    const bookings = (await t.cloud.db.collection<B>('bookings').limit(1000).get()).data
    const claims = (await t.cloud.db.collection<C>('slot_claims').limit(1000).get()).data
    expect(bookings).toHaveLength(won)
    const live = new Map(bookings.filter((b) => ['pending', 'confirmed', 'checked_in'].includes(b.status)).map((b) => [b._id, b]))
    expect(live.size).toBe(won)
    // Every claim belongs to a live booking that lists it, and is bound.
    for (const c of claims) {
      const b = live.get(c.bookingId)
      expect(b).toBeDefined()
      expect(b!.claimIds).toContain(c._id)
      expect(c.bound).toBe(true)
    }
    // Every live booking owns all of its slots.
    const byId = new Map(claims.map((c) => [c._id, c]))
    for (const b of live.values()) {
      expect(b.claimIds).toHaveLength((b.end - b.start) / 30)
      for (const id of b.claimIds) expect(byId.get(id)?.bookingId).toBe(b._id)
    }
    // No slot held twice: live bookings never overlap.
    const sorted = [...live.values()].sort((a, b) => a.start - b.start)
    for (let i = 1; i < sorted.length; i++) expect(sorted[i].start).toBeGreaterThanOrEqual(sorted[i - 1].end)
    expect(claims.length).toBe(sorted.reduce((n, b) => n + (b.end - b.start) / 30, 0))
    // No false "taken": whoever was told the slot is taken asked for a range a live booking overlaps.
    results.forEach((r, i) => {
      if (r.ok || r.error.message !== SLOT_TAKEN) return
      expect(sorted.some((b) => b.start < ranges[i].end && ranges[i].start < b.end)).toBe(true)
    })
    // Quota places and codes: exactly one per booking.
    expect(await t.count('booking_quota')).toBe(won)
    expect(await t.count('booking_codes')).toBe(won)
    expect(new Set(bookings.map((b) => b.checkCode)).size).toBe(won)
  })

  it('two staff approving at once: one wins, the other gets CONFLICT', async () => {
    const b = await booked(P.resident, { roomId: 'room-duogong' })
    const [x, y] = await Promise.all([t.call(P.staff, 'booking', 'approve', { id: b.id, version: b.version }), t.call(P.admin, 'booking', 'approve', { id: b.id, version: b.version })])
    expect([x, y].filter((r) => r.ok)).toHaveLength(1)
    expect([x, y].find((r) => !r.ok)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
  })

  it('one resident booking twice at once within the weekly quota of 2 gets at most 2', async () => {
    const results = await Promise.all(
      ['09:00', '10:00', '11:00', '12:00', '13:00'].map((startSlot) => book(P.resident, { startSlot, slotCount: 1 })),
    )
    expect(results.filter((r) => r.ok)).toHaveLength(2)
    expect(await t.count('booking_quota')).toBe(2)
    expect(await t.count('slot_claims')).toBe(2)
  })

  it('an orphan claim left by a crashed request is swept by tick, and a stale one taken over at booking time', async () => {
    const at = t.clock.now()
    await t.cloud.db.collection('slot_claims').add({ data: { _id: 'room-huiyi:2026-11-24:0900', bookingId: 'bk-crashed', roomId: 'room-huiyi', communityId: DEMO.communities.cuihu, date: '2026-11-24', minute: 540, openid: P.resident2, at, bound: false } })
    await t.cloud.db.collection('slot_claims').add({ data: { _id: 'room-huiyi:2026-11-25:0900', bookingId: 'bk-crashed2', roomId: 'room-huiyi', communityId: DEMO.communities.cuihu, date: '2026-11-25', minute: 540, openid: P.resident2, at, bound: false } })
    // Fresh: it may still be a booking in progress, so it blocks.
    const early = await book(P.resident)
    expect(!early.ok && early.error.code).toBe('CONFLICT')
    t.clock.advance(3 * 60_000)
    expect((await booked(P.resident)).status).toBe('confirmed') // taken over
    expect((await tick()).data).toMatchObject({ swept: 1 })
    expect(await t.count('slot_claims', { bookingId: 'bk-crashed2' })).toBe(0)
  })
})
