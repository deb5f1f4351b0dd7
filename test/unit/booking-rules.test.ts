/** The pure booking rules, with fixed instants, all in Asia/Shanghai (UTC+08:00). */
import {
  BOOKING_TRANSITIONS,
  DEFAULT_BOOKING_SETTINGS,
  attendeesReason,
  blackoutReason,
  bookableDates,
  bookingProblem,
  cancelReason,
  checkInReason,
  checkInWindow,
  claimId,
  claimUnits,
  dateWindowReason,
  dayAvailability,
  durationReason,
  eligibilityReason,
  isConsecutive,
  isNoShowDue,
  isReminderDue,
  noticeReason,
  openHoursReason,
  openHoursText,
  quotaId,
  releasesQuota,
  releasesSlots,
  slotsOfDay,
  startInstant,
  suspensionAfterNoShows,
  suspensionReason,
  transitionReason,
  weeklyQuotaReason,
  type Blackout,
  type RoomRules,
} from '../../src/shared/rules/booking'
import { bookingWeek } from '../../src/shared/rules/booking'

/** A Shanghai wall-clock time as an instant. */
const sh = (s: string) => new Date(`${s}+08:00`)
const NOW = sh('2026-11-23T10:00:00') // Monday 10:00

const week = (open: number, close: number, closedOn: number[] = []) =>
  Array.from({ length: 7 }, (_, d) => (closedOn.includes(d) ? null : { open, close }))
const room: RoomRules = { capacity: 12, openHours: week(8 * 60 + 30, 17 * 60 + 30, [0]), slotMinutes: 30, bookableBy: 'residents' }

describe('slot maths', () => {
  it('lists the slots of a day from the opening hours and the slot length', () => {
    const slots = slotsOfDay(room, '2026-11-24')
    expect(slots).toHaveLength(18)
    expect(slots[0]).toEqual({ id: '08:30', start: 510, end: 540 })
    expect(slots.at(-1)).toEqual({ id: '17:00', start: 1020, end: 1050 })
    expect(slotsOfDay(room, '2026-11-29')).toEqual([]) // Sunday: closed
    // 60-min slots over 08:30–17:00: whole slots only, the last half hour is not a slot.
    expect(slotsOfDay({ ...room, openHours: week(510, 1020), slotMinutes: 60 }, '2026-11-24').map((s) => s.id)).toEqual(
      ['08:30', '09:30', '10:30', '11:30', '12:30', '13:30', '14:30', '15:30'],
    )
  })

  it('checks consecutive slots and builds deterministic claim ids per 30-min unit', () => {
    expect(isConsecutive(['09:00', '09:30', '10:00'], 30)).toBe(true)
    expect(isConsecutive(['10:00', '09:00', '09:30'], 30)).toBe(true)
    expect(isConsecutive(['09:00', '10:00'], 30)).toBe(false)
    expect(isConsecutive(['09:00', '10:00'], 60)).toBe(true)
    expect(isConsecutive(['9:00'], 30)).toBe(false)
    expect(claimUnits(9 * 60, 10 * 60 + 30)).toEqual([540, 570, 600])
    expect(claimId('room-huiyi', '2026-11-24', 570)).toBe('room-huiyi:2026-11-24:0930')
    expect(quotaId('o1', bookingWeek('2026-11-29'), 2)).toBe('quota:o1:2026-11-23:2') // Sunday belongs to Monday's week
  })

  it('start instants are Shanghai wall-clock times stored in UTC', () => {
    expect(startInstant('2026-11-24', 9 * 60).toISOString()).toBe('2026-11-24T01:00:00.000Z')
    expect(startInstant('2026-11-24', 30).toISOString()).toBe('2026-11-23T16:30:00.000Z') // 00:30 is still the previous UTC day
  })

  it('writes opening hours as a resident reads them', () => {
    expect(openHoursText(room.openHours)).toBe('周一至周六 08:30–17:30；周日 不开放')
    expect(openHoursText(week(480, 1260))).toBe('周一至周日 08:00–21:00')
  })
})

describe('availability of a day', () => {
  it('marks each slot free, taken, closed (blackout) or past (inside the 2 h notice)', () => {
    const blackouts: Blackout[] = [{ roomId: null, date: '2026-11-23', start: 15 * 60, end: 16 * 60, reason: '消防检查' }]
    const day = dayAvailability({ room, roomId: 'r1', date: '2026-11-23', now: NOW, taken: new Set([13 * 60, 13 * 60 + 30]), blackouts })
    const state = (id: string) => day.slots.find((s) => s.id === id)!.state
    expect(state('08:30')).toBe('past')
    expect(state('11:30')).toBe('past') // 10:00 + 2 h = 12:00
    expect(state('12:00')).toBe('free')
    expect(state('13:00')).toBe('taken')
    expect(state('13:30')).toBe('taken')
    expect(state('15:30')).toBe('closed')
    expect(state('16:00')).toBe('free')
    expect(day).toMatchObject({ closed: false, note: null, weekday: '周一' })
    const sunday = dayAvailability({ room, roomId: 'r1', date: '2026-11-29', now: NOW, taken: new Set(), blackouts: [] })
    expect(sunday).toMatchObject({ closed: true, note: '不开放', slots: [] })
    const holiday = dayAvailability({ room, roomId: 'r1', date: '2026-11-25', now: NOW, taken: new Set(), blackouts: [{ roomId: 'r1', date: '2026-11-25', start: null, end: null, reason: '设备维修' }] })
    expect(holiday).toMatchObject({ closed: true, note: '设备维修' })
    expect(holiday.slots.every((s) => s.state === 'closed')).toBe(true)
  })

  it('offers 14 bookable dates starting today', () => {
    const dates = bookableDates(NOW)
    expect(dates).toHaveLength(14)
    expect(dates[0]).toBe('2026-11-23')
    expect(dates[13]).toBe('2026-12-06')
    // Shortly after midnight Shanghai (still the previous day in UTC) the window starts on the new day.
    expect(bookableDates(sh('2026-11-24T00:10:00'))[0]).toBe('2026-11-24')
  })
})

describe('booking rules', () => {
  it('at most 14 days ahead, never in the past', () => {
    expect(dateWindowReason('2026-12-06', NOW)).toBeNull()
    expect(dateWindowReason('2026-12-07', NOW)).toBe('最多提前 14 天预约（可预约 11月23日 至 12月6日）')
    expect(dateWindowReason('2026-11-22', NOW)).toBe('不能预约已经过去的日期')
    expect(dateWindowReason('2026-11-23', NOW)).toBeNull()
  })

  it('at least 2 h ahead', () => {
    expect(noticeReason(sh('2026-11-23T12:00:00'), NOW)).toBeNull()
    expect(noticeReason(sh('2026-11-23T11:30:00'), NOW)).toBe('请至少提前 2 小时预约')
    expect(noticeReason(sh('2026-11-23T09:30:00'), NOW)).toBe('该时段已经开始或已过，请选择其他时段')
  })

  it('at most 4 h per booking', () => {
    expect(durationReason(9 * 60, 13 * 60)).toBeNull()
    expect(durationReason(9 * 60, 13 * 60 + 30)).toBe('每次最多预约 4 小时')
  })

  it('only whole slots inside the opening hours', () => {
    expect(openHoursReason(room, '2026-11-24', 8 * 60 + 30, 10 * 60)).toBeNull()
    expect(openHoursReason(room, '2026-11-24', 8 * 60, 9 * 60)).toBe('所选时段不在开放时间（08:30–17:30）内')
    expect(openHoursReason(room, '2026-11-24', 17 * 60, 18 * 60)).toBe('所选时段不在开放时间（08:30–17:30）内')
    expect(openHoursReason(room, '2026-11-24', 9 * 60 + 10, 9 * 60 + 40)).toBe('请按 30 分钟一个时段选择')
    expect(openHoursReason(room, '2026-11-29', 9 * 60, 10 * 60)).toBe('该场地周日不开放')
  })

  it('attendees within capacity', () => {
    expect(attendeesReason(12, 12)).toBeNull()
    expect(attendeesReason(13, 12)).toBe('参加人数超过场地容量（最多 12 人）')
  })

  it('blackouts block whole days or overlapping ranges, for one room or every room', () => {
    const b: Blackout[] = [
      { roomId: 'r1', date: '2026-11-25', start: 14 * 60, end: 16 * 60, reason: '社区党课' },
      { roomId: null, date: '2026-11-26', start: null, end: null, reason: '节假日闭馆' },
    ]
    expect(blackoutReason(b, 'r1', '2026-11-25', 13 * 60, 14 * 60)).toBeNull() // touching, not overlapping
    expect(blackoutReason(b, 'r1', '2026-11-25', 15 * 60 + 30, 17 * 60)).toBe('11月25日 14:00–16:00 暂停预约：社区党课')
    expect(blackoutReason(b, 'r2', '2026-11-25', 15 * 60, 16 * 60)).toBeNull() // another room
    expect(blackoutReason(b, 'r2', '2026-11-26', 9 * 60, 10 * 60)).toBe('11月26日 全天 暂停预约：节假日闭馆')
  })

  it('weekly quota: 2 per Monday–Sunday week', () => {
    expect(weeklyQuotaReason(1, '2026-11-29')).toBeNull()
    expect(weeklyQuotaReason(2, '2026-11-29')).toBe('每周最多预约 2 次，11月23日–11月29日 这一周已约满')
  })

  it('who may book', () => {
    expect(eligibilityReason('residents', { roles: ['resident'], verified: false })).toBeNull()
    expect(eligibilityReason('verified', { roles: ['resident'], verified: false })).toMatch(/已认证住址/)
    expect(eligibilityReason('verified', { roles: ['resident'], verified: true })).toBeNull()
    expect(eligibilityReason('organisations', { roles: ['resident'], verified: true })).toMatch(/社区组织/)
    expect(eligibilityReason('organisations', { roles: ['resident', 'party_member'], verified: true, partyUnit: '市自来水公司' })).toBeNull()
    expect(eligibilityReason('organisations', { roles: ['resident', 'staff'], verified: true })).toBeNull()
  })

  it('bookingProblem gives the first problem with its field', () => {
    const req = { roomId: 'r1', date: '2026-11-24', start: 9 * 60, end: 10 * 60, attendees: 5 }
    expect(bookingProblem(req, room, [], NOW)).toBeNull()
    expect(bookingProblem({ ...req, attendees: 20 }, room, [], NOW)).toEqual({ path: 'attendees', message: '参加人数超过场地容量（最多 12 人）' })
    expect(bookingProblem({ ...req, date: '2026-12-24' }, room, [], NOW)?.path).toBe('date')
    expect(bookingProblem({ ...req, end: 14 * 60 }, room, [], NOW)?.path).toBe('slotCount')
  })

  it('per-community numbers override the defaults', () => {
    const s = { ...DEFAULT_BOOKING_SETTINGS, maxDaysAhead: 7, minNoticeMinutes: 30, maxPerWeek: 1 }
    expect(dateWindowReason('2026-11-30', NOW, s)).toMatch(/最多提前 7 天/)
    expect(noticeReason(sh('2026-11-23T10:45:00'), NOW, s)).toBeNull()
    expect(noticeReason(sh('2026-11-23T10:15:00'), NOW, s)).toBe('请至少提前 30 分钟预约')
    expect(weeklyQuotaReason(1, '2026-11-24', s)).toMatch(/每周最多预约 1 次/)
  })
})

describe('cancellation, check-in, reminder, no-show and suspension', () => {
  const start = sh('2026-11-24T09:00:00')

  it('the resident may cancel until 1 h before start', () => {
    expect(cancelReason(start, sh('2026-11-24T08:00:00'))).toBeNull()
    expect(cancelReason(start, sh('2026-11-24T08:00:01'))).toBe('开始前 1 小时内不能自行取消，如有变化请联系社区工作人员')
  })

  it('check-in opens 15 min before start and closes 15 min after', () => {
    expect(checkInWindow(start)).toEqual({ opensAt: sh('2026-11-24T08:45:00'), closesAt: sh('2026-11-24T09:15:00') })
    expect(checkInReason(start, sh('2026-11-24T08:44:59'))).toBe('签到将于 11月24日 08:45 开放（开始前 15 分钟）')
    expect(checkInReason(start, sh('2026-11-24T08:45:00'))).toBeNull()
    expect(checkInReason(start, sh('2026-11-24T09:14:59'))).toBeNull()
    expect(checkInReason(start, sh('2026-11-24T09:15:00'))).toMatch(/已超过签到时间/)
  })

  it('a booking not checked in 15 min after start is a no-show; the reminder is due in the last hour', () => {
    expect(isNoShowDue(start, sh('2026-11-24T09:14:59'))).toBe(false)
    expect(isNoShowDue(start, sh('2026-11-24T09:15:00'))).toBe(true)
    expect(isReminderDue(start, sh('2026-11-24T07:59:59'))).toBe(false)
    expect(isReminderDue(start, sh('2026-11-24T08:00:00'))).toBe(true)
    expect(isReminderDue(start, sh('2026-11-24T09:00:00'))).toBe(false)
  })

  it('3 no-shows within 90 days suspend booking for 30 days; counted no-shows do not count twice', () => {
    const now = sh('2026-11-24T09:15:00')
    const two = [sh('2026-09-01T09:00:00'), sh('2026-11-24T09:00:00')]
    expect(suspensionAfterNoShows(two, now, null)).toBeNull()
    const old = [sh('2026-08-25T09:00:00'), ...two] // 91 days before: outside the window
    expect(suspensionAfterNoShows(old, now, null)).toBeNull()
    const three = [sh('2026-08-27T09:00:00'), ...two]
    const until = suspensionAfterNoShows(three, now, null)
    expect(until).toEqual(sh('2026-12-24T09:15:00'))
    expect(suspensionReason(until, sh('2026-12-01T00:00:00'))).toBe('90 天内爽约 3 次，预约功能暂停至 12月24日 09:15')
    expect(suspensionReason(until, sh('2026-12-24T09:15:00'))).toBeNull()
    // After that suspension, the same three no-shows do not suspend again.
    expect(suspensionAfterNoShows([...three, sh('2027-01-05T09:00:00')], sh('2027-01-05T09:15:00'), now)).toBeNull()
  })
})

describe('the state machine', () => {
  it('allows only the listed transitions, by the listed actors', () => {
    expect(transitionReason('pending', 'approve', 'staff')).toBeNull()
    expect(transitionReason('pending', 'approve', 'owner')).toBe('您不能对该预约进行「审核通过」操作')
    expect(transitionReason('confirmed', 'approve', 'staff')).toBe('预约当前为「已确认」，不能审核通过')
    expect(transitionReason('confirmed', 'checkIn', 'owner')).toBeNull()
    expect(transitionReason('pending', 'checkIn', 'owner')).toMatch(/待审核/)
    expect(transitionReason('checked_in', 'cancel', 'owner')).toMatch(/已签到/)
    expect(transitionReason('confirmed', 'noShow', 'system')).toBeNull()
    expect(BOOKING_TRANSITIONS.complete).toEqual({ from: ['checked_in'], to: 'completed', by: ['system'] })
  })

  it('cancel, reject and no-show free the slots; only cancel and reject give the week quota back', () => {
    expect(['cancelled', 'rejected', 'no_show'].every((s) => releasesSlots(s as never))).toBe(true)
    expect(releasesSlots('completed')).toBe(false)
    expect(releasesQuota('no_show')).toBe(false)
    expect(releasesQuota('cancelled')).toBe(true)
  })
})
