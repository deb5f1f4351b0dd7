/** Reading bookings: mine, one booking, the staff approval queue and the calendar. */
import type { bookingApi } from '../../../../src/shared/api/booking'
import { CALENDAR_STATUSES, ENDED_STATUSES, LIVE_STATUSES, WEEKDAY_LABELS } from '../../../../src/shared/rules/booking'
import { addDays, weekStart, weekday } from '../../../../src/shared/time'
import type { HandlersOf } from '../../runtime/serve'
import { pageArgs, pageResult } from '../common/paging'
import { blackoutsOn } from './blackouts'
import { BOOKINGS, ROOMS, blackoutOut, detailFor, loadVisible, roomOut, staffItemOf, summaryOf, type BookingDoc, type RoomDoc } from './model'

type H = HandlersOf<typeof bookingApi>

const LIST_FIELDS = { timeline: false } as const

/**
 * 我的预约. `upcoming`: the live ones (待审核, 已确认, 已签到), soonest first; `past`: those that
 * ended (used, cancelled, rejected, 爽约), latest first; both served by (ownerId, status, startAt).
 */
export const mine: H['mine'] = async (input, ctx) => {
  const { skip, limit } = pageArgs(input)
  const _ = ctx._
  const scope = input.scope
  const where =
    scope === 'upcoming'
      ? { ownerId: ctx.openid, status: _.in([...LIVE_STATUSES]) }
      : scope === 'past'
        ? { ownerId: ctx.openid, status: _.in([...ENDED_STATUSES]) }
        : { ownerId: ctx.openid }
  const res = await ctx.db
    .collection<BookingDoc>(BOOKINGS)
    .where(where)
    .orderBy('startAt', scope === 'upcoming' ? 'asc' : 'desc')
    .skip(skip)
    .limit(limit + 1)
    .field(LIST_FIELDS)
    .get()
  return pageResult(res.data.map(summaryOf), input)
}

/** One booking: the booking alone (it carries its windows and its room's location). */
export const get: H['get'] = async (input, ctx) => {
  const { b, viewer } = await loadVisible(ctx, input.id)
  return detailFor(ctx, b, viewer)
}

export const pending: H['pending'] = async (input, ctx) => {
  const { skip, limit } = pageArgs(input)
  const res = await ctx.db
    .collection<BookingDoc>(BOOKINGS)
    .where({ communityId: ctx.user!.address.communityId, status: 'pending' })
    .orderBy('startAt', 'asc')
    .skip(skip)
    .limit(limit + 1)
    .field(LIST_FIELDS)
    .get()
  return pageResult(res.data.map(staffItemOf), input)
}

export const calendar: H['calendar'] = async (input, ctx) => {
  const communityId = ctx.user!.address.communityId
  const from = input.span === 'week' ? weekStart(input.date) : input.date
  const dates = Array.from({ length: input.span === 'week' ? 7 : 1 }, (_, i) => addDays(from, i))
  const to = dates[dates.length - 1]
  const _ = ctx._
  // The rooms carry their blackouts: two reads, side by side.
  const [rooms, bookings] = await Promise.all([
    ctx.db.collection<RoomDoc>(ROOMS).where({ communityId }).orderBy('order', 'asc').limit(200).field({ rules: false }).get(),
    ctx.db
      .collection<BookingDoc>(BOOKINGS)
      .where({ communityId, date: _.gte(from).and(_.lte(to)), status: _.in([...CALENDAR_STATUSES]) })
      .orderBy('date', 'asc')
      .orderBy('start', 'asc')
      .limit(1000)
      .field(LIST_FIELDS)
      .get(),
  ])
  const blackouts = blackoutsOn(rooms.data, dates)
  const names = new Map(rooms.data.map((r) => [r._id, r.name]))
  return {
    from,
    to,
    dates: dates.map((date) => {
      const [, m, d] = date.split('-').map(Number)
      return { date, label: `${m}月${d}日 ${WEEKDAY_LABELS[weekday(date)]}` }
    }),
    rooms: rooms.data.map((r) => {
      const o = roomOut(r)
      return { id: o.id, name: o.name, capacity: o.capacity, active: o.active, openHours: o.openHours }
    }),
    bookings: bookings.data.map(staffItemOf),
    blackouts: blackouts.map((b) => blackoutOut(b, names)),
  }
}
