/** Rooms: the list, one room with the slot grid of the next 14 days, room management, settings. */
import { AppError } from '../../../../src/shared/errors'
import type { DayOutT, bookingApi } from '../../../../src/shared/api/booking'
import { isStaff } from '../../../../src/shared/domain/user'
import {
  CLAIM_UNIT_MINUTES,
  bookableDates,
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
import { checkedPhotos, requireCleanText } from '../common/content'
import { photoDoc } from '../common/media'
import { pageArgs, pageResult } from '../common/paging'
import { blackoutsOn } from './blackouts'
import {
  CLAIMS,
  ROOMS,
  SETTINGS,
  SUSPENSIONS,
  getOrNull,
  loadRoom,
  loadSettings,
  newId,
  roomOut,
  roomPhotos,
  type ClaimDoc,
  type RoomDoc,
  type SuspensionDoc,
} from './model'

type H = HandlersOf<typeof bookingApi>

export const rooms: H['rooms'] = async (input, ctx) => {
  const user = ctx.user!
  const all = input.includeInactive && isStaff(user)
  const where: Record<string, unknown> = { communityId: user.address.communityId }
  if (!all) where.active = true
  const { skip, limit } = pageArgs(input)
  const res = await ctx.db.collection<RoomDoc>(ROOMS).where(where).orderBy('order', 'asc').skip(skip).limit(limit + 1).get()
  const photos = await roomPhotos(ctx, res.data.slice(0, limit))
  return pageResult(
    res.data.map((r) => roomOut(r, photos.get(r._id))),
    input,
  )
}

function dayLabel(date: string, today: string): string {
  if (date === today) return '今天'
  if (date === addDays(today, 1)) return '明天'
  if (date === addDays(today, 2)) return '后天'
  const [, m, d] = date.split('-').map(Number)
  return `${m}月${d}日`
}

export const room: H['room'] = async (input, ctx) => {
  const user = ctx.user!
  const r = await loadRoom(ctx, input.id, { activeOnly: !isStaff(user), path: 'id' })
  const now = ctx.clock.now()
  const [settings, suspension] = await Promise.all([loadSettings(ctx, r.communityId), getOrNull<SuspensionDoc>(ctx, SUSPENSIONS, ctx.openid)])
  const dates = bookableDates(now, settings)
  const [claims, blackouts, photos] = await Promise.all([
    ctx.db
      .collection<ClaimDoc>(CLAIMS)
      .where({ roomId: r._id, date: ctx._.gte(dates[0]).and(ctx._.lte(dates[dates.length - 1])) })
      .field({ date: true, minute: true })
      .limit(1000)
      .get(),
    blackoutsOn(ctx, r.communityId, dates),
    roomPhotos(ctx, [r]),
  ])
  const taken = new Map<string, Set<number>>()
  for (const c of claims.data) {
    if (!taken.has(c.date)) taken.set(c.date, new Set())
    taken.get(c.date)!.add(c.minute)
  }
  const today = businessDate(now)
  const days: DayOutT[] = dates.map((date) => {
    const a = dayAvailability({ room: r, roomId: r._id, date, now, taken: taken.get(date) ?? new Set(), blackouts, settings })
    return {
      date,
      weekday: a.weekday,
      label: dayLabel(date, today),
      closed: a.closed,
      note: a.note,
      freeCount: a.slots.filter((s) => s.state === 'free').length,
      slots: a.slots.map((s) => ({ id: s.id, end: hhmm(s.end), state: s.state })),
    }
  })
  const cannotBook =
    (!r.active ? '该场地已停用' : null) ??
    eligibilityReason(r.bookableBy, { roles: user.roles, verified: user.verified, partyUnit: user.partyUnit }) ??
    suspensionReason(suspension ? new Date(suspension.until) : null, now, settings)
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
    const doc: RoomDoc = { _id: roomId, communityId: user.address.communityId, ...fields, version: 1 }
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

export const saveSettings: H['saveSettings'] = async (input, ctx) => {
  const communityId = ctx.user!.address.communityId
  const next: BookingSettings = withDefaults({ ...(await loadSettings(ctx, communityId)), ...input })
  if (next.checkInBeforeMinutes + next.noShowAfterMinutes < 5) {
    throw new AppError('INVALID_INPUT', '签到时间窗口过短', [{ path: 'noShowAfterMinutes', message: '签到时间窗口过短' }])
  }
  await ctx.db.collection(SETTINGS).doc(communityId).set({ data: { ...next, updatedAt: ctx.clock.now(), updatedBy: ctx.openid } })
  return next
}
