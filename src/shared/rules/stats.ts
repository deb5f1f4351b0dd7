/**
 * 统计与台账 (issue 15): the pure rules behind the monthly figures — which booking statuses count
 * as used (签到使用) or 爽约, how a booking's minutes fall into the hours of the day, how many
 * minutes a room was open in a month (the utilisation's denominator, from its opening hours and
 * blackouts: computed, never counted), and the rates. Shared by the counters' writers, their
 * recounts, the `stats` function and the client.
 */
import { addDays, atShanghai, weekday } from '../time'
import type { BookingStatus, DayHours } from './booking'

/** `YYYY-MM`. */
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/

/** The Shanghai month `YYYY-MM` as instants [from, to) and its business dates. */
export function monthRange(month: string): { from: Date; to: Date; first: string; dates: string[] } {
  const first = `${month}-01`
  const [y, m] = month.split('-').map(Number)
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`
  const dates: string[] = []
  for (let d = first; d < next; d = addDays(d, 1)) dates.push(d)
  return { from: atShanghai(first, 0), to: atShanghai(next, 0), first, dates }
}

/** The month of a business date `YYYY-MM-DD`. */
export const monthOfDate = (date: string): string => date.slice(0, 7)

/** What a booking in this status counts as in the month of its date: used (checked in), 爽约, or nothing (yet). */
export type BookingOutcome = 'used' | 'noShow'
export function bookingOutcome(status: BookingStatus): BookingOutcome | null {
  if (status === 'checked_in' || status === 'completed') return 'used'
  if (status === 'no_show') return 'noShow'
  return null
}

/** A span of minutes after midnight split into the hours of the day it covers: `[[9, 30], [10, 60]]` for 09:30–11:00. */
export function hourShares(start: number, end: number): Array<[number, number]> {
  const out: Array<[number, number]> = []
  for (let h = Math.floor(start / 60); h * 60 < end; h++) {
    const from = Math.max(start, h * 60)
    const to = Math.min(end, (h + 1) * 60)
    if (to > from) out.push([h, to - from])
  }
  return out
}

/** The two-digit key of an hour in the counters (`h.09`): field names sort as the hours do. */
export const hourKey = (h: number): string => String(h).padStart(2, '0')

/** A blocked date or time range as a room carries it (rooms.blackouts): `start` null = the whole day. */
export interface BlockedSpan {
  date: string
  start: number | null
  end: number | null
}

/**
 * Minutes a room was open for booking in each hour of the day over `dates`: its opening hours on
 * each date's weekday, less its blackouts (a whole day, or a range).
 */
export function openMinutesByHour(openHours: ReadonlyArray<DayHours | null>, blackouts: readonly BlockedSpan[], dates: readonly string[]): Map<number, number> {
  const out = new Map<number, number>()
  const byDate = new Map<string, BlockedSpan[]>()
  for (const b of blackouts) byDate.set(b.date, [...(byDate.get(b.date) ?? []), b])
  for (const date of dates) {
    const hours = openHours[weekday(date)]
    if (!hours) continue
    const blocked = byDate.get(date) ?? []
    if (blocked.some((b) => b.start === null)) continue
    for (const [h, minutes] of hourShares(hours.open, hours.close)) {
      const from = Math.max(hours.open, h * 60)
      const to = Math.min(hours.close, (h + 1) * 60)
      const lost = blocked.reduce((n, b) => n + Math.max(0, Math.min(to, b.end ?? 0) - Math.max(from, b.start ?? 0)), 0)
      const open = Math.max(0, minutes - lost)
      if (open > 0) out.set(h, (out.get(h) ?? 0) + open)
    }
  }
  return out
}

/** The dates of `month` a figure counts: the whole month, or up to `today` in the current month. */
export function datesSoFar(month: string, today: string): string[] {
  return monthRange(month).dates.filter((d) => d <= today)
}

/** A percentage with one decimal, or null when there is nothing to divide by. */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : null
}

/** The scopes of the statistics page. */
export const STATS_SCOPES = ['community', 'grid', 'category', 'staff'] as const
export type StatsScope = (typeof STATS_SCOPES)[number]
export const STATS_SCOPE_LABELS: Record<StatsScope, string> = { community: '社区', grid: '网格', category: '类别', staff: '人员' }
