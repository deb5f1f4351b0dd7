/**
 * The one time module. Instants are stored as UTC `Date`s; business dates, slots and deadlines
 * are computed in Asia/Shanghai (北京时间). Asia/Shanghai has kept a fixed UTC+08:00 offset with
 * no daylight saving since 1991, so a fixed offset is exact for every date this product handles
 * and needs no `Intl` time-zone data (which some mini-program runtimes lack). Handlers never call
 * `new Date()`: they take `ctx.clock.now()` so tests can move time.
 */
import dayjs, { type Dayjs } from 'dayjs'
import utc from 'dayjs/plugin/utc'

dayjs.extend(utc)

export const TZ_OFFSET_MINUTES = 8 * 60
export type { Dayjs }

export type Instant = Date | string | number

/** The instant seen on a Shanghai wall clock. */
export function sh(t: Instant): Dayjs {
  return dayjs(t).utcOffset(TZ_OFFSET_MINUTES)
}

// Business dates by arithmetic: a date `YYYY-MM-DD` is its UTC midnight, and Shanghai is UTC+8
// all year. The same answers as dayjs (which the functions below fall back to for anything
// else), at a fraction of the cost: a room's 14-day grid asks for dates and weekdays hundreds of
// times per look.
const DAY_MS = 86_400_000
const OFFSET_MS = TZ_OFFSET_MINUTES * 60_000
/** Years 1000–9999: where `toISOString` writes `YYYY-MM-DD…`. */
const FIRST_MS = Date.UTC(1000, 0, 1)
const END_MS = Date.UTC(10000, 0, 1)
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/

/** `YYYY-MM-DD` of a UTC midnight (or any instant of that UTC day) in years 1000–9999; undefined outside. */
function ymd(ms: number): string | undefined {
  return ms >= FIRST_MS && ms < END_MS ? new Date(ms).toISOString().slice(0, 10) : undefined
}

/** The UTC midnight of a real calendar date written `YYYY-MM-DD`; undefined for anything else. */
function utcMidnight(date: string): number | undefined {
  if (typeof date !== 'string' || !DATE_RE.test(date)) return undefined
  const ms = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)))
  return ymd(ms) === date ? ms : undefined
}

/** Business date `YYYY-MM-DD` in Shanghai. */
export function businessDate(t: Instant): string {
  const ms = t instanceof Date ? t.getTime() : typeof t === 'number' ? new Date(t).getTime() : NaN
  return (Number.isFinite(ms) ? ymd(ms + OFFSET_MS) : undefined) ?? sh(t).format('YYYY-MM-DD')
}

/** The UTC instant of `date` (YYYY-MM-DD, Shanghai) at `minutes` after local midnight. */
export function atShanghai(date: string, minutes = 0): Date {
  const midnight = utcMidnight(date)
  if (midnight !== undefined && Number.isInteger(minutes)) return new Date(midnight + (minutes - TZ_OFFSET_MINUTES) * 60_000)
  const base = dayjs.utc(`${date}T00:00:00Z`)
  if (!base.isValid() || base.format('YYYY-MM-DD') !== date) throw new RangeError(`无效日期: ${date}`)
  return base.add(minutes - TZ_OFFSET_MINUTES, 'minute').toDate()
}

/** Minutes after Shanghai midnight of an instant. */
export function minutesOfDay(t: Instant): number {
  const d = sh(t)
  return d.hour() * 60 + d.minute()
}

/** 0 = Sunday … 6 = Saturday, for a Shanghai business date. */
export function weekday(date: string): number {
  const midnight = utcMidnight(date)
  return midnight !== undefined ? new Date(midnight).getUTCDay() : dayjs.utc(`${date}T00:00:00Z`).day()
}

/** Add whole days to a business date. */
export function addDays(date: string, days: number): string {
  const midnight = utcMidnight(date)
  return (midnight !== undefined && Number.isInteger(days) ? ymd(midnight + days * DAY_MS) : undefined) ?? dayjs.utc(`${date}T00:00:00Z`).add(days, 'day').format('YYYY-MM-DD')
}

/** Monday of the Shanghai week containing `date` (weeks start on Monday in China). */
export function weekStart(date: string): string {
  const wd = weekday(date)
  return addDays(date, wd === 0 ? -6 : 1 - wd)
}

export function addHours(t: Instant, hours: number): Date {
  return dayjs(t).add(hours, 'hour').toDate()
}

export function addMinutes(t: Instant, minutes: number): Date {
  return dayjs(t).add(minutes, 'minute').toDate()
}

function formatHhmm(minutes: number): string {
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`
}
/** Every minute of a day (and 24:00), made once: a room's 14-day grid names hundreds of slots per look. */
const HHMM = Array.from({ length: 24 * 60 + 1 }, (_, m) => formatHhmm(m))

/** `HH:mm` of minutes after midnight. */
export function hhmm(minutes: number): string {
  return HHMM[minutes] ?? formatHhmm(minutes)
}

/** Human Chinese formatting for the UI, in Shanghai time. */
export function formatDateTime(t: Instant): string {
  return sh(t).format('YYYY年M月D日 HH:mm')
}
export function formatDate(t: Instant): string {
  return sh(t).format('YYYY年M月D日')
}
export function formatShort(t: Instant): string {
  return sh(t).format('M月D日 HH:mm')
}

/** Quarter key like `2026Q4` of an instant in Shanghai. */
export function quarterOf(t: Instant): string {
  const d = sh(t)
  return `${d.year()}Q${Math.floor(d.month() / 3) + 1}`
}

/** Milliseconds from a to b. */
export function msBetween(a: Instant, b: Instant): number {
  return dayjs(b).valueOf() - dayjs(a).valueOf()
}
