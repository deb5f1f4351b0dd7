/**
 * 党群服务中心场地预约 (PRODUCT.md §3), the pure rules: slot maths, the availability of a day,
 * every booking rule as a function that answers with a Chinese reason (or null when the rule is
 * met), the state machine as data, check-in window, no-show release and suspension.
 * Pure: imports only the time module. Handlers apply these; the client uses them to draw the
 * slot grid and to explain a refusal before the server does.
 *
 * Time model: a business date `YYYY-MM-DD` and minutes after Shanghai midnight; instants via
 * `atShanghai`. Slots are identified by their start `HH:mm` (stable when opening hours change).
 */
import { addDays, atShanghai, businessDate, formatShort, hhmm, weekday, weekStart } from '../time'

// ---------------------------------------------------------------- settings

/** Per-community numbers (PRODUCT.md §3 defaults). Stored in `booking_settings/<communityId>`. */
export interface BookingSettings {
  /** Bookable dates: today and the next (maxDaysAhead − 1) days. */
  maxDaysAhead: number
  /** A booking must start at least this long after it is made. */
  minNoticeMinutes: number
  /** Longest single booking. */
  maxMinutes: number
  /** Bookings per resident per week (Mon–Sun, Shanghai, by the booking's date); cancelled/rejected ones do not count. */
  maxPerWeek: number
  /** The resident may cancel until this long before start. */
  cancelBeforeMinutes: number
  /** Check-in opens this long before start. */
  checkInBeforeMinutes: number
  /** Not checked in this long after start → released as 爽约. */
  noShowAfterMinutes: number
  /** This many no-shows … */
  noShowLimit: number
  /** … within this many days … */
  noShowWindowDays: number
  /** … suspend booking for this many days. */
  suspendDays: number
  /** The reminder goes out this long before start. */
  reminderMinutes: number
}

export const DEFAULT_BOOKING_SETTINGS: BookingSettings = {
  maxDaysAhead: 14,
  minNoticeMinutes: 120,
  maxMinutes: 240,
  maxPerWeek: 2,
  cancelBeforeMinutes: 60,
  checkInBeforeMinutes: 15,
  noShowAfterMinutes: 15,
  noShowLimit: 3,
  noShowWindowDays: 90,
  suspendDays: 30,
  reminderMinutes: 60,
}

/** Bounds an admin may set each number within. */
export const SETTING_BOUNDS: Record<keyof BookingSettings, [number, number]> = {
  maxDaysAhead: [1, 60],
  minNoticeMinutes: [0, 7 * 24 * 60],
  maxMinutes: [30, 12 * 60],
  maxPerWeek: [1, 14],
  cancelBeforeMinutes: [0, 48 * 60],
  checkInBeforeMinutes: [0, 120],
  noShowAfterMinutes: [5, 120],
  noShowLimit: [1, 20],
  noShowWindowDays: [7, 365],
  suspendDays: [1, 365],
  reminderMinutes: [10, 24 * 60],
}

export function withDefaults(s: Partial<BookingSettings> | null | undefined): BookingSettings {
  const out = { ...DEFAULT_BOOKING_SETTINGS }
  if (!s) return out
  for (const k of Object.keys(out) as Array<keyof BookingSettings>) {
    const v = s[k]
    if (typeof v === 'number' && Number.isFinite(v)) out[k] = v
  }
  return out
}

// ---------------------------------------------------------------- rooms and slots

/** The base granularity of slot claims: every slot length is a multiple of it. */
export const CLAIM_UNIT_MINUTES = 30
export const SLOT_LENGTHS = [30, 60, 90, 120] as const

/** Opening hours of one weekday, minutes after midnight; null = closed that day. */
export interface DayHours {
  open: number
  close: number
}
/** Seven entries, index 0 = Sunday … 6 = Saturday (as `weekday()` counts). */
export type WeekHours = ReadonlyArray<DayHours | null>

export const BOOKABLE_BY = ['residents', 'verified', 'organisations'] as const
export type BookableBy = (typeof BOOKABLE_BY)[number]
export const BOOKABLE_BY_LABELS: Record<BookableBy, string> = {
  residents: '本社区居民',
  verified: '已认证住址的居民',
  organisations: '社区组织（工作人员、网格员、在职党员代表报到单位）',
}

/** What the rules need to know about a room. */
export interface RoomRules {
  capacity: number
  openHours: WeekHours
  slotMinutes: number
  bookableBy: BookableBy
}

export const WEEKDAY_LABELS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'] as const

export interface Slot {
  /** `HH:mm` of the start: the slot's id within its day. */
  id: string
  start: number
  end: number
}

export function hoursOf(room: Pick<RoomRules, 'openHours'>, date: string): DayHours | null {
  const h = room.openHours[weekday(date)]
  return h && h.close > h.open ? h : null
}

/** The slots of a day: from opening time in steps of the slot length, whole slots only. */
export function slotsOfDay(room: Pick<RoomRules, 'openHours' | 'slotMinutes'>, date: string): Slot[] {
  const h = hoursOf(room, date)
  if (!h) return []
  const out: Slot[] = []
  for (let m = h.open; m + room.slotMinutes <= h.close; m += room.slotMinutes) out.push({ id: hhmm(m), start: m, end: m + room.slotMinutes })
  return out
}

/** `HH:mm` → minutes after midnight; null for anything else. */
export function parseHhmm(s: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(s)
  if (m) return Number(m[1]) * 60 + Number(m[2])
  return s === '24:00' ? 24 * 60 : null
}

/** Are these slot ids consecutive slots of the day (in any order given)? */
export function isConsecutive(slotIds: readonly string[], slotMinutes: number): boolean {
  const mins = slotIds.map(parseHhmm)
  if (mins.length === 0 || mins.some((m) => m === null)) return false
  const sorted = (mins as number[]).slice().sort((a, b) => a - b)
  return sorted.every((m, i) => i === 0 || m - sorted[i - 1] === slotMinutes)
}

/** The claim units (30-min starts) a time range covers. */
export function claimUnits(start: number, end: number): number[] {
  const out: number[] = []
  for (let m = start; m < end; m += CLAIM_UNIT_MINUTES) out.push(m)
  return out
}

/** Deterministic id of one claimed unit: `room:date:HHmm`. A duplicate add fails atomically. */
export function claimId(roomId: string, date: string, minute: number): string {
  return `${roomId}:${date}:${hhmm(minute).replace(':', '')}`
}

/** Deterministic id of the n-th (1-based) weekly quota place of a person. */
export function quotaId(openid: string, week: string, n: number): string {
  return `quota:${openid}:${week}:${n}`
}

/** The week key of a booking: Monday of its date's week. */
export const bookingWeek = (date: string): string => weekStart(date)

export function startInstant(date: string, start: number): Date {
  return atShanghai(date, start)
}
export function endInstant(date: string, end: number): Date {
  return atShanghai(date, end)
}

/** 11月25日 周三 09:00–10:30 */
export function timeText(date: string, start: number, end: number): string {
  const [, m, d] = date.split('-').map(Number)
  return `${m}月${d}日 ${WEEKDAY_LABELS[weekday(date)]} ${hhmm(start)}–${hhmm(end)}`
}

/** 周一至周五 08:00–21:00；周六、周日 休息 — the opening hours as a resident reads them. */
export function openHoursText(openHours: WeekHours): string {
  const order = [1, 2, 3, 4, 5, 6, 0]
  const key = (i: number) => {
    const h = openHours[i]
    return h && h.close > h.open ? `${hhmm(h.open)}–${hhmm(h.close)}` : '不开放'
  }
  const groups: Array<{ days: number[]; text: string }> = []
  for (const i of order) {
    const last = groups[groups.length - 1]
    if (last && last.text === key(i)) last.days.push(i)
    else groups.push({ days: [i], text: key(i) })
  }
  return groups
    .map((g) => {
      const names = g.days.map((d) => WEEKDAY_LABELS[d])
      const days = names.length > 2 ? `${names[0]}至${names[names.length - 1]}` : names.join('、')
      return `${days} ${g.text}`
    })
    .join('；')
}

// ---------------------------------------------------------------- blackouts

/** A date (or a time range of it) blocked by staff: holidays, maintenance, official events. */
export interface Blackout {
  /** null = every room of the community. */
  roomId: string | null
  date: string
  /** null = the whole day. */
  start: number | null
  end: number | null
  reason: string
}

export function blackoutCovers(b: Blackout, roomId: string, date: string, start: number, end: number): boolean {
  if (b.date !== date || (b.roomId !== null && b.roomId !== roomId)) return false
  if (b.start === null || b.end === null) return true
  return b.start < end && start < b.end
}

export function blackoutText(b: Pick<Blackout, 'start' | 'end'>): string {
  return b.start === null || b.end === null ? '全天' : `${hhmm(b.start)}–${hhmm(b.end)}`
}

// ---------------------------------------------------------------- availability

export type SlotState = 'free' | 'taken' | 'closed' | 'past'
export const SLOT_STATE_LABELS: Record<SlotState, string> = { free: '可预约', taken: '已约', closed: '不开放', past: '已过' }

export interface DayAvailability {
  date: string
  weekday: string
  /** The whole day cannot be booked (closed that weekday, or blocked all day). */
  closed: boolean
  /** Why (不开放 / the blackout reason), or null. */
  note: string | null
  slots: Array<Slot & { state: SlotState }>
}

/**
 * The availability of one day of a room. `taken` holds the claimed 30-min units (minutes) of
 * that day. A slot is `past` when it starts before now + the minimum notice (it can no longer be
 * booked), `closed` when a blackout covers it, `taken` when any of its units is claimed.
 */
export function dayAvailability(args: {
  room: Pick<RoomRules, 'openHours' | 'slotMinutes'>
  roomId: string
  date: string
  now: Date
  taken: ReadonlySet<number>
  blackouts: readonly Blackout[]
  settings?: BookingSettings
}): DayAvailability {
  const s = args.settings ?? DEFAULT_BOOKING_SETTINGS
  const { room, roomId, date } = args
  const earliest = args.now.getTime() + s.minNoticeMinutes * 60_000
  const daySlots = slotsOfDay(room, date)
  // A slot starts `start` minutes after the day's midnight (a fixed offset: time.ts): the date is
  // parsed once per day, not once per slot (14 days of a room's grid are read at every look).
  const midnight = daySlots.length > 0 ? atShanghai(date, 0).getTime() : 0
  const slots = daySlots.map(({ id, start, end }) => {
    let state: SlotState = 'free'
    if (midnight + start * 60_000 < earliest) state = 'past'
    else if (args.blackouts.some((b) => blackoutCovers(b, roomId, date, start, end))) state = 'closed'
    else if (args.taken.size > 0 && claimUnits(start, end).some((u) => args.taken.has(u))) state = 'taken'
    return { id, start, end, state }
  })
  const wholeDay = args.blackouts.find((b) => b.date === date && (b.roomId === null || b.roomId === roomId) && (b.start === null || b.end === null))
  const closedDay = slots.length === 0
  return {
    date,
    weekday: WEEKDAY_LABELS[weekday(date)],
    closed: closedDay || !!wholeDay,
    note: closedDay ? '不开放' : wholeDay ? wholeDay.reason : null,
    slots,
  }
}

/** The bookable dates from `now`: today and the following days within the window. */
export function bookableDates(now: Date, s: BookingSettings = DEFAULT_BOOKING_SETTINGS): string[] {
  const today = businessDate(now)
  return Array.from({ length: s.maxDaysAhead }, (_, i) => addDays(today, i))
}

// ---------------------------------------------------------------- booking rules (reason | null)

const md = (date: string) => {
  const [, m, d] = date.split('-').map(Number)
  return `${m}月${d}日`
}
const hoursOrMinutes = (min: number) => (min % 60 === 0 ? `${min / 60} 小时` : `${min} 分钟`)

export function dateWindowReason(date: string, now: Date, s: BookingSettings = DEFAULT_BOOKING_SETTINGS): string | null {
  const today = businessDate(now)
  if (date < today) return '不能预约已经过去的日期'
  const last = addDays(today, s.maxDaysAhead - 1)
  if (date > last) return `最多提前 ${s.maxDaysAhead} 天预约（可预约 ${md(today)} 至 ${md(last)}）`
  return null
}

/** The booked range must be whole slots inside the day's opening hours. */
export function openHoursReason(room: Pick<RoomRules, 'openHours' | 'slotMinutes'>, date: string, start: number, end: number): string | null {
  const h = hoursOf(room, date)
  if (!h) return `该场地${WEEKDAY_LABELS[weekday(date)]}不开放`
  if (end <= start) return '请选择预约时段'
  if (start < h.open || end > h.close) return `所选时段不在开放时间（${hhmm(h.open)}–${hhmm(h.close)}）内`
  if ((start - h.open) % room.slotMinutes !== 0 || (end - start) % room.slotMinutes !== 0) return `请按 ${room.slotMinutes} 分钟一个时段选择`
  return null
}

export function durationReason(start: number, end: number, s: BookingSettings = DEFAULT_BOOKING_SETTINGS): string | null {
  return end - start > s.maxMinutes ? `每次最多预约 ${hoursOrMinutes(s.maxMinutes)}` : null
}

export function noticeReason(startAt: Date, now: Date, s: BookingSettings = DEFAULT_BOOKING_SETTINGS): string | null {
  if (startAt.getTime() <= now.getTime()) return '该时段已经开始或已过，请选择其他时段'
  if (startAt.getTime() < now.getTime() + s.minNoticeMinutes * 60_000) return `请至少提前 ${hoursOrMinutes(s.minNoticeMinutes)}预约`
  return null
}

export function attendeesReason(attendees: number, capacity: number): string | null {
  if (attendees < 1) return '参加人数至少 1 人'
  return attendees > capacity ? `参加人数超过场地容量（最多 ${capacity} 人）` : null
}

export function blackoutReason(blackouts: readonly Blackout[], roomId: string, date: string, start: number, end: number): string | null {
  const b = blackouts.find((x) => blackoutCovers(x, roomId, date, start, end))
  return b ? `${md(date)} ${blackoutText(b)} 暂停预约：${b.reason}` : null
}

/** Who may book the room. `organisations`: staff, grid workers, or party members with a registered unit. */
export function eligibilityReason(
  bookableBy: BookableBy,
  person: { roles: readonly string[]; verified: boolean; partyUnit?: string | null },
): string | null {
  if (bookableBy === 'residents') return null
  if (bookableBy === 'verified') return person.verified ? null : '该场地仅限已认证住址的居民预约，请先联系网格员或社区完成住址认证'
  const org = person.roles.some((r) => r === 'staff' || r === 'admin' || r === 'grid_worker') || (person.roles.includes('party_member') && !!person.partyUnit)
  return org ? null : '该场地仅供社区组织预约（工作人员、网格员，或已登记报到单位的在职党员）'
}

export function weeklyQuotaReason(activeThisWeek: number, date: string, s: BookingSettings = DEFAULT_BOOKING_SETTINGS): string | null {
  if (activeThisWeek < s.maxPerWeek) return null
  const mon = weekStart(date)
  return `每周最多预约 ${s.maxPerWeek} 次，${md(mon)}–${md(addDays(mon, 6))} 这一周已约满`
}

export function suspensionReason(until: Date | null | undefined, now: Date, s: BookingSettings = DEFAULT_BOOKING_SETTINGS): string | null {
  if (!until || until.getTime() <= now.getTime()) return null
  return `${s.noShowWindowDays} 天内爽约 ${s.noShowLimit} 次，预约功能暂停至 ${formatShort(until)}`
}

export function cancelDeadline(startAt: Date, s: BookingSettings = DEFAULT_BOOKING_SETTINGS): Date {
  return new Date(startAt.getTime() - s.cancelBeforeMinutes * 60_000)
}

/** The resident may cancel until 1 h before start; later, only staff can. */
export function cancelReason(startAt: Date, now: Date, s: BookingSettings = DEFAULT_BOOKING_SETTINGS): string | null {
  return now.getTime() > cancelDeadline(startAt, s).getTime()
    ? `开始前 ${hoursOrMinutes(s.cancelBeforeMinutes)}内不能自行取消，如有变化请联系社区工作人员`
    : null
}

/** Check-in is open from 15 min before start until 15 min after start (then it is a no-show). */
export function checkInWindow(startAt: Date, s: BookingSettings = DEFAULT_BOOKING_SETTINGS): { opensAt: Date; closesAt: Date } {
  return {
    opensAt: new Date(startAt.getTime() - s.checkInBeforeMinutes * 60_000),
    closesAt: new Date(startAt.getTime() + s.noShowAfterMinutes * 60_000),
  }
}

export function checkInReason(startAt: Date, now: Date, s: BookingSettings = DEFAULT_BOOKING_SETTINGS): string | null {
  const w = checkInWindow(startAt, s)
  if (now.getTime() < w.opensAt.getTime()) return `签到将于 ${formatShort(w.opensAt)} 开放（开始前 ${s.checkInBeforeMinutes} 分钟）`
  if (now.getTime() >= w.closesAt.getTime()) return `已超过签到时间（开始后 ${s.noShowAfterMinutes} 分钟），预约已按爽约处理`
  return null
}

/** Not checked in 15 min after start: the job releases it as 爽约. */
export function isNoShowDue(startAt: Date, now: Date, s: BookingSettings = DEFAULT_BOOKING_SETTINGS): boolean {
  return now.getTime() >= checkInWindow(startAt, s).closesAt.getTime()
}

/** The reminder is due from 1 h before start until start. */
export function isReminderDue(startAt: Date, now: Date, s: BookingSettings = DEFAULT_BOOKING_SETTINGS): boolean {
  const t = now.getTime()
  return t >= startAt.getTime() - s.reminderMinutes * 60_000 && t < startAt.getTime()
}

/**
 * 3 no-shows within 90 days suspend booking for 30 days. `noShowStarts` are the start times of
 * the person's no-shows; no-shows before `countedSince` (the start of the last suspension)
 * already led to a suspension and do not count again. Returns the end of the new suspension, or
 * null when none is due.
 */
export function suspensionAfterNoShows(
  noShowStarts: readonly Date[],
  now: Date,
  countedSince: Date | null,
  s: BookingSettings = DEFAULT_BOOKING_SETTINGS,
): Date | null {
  const from = now.getTime() - s.noShowWindowDays * 24 * 3600_000
  const floor = Math.max(from, countedSince ? countedSince.getTime() : -Infinity)
  const counted = noShowStarts.filter((d) => d.getTime() >= floor && d.getTime() <= now.getTime()).length
  return counted >= s.noShowLimit ? new Date(now.getTime() + s.suspendDays * 24 * 3600_000) : null
}

export interface BookingRequest {
  roomId: string
  date: string
  start: number
  end: number
  attendees: number
}

/** Every rule a new booking must meet that the request alone decides; the first problem with its field. */
export function bookingProblem(
  req: BookingRequest,
  room: RoomRules,
  blackouts: readonly Blackout[],
  now: Date,
  s: BookingSettings = DEFAULT_BOOKING_SETTINGS,
): { path: string; message: string } | null {
  const checks: Array<[string, () => string | null]> = [
    ['date', () => dateWindowReason(req.date, now, s)],
    ['startSlot', () => openHoursReason(room, req.date, req.start, req.end)],
    ['slotCount', () => durationReason(req.start, req.end, s)],
    ['startSlot', () => noticeReason(startInstant(req.date, req.start), now, s)],
    ['startSlot', () => blackoutReason(blackouts, req.roomId, req.date, req.start, req.end)],
    ['attendees', () => attendeesReason(req.attendees, room.capacity)],
  ]
  for (const [path, check] of checks) {
    const message = check()
    if (message) return { path, message }
  }
  return null
}

// ---------------------------------------------------------------- the state machine

export const BOOKING_STATUSES = ['pending', 'confirmed', 'rejected', 'checked_in', 'completed', 'cancelled', 'no_show'] as const
export type BookingStatus = (typeof BOOKING_STATUSES)[number]

export const BOOKING_STATUS_LABELS: Record<BookingStatus, string> = {
  pending: '待审核',
  confirmed: '已确认',
  rejected: '已驳回',
  checked_in: '已签到',
  completed: '已完成',
  cancelled: '已取消',
  no_show: '爽约',
}

/** Statuses that hold their slots (and a check-in code while not yet checked in). */
export const LIVE_STATUSES: readonly BookingStatus[] = ['pending', 'confirmed', 'checked_in']
/** Statuses a booking ends in (我的预约 folds these under 已结束). */
export const ENDED_STATUSES: readonly BookingStatus[] = ['completed', 'cancelled', 'rejected', 'no_show']
/** Statuses whose week quota place is kept (a cancelled or rejected booking gives it back). */
export const QUOTA_STATUSES: readonly BookingStatus[] = ['pending', 'confirmed', 'checked_in', 'completed', 'no_show']
/** Statuses shown on the staff calendar. */
export const CALENDAR_STATUSES: readonly BookingStatus[] = ['pending', 'confirmed', 'checked_in', 'completed', 'no_show']

export type BookingActor = 'owner' | 'staff' | 'system'

export const BOOKING_ACTIONS = ['approve', 'reject', 'cancel', 'staffCancel', 'checkIn', 'verify', 'noShow', 'complete', 'expire'] as const
export type BookingAction = (typeof BOOKING_ACTIONS)[number]

interface BookingTransition {
  from: readonly BookingStatus[]
  to: BookingStatus
  by: readonly BookingActor[]
}

/** The whole state machine, as data. */
export const BOOKING_TRANSITIONS: Record<BookingAction, BookingTransition> = {
  approve: { from: ['pending'], to: 'confirmed', by: ['staff'] },
  reject: { from: ['pending'], to: 'rejected', by: ['staff'] },
  cancel: { from: ['pending', 'confirmed'], to: 'cancelled', by: ['owner'] },
  staffCancel: { from: ['pending', 'confirmed'], to: 'cancelled', by: ['staff'] },
  checkIn: { from: ['confirmed'], to: 'checked_in', by: ['owner'] },
  verify: { from: ['confirmed'], to: 'checked_in', by: ['staff'] },
  noShow: { from: ['confirmed'], to: 'no_show', by: ['system'] },
  // A confirmed booking never checked in becomes 爽约 15 min after start, before its end.
  complete: { from: ['checked_in'], to: 'completed', by: ['system'] },
  // Still 待审核 when it starts: nobody approved it in time.
  expire: { from: ['pending'], to: 'cancelled', by: ['system'] },
}

export const BOOKING_ACTION_LABELS: Record<BookingAction | 'book', string> = {
  book: '提交预约',
  approve: '审核通过',
  reject: '驳回',
  cancel: '取消预约',
  staffCancel: '工作人员取消',
  checkIn: '签到',
  verify: '核销签到',
  noShow: '爽约释放',
  complete: '使用完成',
  expire: '未及时审核，自动取消',
}

/** Does entering this status free the booking's slots (at once) and its week quota place? */
export function releasesSlots(to: BookingStatus): boolean {
  return to === 'cancelled' || to === 'rejected' || to === 'no_show'
}
export function releasesQuota(to: BookingStatus): boolean {
  return to === 'cancelled' || to === 'rejected'
}
/** The check-in code is only needed while the booking waits for check-in. */
export function releasesCode(to: BookingStatus): boolean {
  return to !== 'pending' && to !== 'confirmed'
}

/** May `actor` perform `action` on a booking in `status`? null = yes; otherwise what the person reads. */
export function transitionReason(status: BookingStatus, action: BookingAction, actor: BookingActor): string | null {
  const rule = BOOKING_TRANSITIONS[action]
  if (!rule.by.includes(actor)) return `您不能对该预约进行「${BOOKING_ACTION_LABELS[action]}」操作`
  if (!rule.from.includes(status)) return `预约当前为「${BOOKING_STATUS_LABELS[status]}」，不能${BOOKING_ACTION_LABELS[action]}`
  return null
}

/** A new booking starts 待审核 when the room needs approval, else 已确认. */
export function initialStatus(needsApproval: boolean): BookingStatus {
  return needsApproval ? 'pending' : 'confirmed'
}
