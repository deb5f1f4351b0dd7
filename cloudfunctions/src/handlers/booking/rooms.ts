/** Rooms: the list, one room with the slot grid of the next 14 days, room management, settings. */
import { saveStoredSettings } from '../common/settings'
import { AppError } from '../../../../src/shared/errors'
import type { DayOutT, bookingApi } from '../../../../src/shared/api/booking'
import { isStaff } from '../../../../src/shared/domain/user'
import {
  CLAIM_UNIT_MINUTES,
  LIVE_STATUSES,
  SETTING_BOUNDS,
  bookableDates,
  claimUnits,
  dayAvailability,
  eligibilityReason,
  parseHhmm,
  suspensionReason,
  withDefaults,
  type BookingSettings,
  type DayHours,
} from '../../../../src/shared/rules/booking'
import { addDays, businessDate, hhmm } from '../../../../src/shared/time'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { checkedPhotos, requireCleanText } from '../common/content'
import { photoDoc } from '../common/media'
import { pageArgs, pageResult } from '../common/paging'
import { roomsWithBlackouts } from './blackouts'
import {
  BOOKINGS,
  ROOMS,
  SETTINGS,
  blackoutMonth,
  blackoutsOfRooms,
  loadRoom,
  loadSettings,
  newId,
  roomBlackouts,
  roomOut,
  roomPhotos,
  roomRules,
  suspendedUntil,
  type BlackoutDoc,
  type BookingDoc,
  type RoomDoc,
} from './model'

type H = HandlersOf<typeof bookingApi>

export const rooms: H['rooms'] = async (input, ctx) => {
  const user = ctx.user!
  const all = input.includeInactive && isStaff(user)
  const where: Record<string, unknown> = { communityId: user.address.communityId }
  if (!all) where.active = true
  const { skip, limit } = pageArgs(input)
  const res = await ctx.db.collection<RoomDoc>(ROOMS).where(where).orderBy('order', 'asc').skip(skip).limit(limit + 1).field({ rules: false, blackouts: false }).get()
  const photos = await roomPhotos(ctx, res.data.slice(0, limit))
  return pageResult(
    res.data.map((r) => roomOut(r, photos.get(r._id))),
    input,
  )
}

/** The days' labels: 今天 / 明天 / 后天 by name, later ones by date (the near ones computed once per look). */
function dayLabeller(today: string): (date: string) => string {
  const near = new Map([
    [today, '今天'],
    [addDays(today, 1), '明天'],
    [addDays(today, 2), '后天'],
  ])
  return (date) => {
    const named = near.get(date)
    if (named) return named
    const [, m, d] = date.split('-').map(Number)
    return `${m}月${d}日`
  }
}

/** The live bookings of a room on these dates (what the slot grid shows taken), oldest date first. */
async function liveOn(ctx: Ctx, roomId: string, from: string, to: string): Promise<Array<Pick<BookingDoc, 'date' | 'start' | 'end'>>> {
  const out: Array<Pick<BookingDoc, 'date' | 'start' | 'end'>> = []
  for (let skip = 0; ; skip += 1000) {
    const page = await ctx.db
      .collection<BookingDoc>(BOOKINGS)
      .where({ roomId, date: ctx._.gte(from).and(ctx._.lte(to)), status: ctx._.in([...LIVE_STATUSES]) })
      .orderBy('date', 'asc')
      .orderBy('start', 'asc')
      .skip(skip)
      .limit(1000)
      .field({ date: true, start: true, end: true })
      .get()
    out.push(...page.data)
    if (page.data.length < 1000) return out
  }
}

/**
 * One room and its slot grid: the room (with its numbers and blackouts) and its live bookings over
 * the longest window any community may set, read together; the suspension is on the caller's record.
 */
export const room: H['room'] = async (input, ctx) => {
  const user = ctx.user!
  const now = ctx.clock.now()
  const today = businessDate(now)
  const [r, booked] = await Promise.all([
    loadRoom(ctx, input.id, { activeOnly: !isStaff(user), path: 'id' }),
    liveOn(ctx, input.id, today, addDays(today, SETTING_BOUNDS.maxDaysAhead[1] - 1)),
  ])
  const settings = await roomRules(ctx, r)
  const dates = bookableDates(now, settings)
  const want = new Set(dates)
  const blackouts = roomBlackouts(r).filter((b) => want.has(b.date))
  const photos = await roomPhotos(ctx, [r])
  const taken = new Map<string, Set<number>>()
  for (const b of booked) {
    if (!taken.has(b.date)) taken.set(b.date, new Set())
    for (const m of claimUnits(b.start, b.end)) taken.get(b.date)!.add(m)
  }
  const dayLabel = dayLabeller(today)
  const days: DayOutT[] = dates.map((date) => {
    const a = dayAvailability({ room: r, roomId: r._id, date, now, taken: taken.get(date) ?? new Set(), blackouts, settings })
    return {
      date,
      weekday: a.weekday,
      label: dayLabel(date),
      closed: a.closed,
      note: a.note,
      freeCount: a.slots.filter((s) => s.state === 'free').length,
      slots: a.slots.map((s) => ({ id: s.id, end: hhmm(s.end), state: s.state })),
    }
  })
  const cannotBook =
    (!r.active ? '该场地已停用' : null) ??
    eligibilityReason(r.bookableBy, { roles: user.roles, verified: user.verified, partyUnit: user.partyUnit }) ??
    suspensionReason(suspendedUntil(ctx), now, settings)
  return { ...roomOut(r, photos.get(r._id)), days, rules: settings, cannotBook }
}

export const saveRoom: H['saveRoom'] = async (input, ctx) => {
  const user = ctx.user!
  const now = ctx.clock.now()
  const existing = input.id ? await loadRoom(ctx, input.id, { path: 'id' }) : null
  if (existing && input.version !== undefined && input.version !== (existing.version ?? 0)) {
    throw new AppError('CONFLICT', '该场地已被他人修改，请刷新后再保存')
  }
  const issues: Array<{ path: string; message: string }> = []
  const openHours: Array<DayHours | null> = input.openHours.map((h, i) => {
    if (!h) return null
    const open = parseHhmm(h.open)!
    const close = parseHhmm(h.close)!
    if (open % CLAIM_UNIT_MINUTES !== 0 || close % CLAIM_UNIT_MINUTES !== 0) issues.push({ path: `openHours.${i}`, message: '开放时间须为整点或半点' })
    else if (close - open < input.slotMinutes) issues.push({ path: `openHours.${i}`, message: `关门时间须晚于开门时间至少 ${input.slotMinutes} 分钟` })
    return { open, close }
  })
  if (issues.length) throw new AppError('INVALID_INPUT', issues[0].message, issues)
  await requireCleanText(ctx, [input.name, input.location ?? '', input.description ?? '', ...input.facilities].join('\n'), 'name')
  // Photos: new ones must be the caller's uploads and go through the media check (the same path as
  // every photo: a pending one shows only to its uploader until the verdict's push); kept ones keep theirs.
  const roomId = existing?._id ?? newId('room-', now)
  const known = new Map((existing?.photos ?? []).map(photoDoc).map((p) => [p.fileId, p]))
  const fresh = [...new Set(input.photos.filter((f) => !known.has(f)))]
  const checked = new Map((await checkedPhotos(ctx, fresh, { collection: ROOMS, docId: roomId })).map((p) => [p.fileId, p]))

  const fields = {
    name: input.name,
    capacity: input.capacity,
    facilities: input.facilities,
    photos: input.photos.map((f) => known.get(f) ?? checked.get(f)!),
    location: input.location || null,
    description: input.description || null,
    openHours,
    slotMinutes: input.slotMinutes,
    bookableBy: input.bookableBy,
    needsApproval: input.needsApproval,
    active: input.active,
    order: input.order,
    updatedAt: now,
  }
  if (!existing) {
    // A new room starts with the community's numbers and its community-wide blackouts (from today on).
    const communityId = user.address.communityId
    const today = businessDate(now)
    const [rules, siblings] = await Promise.all([loadSettings(ctx, communityId), roomsWithBlackouts(ctx, communityId)])
    const blackouts: Record<string, Record<string, BlackoutDoc>> = {}
    for (const b of blackoutsOfRooms(siblings)) if (b.roomId === null && b.date >= today) (blackouts[blackoutMonth(b.date)] ??= {})[b._id] = b
    const doc: RoomDoc = { _id: roomId, communityId, ...fields, version: 1, rules, blackouts }
    await ctx.db.collection(ROOMS).add({ data: doc as unknown as Record<string, unknown> })
    return roomOut(doc, (await roomPhotos(ctx, [doc])).get(doc._id))
  }
  const version = existing.version ?? 0
  const _ = ctx._
  const data: Record<string, unknown> = { ...fields, facilities: _.set(fields.facilities), photos: _.set(fields.photos), openHours: _.set(openHours), version: version + 1 }
  const res = await ctx.db
    .collection(ROOMS)
    .where({ _id: existing._id, version: existing.version === undefined ? _.exists(false) : version })
    .update({ data })
  if (res.stats.updated !== 1) throw new AppError('CONFLICT', '该场地已被他人修改，请刷新后再保存')
  const doc: RoomDoc = { ...existing, ...fields, version: version + 1 }
  return roomOut(doc, (await roomPhotos(ctx, [doc])).get(doc._id))
}

export const settings: H['settings'] = async (_input, ctx) => loadSettings(ctx, ctx.user!.address.communityId)

/**
 * The community's numbers: the settings document and, in the same step, the copy every room of the
 * community carries (what booking reads). Either write failing answers an error, and saving again
 * makes them agree.
 */
export const saveSettings: H['saveSettings'] = async (input, ctx) => {
  const communityId = ctx.user!.address.communityId
  const next: BookingSettings = withDefaults({ ...(await loadSettings(ctx, communityId)), ...input })
  if (next.checkInBeforeMinutes + next.noShowAfterMinutes < 5) {
    throw new AppError('INVALID_INPUT', '签到时间窗口过短', [{ path: 'noShowAfterMinutes', message: '签到时间窗口过短' }])
  }
  await Promise.all([
    saveStoredSettings(ctx, SETTINGS, communityId, next),
    ctx.db.collection(ROOMS).where({ communityId }).update({ data: { rules: ctx._.set(next) } }),
  ])
  return next
}
