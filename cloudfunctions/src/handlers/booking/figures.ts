/**
 * 场地预约's monthly figures (issue 15): per community and month of the booking's date
 * (`booking_stats/<communityId>:<YYYY-MM>`), the bookings used (签到, then 已完成) and 爽约, and
 * the minutes used per room and per hour of the day — what 利用率 (against the minutes the rooms
 * were open, computed from their opening hours) and 爽约率 are read from, one document a month.
 *
 * A booking counts by its status (rules/stats.ts `bookingOutcome`); a change moves the counters by
 * the difference between its old and new status, as an effect carried in the change's own write
 * (common/effects.ts): exactly once, whoever settles it. The job settles it — at once for the
 * changes it makes itself (爽约), at its next run for a person's check-in — so a check-in costs its
 * caller no wait, and a counter that fails never turns the check-in into an error. The figures
 * always equal a recount of the bookings (`recountBookings`, handlers/stats/recount.ts).
 */
import type { BookingStatus } from '../../../../src/shared/rules/booking'
import { bookingOutcome, hourKey, hourShares, monthOfDate, type BookingOutcome } from '../../../../src/shared/rules/stats'
import type { CountEffect, Effect } from '../common/effects'

export const BOOKING_STATS = 'booking_stats'
export const bookingStatsId = (communityId: string, month: string) => `${communityId}:${month}`

/** A month's document: `total` and each room's row; `h.<HH>` = minutes used in that hour of the day. */
export interface BookingStatsRow {
  used?: number
  noShow?: number
  minutes?: number
  h?: Record<string, number>
}
export interface BookingStatsDoc {
  _id: string
  communityId: string
  month: string
  total: BookingStatsRow
  room: Record<string, BookingStatsRow>
}

type Counted = { communityId: string; roomId: string; date: string; start: number; end: number }

/** The dotted paths a booking counted as `outcome` adds to its month's document. */
export function outcomePaths(b: Counted, outcome: BookingOutcome | null): Array<{ path: string; n: number }> {
  if (!outcome) return []
  const rows = ['total', `room.${b.roomId}`]
  if (outcome === 'noShow') return rows.map((r) => ({ path: `${r}.noShow`, n: 1 }))
  const shares = hourShares(b.start, b.end)
  return rows.flatMap((r) => [
    { path: `${r}.used`, n: 1 },
    { path: `${r}.minutes`, n: b.end - b.start },
    ...shares.map(([h, m]) => ({ path: `${r}.h.${hourKey(h)}`, n: m })),
  ])
}

/** The counter effect of a booking moving from `from` to `to` (none when both count the same). */
export function outcomeEffects(b: Counted, from: BookingStatus | null, to: BookingStatus): Effect[] {
  const before = from ? bookingOutcome(from) : null
  const after = bookingOutcome(to)
  if (before === after) return []
  const inc = new Map<string, number>()
  for (const { path, n } of outcomePaths(b, after)) inc.set(path, (inc.get(path) ?? 0) + n)
  for (const { path, n } of outcomePaths(b, before)) inc.set(path, (inc.get(path) ?? 0) - n)
  const month = monthOfDate(b.date)
  const effect: CountEffect = {
    type: 'count',
    collection: BOOKING_STATS,
    id: bookingStatsId(b.communityId, month),
    seed: { communityId: b.communityId, month, total: {}, room: {} },
    inc: [...inc].filter(([, n]) => n !== 0).map(([path, n]) => ({ path, n })),
  }
  return effect.inc.length ? [effect] : []
}
