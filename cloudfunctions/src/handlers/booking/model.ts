/**
 * 场地预约, the server side: the stored documents, loading them, who may see and act on a
 * booking, applying a transition by compare-and-set (status + version) and releasing what the
 * booking held, and turning documents into what a caller may see.
 *
 * Round trips (issue 13): what a screen shows is kept where the screen reads it.
 * - A room carries its community's booking numbers (`rules`, a copy of `booking_settings`, written
 *   with it) and the blackouts that concern it (`blackouts`, by month): the slot grid and a booking
 *   read one room document, never the settings or a blackout list beside it.
 * - A booking carries the windows it was made under (`cancelBy`, `checkInFrom`, as `noShowAt`
 *   already did) and its room's location: its detail, and every action on it, read the booking only.
 * - A person's booking suspension is on their own record (`users.bookingSuspendedUntil`), which
 *   serve() has loaded anyway.
 * - What a booking gives back (its slots, week quota place, check-in code) is released by the job
 *   (`releaseDue`, below); the slot grid reads the live bookings, so a freed slot shows free at
 *   once, and a booking made meanwhile takes a released claim over (claims.ts).
 */
import { storedSettings } from '../common/settings'
import { AppError } from '../../../../src/shared/errors'
import type { BlackoutOutT, BookingDetailT, BookingSummaryT, RoomSummaryT, StaffBookingItemT } from '../../../../src/shared/api/booking'
import { isStaff, type UserDoc } from '../../../../src/shared/domain/user'
import { proxyOut, type ProxyDoc } from '../../../../src/shared/domain/proxy'
import {
  BOOKABLE_BY_LABELS,
  BOOKING_ACTION_LABELS,
  BOOKING_STATUS_LABELS,
  BOOKING_TRANSITIONS,
  DEFAULT_BOOKING_SETTINGS,
  blackoutText,
  cancelDeadline,
  cancelReason,
  checkInReason,
  openHoursText,
  releasesCode,
  releasesQuota,
  releasesSlots,
  timeText,
  transitionReason,
  withDefaults,
  type BookableBy,
  type BookingAction,
  type BookingSettings,
  type BookingStatus,
  type DayHours,
} from '../../../../src/shared/rules/booking'
import { hhmm } from '../../../../src/shared/time'
import type { Ctx } from '../../runtime/context'
import { getOrNull } from '../common/docs'
import { effectKey, pendingFields, settleNow, type Effect, type WithEffects } from '../common/effects'
import { photoViews, type PhotoView, type StoredPhoto } from '../common/media'
import { outcomeEffects } from './figures'

// ---------------------------------------------------------------- documents

/** A room of the 党群服务中心 (collection `rooms`). */
export interface RoomDoc {
  _id: string
  communityId: string
  name: string
  capacity: number
  facilities: string[]
  /** With their content check (handlers/common/media.ts); rooms saved before checks were kept hold bare file ids. */
  photos: StoredPhoto[]
  location?: string | null
  description?: string | null
  /** Index 0 = Sunday; null = closed. Minutes after midnight. */
  openHours: Array<DayHours | null>
  slotMinutes: number
  bookableBy: BookableBy
  needsApproval: boolean
  active: boolean
  order: number
  version?: number
  updatedAt?: Date
  /** The community's numbers (a copy of `booking_settings/<communityId>`, written with it); absent on rooms saved before the copy existed. */
  rules?: Partial<BookingSettings>
  /** The blackouts of this room and of every room of the community, by month (`m202611`) and id. */
  blackouts?: Record<string, Record<string, BlackoutDoc>>
}

export interface BookingTimelineDoc {
  at: Date
  by: string
  byName: string
  action: BookingAction | 'book'
  from: BookingStatus | null
  to: BookingStatus
  note: string | null
}

/** A booking (collection `bookings`). */
export interface BookingDoc extends WithEffects {
  _id: string
  communityId: string
  roomId: string
  roomName: string
  ownerId: string
  ownerName: string
  contactName: string
  contactPhone: string
  /** 代办: booked by a grid worker or staff on the owner's behalf, with the owner's consent (domain/proxy.ts); absent otherwise. */
  proxy?: ProxyDoc | null
  organisation: string | null
  purpose: string
  attendees: number
  date: string
  /** Minutes after Shanghai midnight. */
  start: number
  end: number
  startAt: Date
  endAt: Date
  /** Monday of the booking's week (the quota's week). */
  week: string
  /** The 30-min unit claims it holds (`slot_claims` ids) and its week quota place. */
  claimIds: string[]
  quotaId: string
  /** 6 digits, unique among bookings waiting for check-in. */
  checkCode: string
  status: BookingStatus
  version: number
  /** When the 1 h reminder is due, and whether it went out. */
  remindAt: Date
  reminded: boolean
  /** Not checked in by then → 爽约. */
  noShowAt: Date
  /** The owner may cancel until then, and check in from then (the numbers it was booked under). Absent on bookings made before they were kept. */
  cancelBy?: Date
  checkInFrom?: Date
  /** The room's location when it was booked (shown on the detail). */
  roomLocation?: string | null
  /** Set by a change whose status gives something back (slots, quota place, code): the job releases it then removes the mark. */
  releaseDue?: Date
  rejectReason: string | null
  cancelReason: string | null
  checkedInAt: Date | null
  checkedInBy: string | null
  createdAt: Date
  updatedAt: Date
  timeline: BookingTimelineDoc[]
}

/** One claimed 30-min unit of a room (collection `slot_claims`, id `room:date:HHmm`). */
export interface ClaimDoc {
  _id: string
  bookingId: string
  roomId: string
  communityId: string
  date: string
  minute: number
  openid: string
  at: Date
  /** Set once the booking record exists; an unbound claim older than a few minutes is an orphan. */
  bound: boolean
}

/** One of a person's weekly quota places (collection `booking_quota`, id `quota:openid:week:n`). */
export interface QuotaDoc {
  _id: string
  bookingId: string
  openid: string
  week: string
  n: number
  at: Date
  bound: boolean
}

/** A check-in code in use (collection `booking_codes`, id = the 6 digits). */
export interface CodeDoc {
  _id: string
  bookingId: string
  communityId: string
  at: Date
  bound: boolean
}

/** A blocked date or time range, kept on the rooms it blocks (`rooms.blackouts.<month>.<id>`, blackouts.ts). */
export interface BlackoutDoc {
  _id: string
  communityId: string
  roomId: string | null
  date: string
  start: number | null
  end: number | null
  reason: string
  createdBy: string
  createdAt: Date
}

/**
 * A booking suspension after repeated no-shows (collection `booking_suspensions`, id = openid), the
 * record the job counts from; its end is copied to the person's own record (`bookingSuspendedUntil`),
 * where booking reads it.
 */
export interface SuspensionDoc {
  _id: string
  communityId: string
  since: Date
  until: Date
  noShows: number
}

export const ROOMS = 'rooms'
export const BOOKINGS = 'bookings'
export const CLAIMS = 'slot_claims'
export const QUOTA = 'booking_quota'
export const CODES = 'booking_codes'
export const SUSPENSIONS = 'booking_suspensions'
export const SETTINGS = 'booking_settings'

/** An unbound claim this old whose booking does not exist is an orphan of a crashed request. */
export const ORPHAN_AFTER_MS = 2 * 60_000

// ---------------------------------------------------------------- loading

export { getOrNull }

export async function loadSettings(ctx: Ctx, communityId: string): Promise<BookingSettings> {
  return withDefaults(await storedSettings<BookingSettings>(ctx, SETTINGS, communityId))
}

/** A room's numbers: its copy, or (a room saved before rooms carried one) the community's document. */
export async function roomRules(ctx: Ctx, room: Pick<RoomDoc, 'rules' | 'communityId'>): Promise<BookingSettings> {
  return room.rules ? withDefaults(room.rules) : loadSettings(ctx, room.communityId)
}

/** The month a blackout is kept under in a room (`m202611`): old months are dropped whole. */
export const blackoutMonth = (date: string) => `m${date.slice(0, 4)}${date.slice(5, 7)}`

/** Every blackout a room carries (its own and the community-wide ones), by date and start. */
export function roomBlackouts(room: Pick<RoomDoc, 'blackouts'>): BlackoutDoc[] {
  const out = Object.values(room.blackouts ?? {}).flatMap((m) => Object.values(m ?? {}))
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : (a.start ?? -1) - (b.start ?? -1)))
}

/** The blackouts of the community's rooms, each once (community-wide ones are on every room). */
export function blackoutsOfRooms(rooms: ReadonlyArray<Pick<RoomDoc, 'blackouts'>>): BlackoutDoc[] {
  const byId = new Map<string, BlackoutDoc>()
  for (const r of rooms) for (const b of roomBlackouts(r)) byId.set(b._id, b)
  return [...byId.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : (a.start ?? -1) - (b.start ?? -1)))
}

/** The person's booking suspension, from their own record. */
export function suspendedUntil(ctx: Ctx): Date | null {
  const until = (ctx.user as (UserDoc & { bookingSuspendedUntil?: Date | null }) | null)?.bookingSuspendedUntil
  return until ? new Date(until) : null
}

/** The windows a booking was made under, as the rules read them; bookings made before they were kept take today's numbers. */
export async function bookingRules(ctx: Ctx, b: Pick<BookingDoc, 'communityId' | 'startAt' | 'noShowAt' | 'cancelBy' | 'checkInFrom'>): Promise<BookingSettings> {
  if (!b.cancelBy || !b.checkInFrom) return loadSettings(ctx, b.communityId)
  const minutes = (from: Date, to: Date) => Math.round((to.getTime() - from.getTime()) / 60_000)
  return {
    ...DEFAULT_BOOKING_SETTINGS,
    cancelBeforeMinutes: minutes(b.cancelBy, b.startAt),
    checkInBeforeMinutes: minutes(b.checkInFrom, b.startAt),
    noShowAfterMinutes: minutes(b.startAt, b.noShowAt),
  }
}

export const ROOM_NOT_FOUND = '没有找到该场地，或它不属于您所在的社区'

/** A room of the caller's community (anything else is NOT_FOUND). */
export async function loadRoom(ctx: Ctx, id: string, opts: { activeOnly?: boolean; path?: string } = {}): Promise<RoomDoc> {
  const room = await getOrNull<RoomDoc>(ctx, ROOMS, id)
  if (!room || room.communityId !== ctx.user?.address.communityId || (opts.activeOnly && !room.active)) {
    throw new AppError('NOT_FOUND', ROOM_NOT_FOUND, [{ path: opts.path ?? 'roomId', message: ROOM_NOT_FOUND }])
  }
  return room
}

const BOOKING_NOT_FOUND = '没有找到该预约，可能无权查看'

export async function loadBooking(ctx: Ctx, id: string): Promise<BookingDoc> {
  const b = await getOrNull<BookingDoc>(ctx, BOOKINGS, id)
  if (!b) throw new AppError('NOT_FOUND', BOOKING_NOT_FOUND)
  return b
}

export function isCommunityStaff(ctx: Ctx, communityId: string): boolean {
  return isStaff(ctx.user) && ctx.user?.address.communityId === communityId
}

export type Viewer = 'owner' | 'staff'

/** The booker and the staff of its community see a booking; anybody else gets NOT_FOUND. */
export function viewerOf(ctx: Ctx, b: BookingDoc): Viewer | null {
  if (b.ownerId === ctx.openid) return 'owner'
  if (isCommunityStaff(ctx, b.communityId)) return 'staff'
  return null
}

export async function loadVisible(ctx: Ctx, id: string): Promise<{ b: BookingDoc; viewer: Viewer }> {
  const b = await loadBooking(ctx, id)
  const viewer = viewerOf(ctx, b)
  if (!viewer) throw new AppError('NOT_FOUND', BOOKING_NOT_FOUND)
  return { b, viewer }
}

// ---------------------------------------------------------------- transitions

/**
 * Check the state machine for this caller: owner actions by identity, staff actions by role and
 * community. A caller who acted on an older version than the stored one is told it changed (CONFLICT).
 */
export function authorize(ctx: Ctx, b: BookingDoc, action: BookingAction, expectedVersion?: number): void {
  if (expectedVersion !== undefined && expectedVersion !== b.version && (viewerOf(ctx, b) || ctx.source === 'timer')) throw new AppError('CONFLICT', '该预约已被他人更新，请刷新后再操作')
  const by = BOOKING_TRANSITIONS[action].by
  let actor: 'owner' | 'staff' | 'system' | null = null
  if (ctx.source === 'timer') actor = by.includes('system') ? 'system' : null
  else if (by.includes('owner') && b.ownerId === ctx.openid) actor = 'owner'
  else if (by.includes('staff') && isCommunityStaff(ctx, b.communityId)) actor = 'staff'
  if (!actor) {
    if (viewerOf(ctx, b)) throw new AppError('FORBIDDEN', by.includes('owner') ? '只有预约人本人可以进行此操作' : '只有本社区工作人员可以进行此操作')
    throw new AppError('NOT_FOUND', BOOKING_NOT_FOUND)
  }
  const reason = transitionReason(b.status, action, actor)
  if (reason) throw new AppError('PRECONDITION_FAILED', reason)
}

export function entry(ctx: Ctx, action: BookingTimelineDoc['action'], from: BookingStatus | null, to: BookingStatus, note: string | null): BookingTimelineDoc {
  return {
    at: ctx.clock.now(),
    by: ctx.openid || 'system',
    byName: ctx.source === 'timer' ? '系统' : (ctx.user?.name ?? '居民'),
    action,
    from,
    to,
    note,
  }
}

/**
 * Apply a transition by compare-and-set on (status, version): two people acting at once cannot
 * both win; the loser gets CONFLICT and nothing of theirs is written. The timeline entry and the
 * transition's effects (notifications) go in the same write and are settled after it (by the job
 * if that fails). What the new status gives back — the slots (cancel, reject, no-show), the week
 * quota place (cancel, reject) and the check-in code — is marked in the same write (`releaseDue`)
 * and released by the job: the slot grid reads live bookings, so the slots show free at once, and
 * a claim whose booking no longer holds it may be taken over by the next booking meanwhile
 * (claims.ts). One write on the caller's path, and nothing a crash could leave half done.
 */
export async function applyChange(
  ctx: Ctx,
  b: BookingDoc,
  action: BookingAction,
  opts: { expectedVersion?: number; patch?: Partial<BookingDoc>; note?: string | null; effects?: (next: BookingDoc) => Effect[] } = {},
): Promise<BookingDoc> {
  if (opts.expectedVersion !== undefined && opts.expectedVersion !== b.version) {
    throw new AppError('CONFLICT', '该预约已被他人更新，请刷新后再操作')
  }
  const to = BOOKING_TRANSITIONS[action].to
  const now = ctx.clock.now()
  const log = entry(ctx, action, b.status, to, opts.note ?? null)
  const patch = opts.patch ?? {}
  const next: BookingDoc = { ...b, ...patch, status: to, version: b.version + 1, updatedAt: now, timeline: [...b.timeline, log] }
  const key = effectKey(next.version)
  const effects = opts.effects?.(next) ?? []
  // The month's figures (figures.ts) ride on the same write under their own key: the job settles
  // them — at once for its own changes (爽约), at its next run for a person's check-in (no wait of theirs).
  const countKey = `count${key}`
  const counts = outcomeEffects(b, b.status, to)
  const releases = releasesSlots(to) || releasesQuota(to) || releasesCode(to)
  if (releases) next.releaseDue = b.releaseDue ?? now
  const res = await ctx.db
    .collection(BOOKINGS)
    .where({ _id: b._id, status: b.status, version: b.version })
    .update({
      data: {
        ...patch,
        status: to,
        version: b.version + 1,
        updatedAt: now,
        timeline: ctx._.push(log),
        ...(releases ? { releaseDue: next.releaseDue } : {}),
        ...pendingFields(ctx, key, effects, b.effectsDue),
        ...pendingFields(ctx, countKey, counts, b.effectsDue),
      },
    })
  if (res.stats.updated !== 1) throw new AppError('CONFLICT', '该预约已被他人处理，请刷新后查看最新状态')
  await settleNow(ctx, BOOKINGS, b._id, key, effects)
  if (ctx.source === 'timer') await settleNow(ctx, BOOKINGS, b._id, countKey, counts)
  return next
}

/** What a booking in this status gives back. */
export function releasesOf(status: BookingStatus): { slots: boolean; quota: boolean; code: boolean } {
  return { slots: releasesSlots(status), quota: releasesQuota(status), code: releasesCode(status) }
}

/** This very action by this very person was the booking's last change, on the version they saw (a retried call). */
export function isRepeat(ctx: Ctx, b: BookingDoc, expectedVersion: number | undefined, action: BookingAction): boolean {
  const last = b.timeline[b.timeline.length - 1]
  return expectedVersion === b.version - 1 && !!last && !!ctx.openid && last.by === ctx.openid && last.action === action
}

// ---------------------------------------------------------------- output

export function roomOut(r: RoomDoc, photos: PhotoView[] = []): RoomSummaryT {
  const openHours = r.openHours.map((h) => (h ? { open: hhmm(h.open), close: hhmm(h.close) } : null))
  return {
    id: r._id,
    name: r.name,
    capacity: r.capacity,
    facilities: r.facilities ?? [],
    photos,
    location: r.location ?? null,
    description: r.description ?? null,
    openHours,
    openText: openHoursText(r.openHours),
    slotMinutes: r.slotMinutes,
    bookableBy: r.bookableBy,
    bookableByLabel: BOOKABLE_BY_LABELS[r.bookableBy],
    needsApproval: r.needsApproval,
    active: r.active,
    order: r.order ?? 0,
    version: r.version ?? 0,
  }
}

/** The rooms' photos as the caller sees them (photoViews: a photo still being checked only to its uploader), by room id. */
export async function roomPhotos(ctx: Ctx, rooms: RoomDoc[]): Promise<Map<string, PhotoView[]>> {
  const views = await photoViews(ctx, rooms.map((r) => ({ photos: r.photos })))
  return new Map(rooms.map((r, i) => [r._id, views[i].photos]))
}

export function summaryOf(b: BookingDoc): BookingSummaryT {
  return {
    id: b._id,
    roomId: b.roomId,
    roomName: b.roomName,
    date: b.date,
    start: hhmm(b.start),
    end: hhmm(b.end),
    startAt: b.startAt.toISOString(),
    endAt: b.endAt.toISOString(),
    timeText: timeText(b.date, b.start, b.end),
    status: b.status,
    statusLabel: BOOKING_STATUS_LABELS[b.status],
    purpose: b.purpose,
    attendees: b.attendees,
    ownerName: b.ownerName,
    organisation: b.organisation,
    createdAt: b.createdAt.toISOString(),
    version: b.version,
  }
}

export function staffItemOf(b: BookingDoc): StaffBookingItemT {
  return { ...summaryOf(b), contactName: b.contactName, contactPhone: b.contactPhone }
}

/** The check-in window of a stored booking: opens by the settings, closes when it becomes a no-show. */
export function checkInProblem(b: BookingDoc, now: Date, s: BookingSettings): string | null {
  const after = Math.round((b.noShowAt.getTime() - b.startAt.getTime()) / 60_000)
  return checkInReason(b.startAt, now, { ...s, noShowAfterMinutes: after })
}

/** What the caller may do now (the buttons); the server checks again on every action. */
export function allowedActions(ctx: Ctx, b: BookingDoc, s: BookingSettings): string[] {
  const now = ctx.clock.now()
  const out: string[] = []
  if (b.ownerId === ctx.openid) {
    if (!transitionReason(b.status, 'cancel', 'owner') && !cancelReason(b.startAt, now, s)) out.push('cancel')
    if (!transitionReason(b.status, 'checkIn', 'owner') && !checkInProblem(b, now, s)) out.push('checkIn')
  }
  if (isCommunityStaff(ctx, b.communityId)) {
    if (b.status === 'pending') out.push('approve', 'reject')
    if (!transitionReason(b.status, 'staffCancel', 'staff') && b.endAt.getTime() > now.getTime()) out.push('staffCancel')
    if (!transitionReason(b.status, 'verify', 'staff') && !checkInProblem(b, now, s)) out.push('verify')
  }
  return out
}

export function detailOf(ctx: Ctx, b: BookingDoc, viewer: Viewer, s: BookingSettings, roomLocation: string | null): BookingDetailT {
  // Only a confirmed booking has a code to show: a pending one may still be refused.
  const waiting = b.status === 'confirmed'
  return {
    ...summaryOf(b),
    contactName: b.contactName,
    contactPhone: b.contactPhone,
    ...(b.proxy ? { proxy: proxyOut(b.proxy) } : {}),
    checkCode: viewer === 'owner' && waiting ? b.checkCode : null,
    rejectReason: b.rejectReason,
    cancelReason: b.cancelReason,
    checkedInAt: b.checkedInAt ? b.checkedInAt.toISOString() : null,
    checkInOpensAt: (b.checkInFrom ?? new Date(b.startAt.getTime() - s.checkInBeforeMinutes * 60_000)).toISOString(),
    checkInClosesAt: b.noShowAt.toISOString(),
    cancelDeadline: (b.cancelBy ?? cancelDeadline(b.startAt, s)).toISOString(),
    roomLocation,
    timeline: b.timeline.map((t) => ({ at: t.at.toISOString(), byName: t.byName, label: BOOKING_ACTION_LABELS[t.action], note: t.note })),
    can: allowedActions(ctx, b, s),
    viewerRole: viewer,
  }
}

/** The detail as `viewer` sees it: from the booking alone (bookings made before it kept its windows and location also read the settings and the room). */
export async function detailFor(ctx: Ctx, b: BookingDoc, viewer: Viewer): Promise<BookingDetailT> {
  const [s, location] = await Promise.all([
    bookingRules(ctx, b),
    b.roomLocation !== undefined ? b.roomLocation : getOrNull<RoomDoc>(ctx, ROOMS, b.roomId).then((r) => r?.location ?? null),
  ])
  return detailOf(ctx, b, viewer, s, location)
}

/** The detail after an action, for whoever acted. */
export async function answer(ctx: Ctx, b: BookingDoc): Promise<BookingDetailT> {
  return detailFor(ctx, b, viewerOf(ctx, b) ?? 'staff')
}

export function blackoutOut(b: BlackoutDoc, roomNames: Map<string, string>): BlackoutOutT {
  return {
    id: b._id,
    roomId: b.roomId,
    roomName: b.roomId ? (roomNames.get(b.roomId) ?? '（已删除的场地）') : '全部场地',
    date: b.date,
    start: b.start === null ? null : hhmm(b.start),
    end: b.end === null ? null : hhmm(b.end),
    text: blackoutText(b),
    reason: b.reason,
  }
}

export const bookingLink = (id: string) => `/packages/booking/pages/detail/index?id=${id}`

/** A fresh id for a record created by a handler (ids must be known before the claims). */
export function newId(prefix: string, now: Date): string {
  return `${prefix}${now.getTime().toString(36)}${Math.random().toString(36).slice(2, 10)}`
}
