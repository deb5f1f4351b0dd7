/**
 * Every counter the statistics read, recounted from the records it counts — what the counters must
 * equal, whatever crashed when (the tests compare them after a scripted month; a repair job could
 * write these back). Each reads one month (or quarter) of one community on the features' indexes,
 * a page of 1,000 at a time. The case engine's own recount is `recountMonth` (cases/stats.ts).
 */
import { DIMENSIONS, addStars, emptyStars, quarterRange, type Stars } from '../../../../src/shared/rules/property'
import { bookingOutcome, monthRange } from '../../../../src/shared/rules/stats'
import { sh } from '../../../../src/shared/time'
import type { Ctx } from '../../runtime/context'
import { setPath } from '../common/effects'
import { outcomePaths, type BookingStatsRow } from '../booking/figures'
import { BOOKINGS, type BookingDoc } from '../booking/model'
import { LEDGER, type LedgerDoc } from '../volunteer/model'
import { RATINGS, type RatingDoc } from '../property/model'

export { recountMonth } from '../cases/stats'

type Reader = Pick<Ctx, 'db' | '_'>

async function pages<T>(page: (skip: number) => Promise<{ data: T[] }>, each: (x: T) => void): Promise<void> {
  for (let skip = 0; ; skip += 1000) {
    const res = await page(skip)
    res.data.forEach(each)
    if (res.data.length < 1000) return
  }
}

/** `booking_stats/<communityId>:<month>` from the bookings dated in the month (by their status now). */
export async function recountBookings(ctx: Reader, communityId: string, month: string): Promise<{ total: BookingStatsRow; room: Record<string, BookingStatsRow> }> {
  const { dates } = monthRange(month)
  const out: Record<string, unknown> = { total: {}, room: {} }
  await pages(
    (skip) =>
      ctx.db
        .collection<BookingDoc>(BOOKINGS)
        .where({ communityId, date: ctx._.gte(dates[0]).and(ctx._.lte(dates[dates.length - 1])) })
        .orderBy('date', 'asc')
        .orderBy('start', 'asc')
        .field({ communityId: true, roomId: true, date: true, start: true, end: true, status: true })
        .skip(skip)
        .limit(1000)
        .get(),
    (b) => {
      for (const { path, n } of outcomePaths(b, bookingOutcome(b.status))) setPath(out, path, n)
    },
  )
  return out as { total: BookingStatsRow; room: Record<string, BookingStatsRow> }
}

/** The month board `volunteer_totals/board:<communityId>:<month>` from the month's ledger entries. */
export async function recountVolunteerBoard(
  ctx: Reader,
  communityId: string,
  month: string,
): Promise<{ people: Record<string, { points?: number; hours?: number; activities?: number }>; cat: Record<string, { hours?: number; credits?: number }> }> {
  const { from, to } = monthRange(month)
  const out: Record<string, unknown> = { people: {}, cat: {} }
  await pages(
    (skip) => ctx.db.collection<LedgerDoc>(LEDGER).where({ communityId, at: ctx._.gte(from).and(ctx._.lt(to)) }).orderBy('at', 'asc').skip(skip).limit(1000).get(),
    (e) => {
      if (e.points) setPath(out, `people.${e.openid}.points`, e.points)
      if (e.hours) setPath(out, `people.${e.openid}.hours`, e.hours)
      if (e.kind === 'earned') setPath(out, `people.${e.openid}.activities`, 1)
      if (e.category && e.hours) setPath(out, `cat.${e.category}.hours`, e.hours)
      if (e.category && e.kind === 'earned') setPath(out, `cat.${e.category}.credits`, 1)
    },
  )
  return out as Awaited<ReturnType<typeof recountVolunteerBoard>>
}

/** `rating_sums/<communityId>:<companyId>:<quarter>` from the quarter's ratings that count (not excluded). */
export async function recountRatingSums(ctx: Reader, communityId: string, companyId: string, quarter: string): Promise<{ n: number; sums: Stars }> {
  const { start, end } = quarterRange(quarter)
  const hour = (t: Date) => sh(t).format('YYYY-MM-DDTHH')
  let n = 0
  let sums = emptyStars()
  await pages(
    (skip) =>
      ctx.db
        .collection<RatingDoc>(RATINGS)
        .where({ communityId, companyId, hour: ctx._.gte(hour(start)).and(ctx._.lt(hour(end))), excluded: null })
        .field({ stars: true, quarter: true })
        .skip(skip)
        .limit(1000)
        .get(),
    (r) => {
      if (r.quarter !== quarter) return
      n++
      sums = addStars(sums, r.stars, 1)
    },
  )
  return { n, sums: Object.fromEntries(DIMENSIONS.map((d) => [d, sums[d]])) as Stars }
}
