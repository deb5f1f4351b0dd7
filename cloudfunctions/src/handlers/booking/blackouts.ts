/**
 * Blackouts (停用): staff block a whole day or a time range of one room or of every room —
 * holidays, maintenance, official events. The booking rules refuse a blocked range; existing
 * bookings in it are listed back to staff (`affected`) to contact and cancel with a reason.
 *
 * A blackout is kept on the rooms it blocks (`rooms.blackouts.<month>.<id>`; a community-wide one
 * on every room of the community, and on rooms created later), where the slot grid, a booking and
 * the calendar read it with the room: blocking and unblocking are one conditional update of the
 * community's rooms, and months over a year old are dropped in the same write.
 */
import { AppError } from '../../../../src/shared/errors'
import type { bookingApi } from '../../../../src/shared/api/booking'
import { LIVE_STATUSES, blackoutCovers, parseHhmm, type Blackout } from '../../../../src/shared/rules/booking'
import { businessDate } from '../../../../src/shared/time'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { requireCleanText } from '../common/content'
import { pageArgs, pageResult } from '../common/paging'
import { BOOKINGS, ROOMS, blackoutMonth, blackoutOut, blackoutsOfRooms, newId, staffItemOf, type BlackoutDoc, type BookingDoc, type RoomDoc } from './model'

type H = HandlersOf<typeof bookingApi>

/** The community's rooms with their names and blackouts (at most 200, as the room list). */
export async function roomsWithBlackouts(ctx: Ctx, communityId: string): Promise<Array<Pick<RoomDoc, '_id' | 'name' | 'blackouts'>>> {
  const res = await ctx.db.collection<RoomDoc>(ROOMS).where({ communityId }).orderBy('order', 'asc').field({ name: true, blackouts: true }).limit(200).get()
  return res.data
}

/** The months kept on a room besides the current one and later: a year back. Older ones are removed by every block. */
function expiredMonths(today: string): string[] {
  const [y, m] = today.split('-').map(Number)
  return Array.from({ length: 24 }, (_, i) => {
    const k = y * 12 + (m - 1) - 13 - i
    return `m${Math.floor(k / 12)}${String((k % 12) + 1).padStart(2, '0')}`
  })
}

/** A blackout id carries its month (`bo202611…`), so unblocking finds it without reading. */
const monthOfId = (id: string): string | null => (/^bo(\d{6})/.exec(id) ? `m${id.slice(2, 8)}` : null)

export const block: H['block'] = async (input, ctx) => {
  const communityId = ctx.user!.address.communityId
  const invalid = (path: string, message: string) => new AppError('INVALID_INPUT', message, [{ path, message }])
  const today = businessDate(ctx.clock.now())
  if (input.date < today) throw invalid('date', '不能停用已经过去的日期')
  if ((input.start === undefined) !== (input.end === undefined)) throw invalid(input.start === undefined ? 'start' : 'end', '请同时填写开始和结束时间，或都不填（全天停用）')
  const start = input.start === undefined ? null : parseHhmm(input.start)
  const end = input.end === undefined ? null : parseHhmm(input.end)
  if (start !== null && end !== null && end <= start) throw invalid('end', '结束时间须晚于开始时间')
  await requireCleanText(ctx, input.reason, 'reason')
  const doc: BlackoutDoc = {
    _id: newId(`bo${input.date.slice(0, 4)}${input.date.slice(5, 7)}`, ctx.clock.now()),
    communityId,
    roomId: input.roomId ?? null,
    date: input.date,
    start,
    end,
    reason: input.reason,
    createdBy: ctx.openid,
    createdAt: ctx.clock.now(),
  }
  // On the room (or every room of the community), dropping months over a year old; the rooms'
  // names and the bookings already in the range are read at the same time.
  const data: Record<string, unknown> = { [`blackouts.${blackoutMonth(doc.date)}.${doc._id}`]: ctx._.set(doc) }
  for (const m of expiredMonths(today)) data[`blackouts.${m}`] = ctx._.remove()
  const [written, rooms, live] = await Promise.all([
    ctx.db
      .collection(ROOMS)
      .where(input.roomId ? { _id: input.roomId, communityId } : { communityId })
      .update({ data }),
    roomsWithBlackouts(ctx, communityId),
    ctx.db
      .collection<BookingDoc>(BOOKINGS)
      .where({ communityId, date: input.date, status: ctx._.in([...LIVE_STATUSES]) })
      .orderBy('start', 'asc')
      .limit(200)
      .field({ timeline: false })
      .get(),
  ])
  if (written.stats.updated === 0) {
    const message = input.roomId ? '没有找到该场地，或它不属于您所在的社区' : '本社区还没有场地'
    throw new AppError('NOT_FOUND', message, input.roomId ? [{ path: 'roomId', message }] : undefined)
  }
  // Bookings already in the blocked range: staff contact them and cancel with a reason.
  const b: Blackout = doc
  const affected = live.data.filter((x) => blackoutCovers(b, x.roomId, x.date, x.start, x.end))
  return { blackout: blackoutOut(doc, new Map(rooms.map((r) => [r._id, r.name]))), affected: affected.map(staffItemOf) }
}

export const unblock: H['unblock'] = async (input, ctx) => {
  const communityId = ctx.user!.address.communityId
  const month = monthOfId(input.id)
  const res = month
    ? await ctx.db
        .collection(ROOMS)
        .where({ communityId, [`blackouts.${month}.${input.id}._id`]: input.id })
        .update({ data: { [`blackouts.${month}.${input.id}`]: ctx._.remove() } })
    : null
  if (!res || res.stats.updated === 0) throw new AppError('NOT_FOUND', '没有找到该停用安排')
  return { ok: true as const }
}

export const blackouts: H['blackouts'] = async (input, ctx) => {
  const communityId = ctx.user!.address.communityId
  const today = businessDate(ctx.clock.now())
  const rooms = await roomsWithBlackouts(ctx, communityId)
  const names = new Map(rooms.map((r) => [r._id, r.name]))
  const rows = blackoutsOfRooms(rooms).filter((b) => b.date >= today && (!input.roomId || b.roomId === null || b.roomId === input.roomId))
  const { skip, limit } = pageArgs(input)
  return pageResult(
    rows.slice(skip, skip + limit + 1).map((b) => blackoutOut(b, names)),
    input,
  )
}

/** The blackouts on some dates of a community's rooms, from the rooms themselves. */
export function blackoutsOn(rooms: ReadonlyArray<Pick<RoomDoc, 'blackouts'>>, dates: readonly string[]): BlackoutDoc[] {
  const want = new Set(dates)
  return blackoutsOfRooms(rooms).filter((b) => want.has(b.date))
}
