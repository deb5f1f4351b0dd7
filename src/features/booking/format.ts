/** Display and selection helpers of the booking pages. Pure (tests call them directly). */
import type { TagType } from '@/components'
import type { Role } from '@/shared/api/define'
import type { BookingDetailT, DayOutT, OpenHoursT, SettingsT } from '@/shared/api/booking'
import { WEEKDAY_LABELS, type BookingStatus } from '@/shared/rules/booking'
import { formatShort } from '@/shared/time'

const STATUS_TAGS: Record<BookingStatus, TagType> = {
  pending: 'warning',
  confirmed: 'success',
  rejected: 'danger',
  checked_in: 'info',
  completed: 'muted',
  cancelled: 'muted',
  no_show: 'danger',
}

export function statusTagType(status: BookingStatus): TagType {
  return STATUS_TAGS[status] ?? 'muted'
}

export function isBookingStaff(roles: readonly Role[] | undefined | null): boolean {
  return !!roles && roles.some((r) => r === 'staff' || r === 'admin')
}

const duration = (min: number) => (min % 60 === 0 ? `${min / 60} 小时` : min > 60 ? `${Math.floor(min / 60)} 小时 ${min % 60} 分钟` : `${min} 分钟`)

/** 可预约今天起 14 天内 · 至少提前 2 小时 · 每次最多 4 小时 · 每周最多 2 次 */
export function rulesText(s: SettingsT): string[] {
  return [
    `可预约今天起 ${s.maxDaysAhead} 天内的时段`,
    `至少提前 ${duration(s.minNoticeMinutes)}，每次最多 ${duration(s.maxMinutes)}`,
    `每人每周（周一至周日）最多 ${s.maxPerWeek} 次`,
    `开始前 ${duration(s.cancelBeforeMinutes)}以前可自行取消`,
    `开始前 ${s.checkInBeforeMinutes} 分钟起签到，开始 ${s.noShowAfterMinutes} 分钟后未签到按爽约处理；${s.noShowWindowDays} 天内爽约 ${s.noShowLimit} 次将暂停预约 ${s.suspendDays} 天`,
  ]
}

/**
 * The page after booking: what happens next and by when. 待审核: staff decide before it starts
 * (still pending then, it is cancelled); 已确认: when to come and check in.
 */
export function bookedDone(b: BookingDetailT): { title: string; next: string; notes: string[]; tone: 'success' | 'warning' } {
  if (b.status === 'pending') {
    return {
      title: '预约已提交，等待审核',
      next: `社区工作人员将在 ${formatShort(b.startAt)} 前审核`,
      notes: [`${b.roomName} · ${b.timeText}`, '审核结果会通知您；通过后显示核销码。'],
      tone: 'warning',
    }
  }
  return {
    title: '预约成功',
    next: `请于 ${formatShort(b.checkInOpensAt)} 起到场签到`,
    notes: [`${b.roomName} · ${b.timeText}`, `到场后出示核销码（在预约详情中）；${formatShort(b.checkInClosesAt)} 前未签到按爽约处理。`],
    tone: 'success',
  }
}

// ---------- the slot grid ----------

/** A selection of consecutive slots of one day: indexes into `day.slots`, inclusive. */
export interface Selection {
  date: string
  from: number
  to: number
}

export interface SelectResult {
  selection: Selection | null
  /** Why the tap did not do what the person may have wanted (shown as a toast). */
  notice: string | null
}

const STATE_NOTICE: Record<string, string> = { taken: '该时段已被预约', closed: '该时段不开放', past: '该时段已过或不足提前预约时间' }

/**
 * A tap on slot `i` of `day`: the first tap selects one slot; a tap on a later (or earlier) free
 * slot extends the selection to it when every slot between is free and the length stays within
 * `maxSlots`, otherwise starts again there; a tap on the last selected slot shortens it.
 */
export function tapSlot(day: DayOutT, current: Selection | null, i: number, maxSlots: number): SelectResult {
  const slot = day.slots[i]
  if (!slot) return { selection: current, notice: null }
  if (slot.state !== 'free') return { selection: current, notice: STATE_NOTICE[slot.state] ?? null }
  const sel = current && current.date === day.date ? current : null
  if (!sel) return { selection: { date: day.date, from: i, to: i }, notice: null }
  if (i >= sel.from && i <= sel.to) {
    if (i === sel.to) return { selection: sel.from === sel.to ? null : { ...sel, to: sel.to - 1 }, notice: null }
    return { selection: { ...sel, to: i }, notice: null }
  }
  const lo = Math.min(i, sel.from)
  const hi = Math.max(i, sel.to)
  const between = day.slots.slice(lo, hi + 1).every((s) => s.state === 'free')
  if (!between) return { selection: { date: day.date, from: i, to: i }, notice: '中间有不可预约的时段，已重新选择' }
  if (hi - lo + 1 > maxSlots) return { selection: { date: day.date, from: i, to: i }, notice: `每次最多选择 ${maxSlots} 个时段，已重新选择` }
  return { selection: { date: day.date, from: lo, to: hi }, notice: null }
}

export function selectionText(day: DayOutT | undefined, sel: Selection | null, slotMinutes: number): string | null {
  if (!day || !sel || sel.date !== day.date) return null
  const first = day.slots[sel.from]
  const last = day.slots[sel.to]
  if (!first || !last) return null
  return `${day.label} ${first.id}–${last.end}（${duration((sel.to - sel.from + 1) * slotMinutes)}）`
}

export const SLOT_STATE_TEXT: Record<string, string> = { free: '可约', taken: '已约', closed: '不开放', past: '已过' }

// ---------- opening hours in the room editor ----------

/** Monday first, as people read a week; values are indexes into openHours (0 = Sunday). */
export const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0] as const
export const weekdayLabel = (i: number) => WEEKDAY_LABELS[i]

export const DEFAULT_OPEN_HOURS: OpenHoursT = Array.from({ length: 7 }, () => ({ open: '08:30', close: '17:30' }))

/** Half-hour times for the pickers: 06:00 … 23:30 (+ 24:00 for closing). */
export function halfHours(closing = false): string[] {
  const out: string[] = []
  for (let m = 6 * 60; m < 24 * 60; m += 30) out.push(`${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`)
  if (closing) out.push('24:00')
  return out
}

// ---------- dates ----------

/** A week's title on one line between the calendar's buttons: 11月23日–29日, 11月30日–12月6日. */
export function weekTitle(from: string, to: string): string {
  const [, fm, fd] = from.split('-').map(Number)
  const [, tm, td] = to.split('-').map(Number)
  return fm === tm ? `${fm}月${fd}日–${td}日` : `${fm}月${fd}日–${tm}月${td}日`
}

/** The slots of a day worth showing: those before the first that is not 已过 are left out (today's morning). */
export function firstShownSlot(slots: ReadonlyArray<{ state: string }>): number {
  const i = slots.findIndex((s) => s.state !== 'past')
  return i < 0 ? slots.length : i
}

/** Today's date in Shanghai as YYYY-MM-DD, from the device clock. */
export function todayShanghai(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10)
}

export function shiftDate(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 24 * 3600_000
  return new Date(t).toISOString().slice(0, 10)
}
