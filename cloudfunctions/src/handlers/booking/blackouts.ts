/**
 * Blackouts (停用): staff block a whole day or a time range of one room or of every room —
 * holidays, maintenance, official events. The booking rules refuse a blocked range; existing
 * bookings in it are listed back to staff (`affected`) to contact and cancel with a reason.
 */
import { AppError } from '../../../../src/shared/errors'
import type { bookingApi } from '../../../../src/shared/api/booking'
import { LIVE_STATUSES, blackoutCovers, parseHhmm, type Blackout } from '../../../../src/shared/rules/booking'
import { businessDate } from '../../../../src/shared/time'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { requireCleanText } from '../common/content'
import { pageArgs, pageResult } from '../common/paging'
import { BLACKOUTS, BOOKINGS, ROOMS, blackoutOut, getOrNull, loadRoom, newId, staffItemOf, type BlackoutDoc, type BookingDoc, type RoomDoc } from './model'

type H = HandlersOf<typeof bookingApi>

/** The blackouts of a community on some dates (every room's and the community-wide ones). */
export async function blackoutsOn(ctx: Ctx, communityId: string, dates: string[]): Promise<BlackoutDoc[]> {
  if (dates.length === 0) return []
  const sorted = [...dates].sort()
  const res = await ctx.db
    .collection<BlackoutDoc>(BLACKOUTS)
    .where({ communityId, date: ctx._.gte(sorted[0]).and(ctx._.lte(sorted[sorted.length - 1])) })
    .orderBy('date', 'asc')
    .limit(1000)
    .get()
  const want = new Set(dates)
  return res.data.filter((b) => want.has(b.date))
}

export async function roomNamesOf(ctx: Ctx, communityId: string): Promise<Map<string, string>> {
  const res = await ctx.db.collection<RoomDoc>(ROOMS).where({ communityId }).orderBy('order', 'asc').field({ name: true }).limit(200).get()
  return new Map(res.data.map((r) => [r._id, r.name]))
}

export const block: H['block'] = async (input, ctx) => {
  const communityId = ctx.user!.address.communityId
  const invalid = (path: string, message: string) => new AppError('INVALID_INPUT', message, [{ path, message }])
  if (input.roomId) await loadRoom(ctx, input.roomId)
  if (input.date < businessDate(ctx.clock.now())) throw invalid('date', '不能停用已经过去的日期')
  if ((input.start === undefined) !== (input.end === undefined)) throw invalid(input.start === undefined ? 'start' : 'end', '请同时填写开始和结束时间，或都不填（全天停用）')
  const start = input.start === undefined ? null : parseHhmm(input.start)
  const end = input.end === undefined ? null : parseHhmm(input.end)
  if (start !== null && end !== null && end <= start) throw invalid('end', '结束时间须晚于开始时间')
  await requireCleanText(ctx, input.reason, 'reason')
  const doc: BlackoutDoc = {
    _id: newId('bo', ctx.clock.now()),
    communityId,
    roomId: input.roomId ?? null,
    date: input.date,
    start,
    end,
    reason: input.reason,
    createdBy: ctx.openid,
    createdAt: ctx.clock.now(),
  }
  await ctx.db.collection(BLACKOUTS).add({ data: doc as unknown as Record<string, unknown> })
  // Bookings already in the blocked range: staff contact them and cancel with a reason.
  const live = await ctx.db
    .collection<BookingDoc>(BOOKINGS)
    .where({ communityId, date: input.date, status: ctx._.in([...LIVE_STATUSES]) })
    .orderBy('start', 'asc')
    .limit(200)
    .field({ timeline: false })
    .get()
  const b: Blackout = doc
  const affected = live.data.filter((x) => blackoutCovers(b, x.roomId, x.date, x.start, x.end))
  return { blackout: blackoutOut(doc, await roomNamesOf(ctx, communityId)), affected: affected.map(staffItemOf) }
}

export const unblock: H['unblock'] = async (input, ctx) => {
  const b = await getOrNull<BlackoutDoc>(ctx, BLACKOUTS, input.id)
  if (!b || b.communityId !== ctx.user!.address.communityId) throw new AppError('NOT_FOUND', '没有找到该停用安排')
  await ctx.db.collection(BLACKOUTS).where({ _id: b._id, communityId: b.communityId }).remove()
  return { ok: true as const }
}

export const blackouts: H['blackouts'] = async (input, ctx) => {
  const communityId = ctx.user!.address.communityId
  const where: Record<string, unknown> = { communityId, date: ctx._.gte(businessDate(ctx.clock.now())) }
  if (input.roomId) where.roomId = ctx._.in([input.roomId, null])
  const { skip, limit } = pageArgs(input)
  const res = await ctx.db.collection<BlackoutDoc>(BLACKOUTS).where(where).orderBy('date', 'asc').orderBy('start', 'asc').skip(skip).limit(limit + 1).get()
  const names = await roomNamesOf(ctx, communityId)
  return pageResult(
    res.data.map((b) => blackoutOut(b, names)),
    input,
  )
}
