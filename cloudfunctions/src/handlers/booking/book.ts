/**
 * Booking a room. Every rule is checked here on the server; the booking claims its weekly quota
 * place, every 30-min unit of its time range (in time order, the same fixed order for everyone)
 * and a check-in code. A unit held by a live booking is a real "taken": what this booking claimed
 * is undone (all or none). A unit held by a request still in progress is waited for, briefly,
 * keeping what was claimed: since everyone holds a prefix of their range in the same order,
 * waiting cannot deadlock, and a request is told "taken" only when a booking really holds a slot
 * of its range. Only then is the booking written; the job binds its claims to it (claims.ts).
 *
 * The booking's id derives from the request id (runtime/requests.ts): a retry after a crash finds
 * the booking if it was written, or re-claims under the same id (its own claims count as ours).
 */
import { AppError } from '../../../../src/shared/errors'
import type { bookingApi } from '../../../../src/shared/api/booking'
import {
  CLAIM_UNIT_MINUTES,
  SETTING_BOUNDS,
  bookingProblem,
  bookingWeek,
  cancelDeadline,
  claimId,
  claimUnits,
  eligibilityReason,
  endInstant,
  initialStatus,
  parseHhmm,
  quotaId,
  startInstant,
  suspensionReason,
  timeText,
  weeklyQuotaReason,
  type BookingSettings,
} from '../../../../src/shared/rules/booking'
import { addDays, businessDate } from '../../../../src/shared/time'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { requireCleanText } from '../common/content'
import { notifyEffect, pendingOnCreate, settleNow, effectKey, type Effect } from '../common/effects'
import { createdId } from '../../runtime/requests'
import { DB_DUPLICATE_KEY, isDbError } from '../../platform/db'
import { claim, unclaim, type ClaimResult } from './claims'
import { actingFor } from '../common/proxy'
import { proxyText, type ProxyDoc } from '../../../../src/shared/domain/proxy'
import {
  BOOKINGS,
  CLAIMS,
  CODES,
  QUOTA,
  ROOMS,
  ROOM_NOT_FOUND,
  bookingLink,
  detailFor,
  detailOf,
  entry,
  getOrNull,
  roomBlackouts,
  roomRules,
  suspendedUntil,
  type BookingDoc,
  type RoomDoc,
} from './model'

type H = HandlersOf<typeof bookingApi>

const invalid = (path: string, message: string) => new AppError('INVALID_INPUT', message, [{ path, message }])

function randomCode(): string {
  return String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0')
}

export const SLOT_TAKEN = '该时段已被预约，请选择其他时段'
export const SLOT_BUSY = '该时段正有其他居民在预约，请稍后再试'
/** How long a request waits for another one in progress on the same slot. */
const WAIT_MS = 4000

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/** The booking a retried request already wrote, answered as at first (its claims are bound by the job). */
async function existing(ctx: Ctx, id: string) {
  const b = await getOrNull<BookingDoc>(ctx, BOOKINGS, id)
  if (!b || b.ownerId !== ctx.openid) return null
  if (b.effects?.[effectKey(1)]) await settleNow(ctx, BOOKINGS, id, effectKey(1), b.effects[effectKey(1)])
  return detailFor(ctx, b, 'owner')
}

/** A claim record to write: its id, the booking it is for, when. */
type ClaimData = Record<string, unknown> & { _id: string; bookingId: string; at: Date }

/** A range the rules could allow anywhere (a request outside it is refused once the room is read, so it is not claimed before). */
function plausible(date: string, start: number, end: number, today: string): boolean {
  return (
    end > start &&
    end <= 24 * 60 &&
    start % CLAIM_UNIT_MINUTES === 0 &&
    end - start <= SETTING_BOUNDS.maxMinutes[1] &&
    date >= today &&
    date <= addDays(today, SETTING_BOUNDS.maxDaysAhead[1] - 1)
  )
}

/** Add claims at once: true when written, false when one of them was there already (then none, or some, may have been written: read back). */
async function addClaims(ctx: Ctx, collection: string, docs: ClaimData[]): Promise<boolean> {
  if (docs.length === 0) return true
  try {
    if (docs.length === 1) await ctx.db.collection(collection).add({ data: docs[0] })
    else await ctx.db.collection(collection).add({ data: docs })
    return true
  } catch (e) {
    if (isDbError(e, DB_DUPLICATE_KEY)) return false
    throw e
  }
}

/**
 * Claim these units for the booking, in time order, all or none: one `add` of them all (unless
 * `tried` says that was done); if a unit was there, read who holds them, keep what is ours up to
 * the first that is not (letting go of any later one, so everyone holds a prefix of their range in
 * the same order and no two requests wait for each other), and go on one by one, waiting out
 * requests in progress.
 */
async function claimInOrder(
  ctx: Ctx,
  ids: string[],
  doc: (cid: string, i: number) => ClaimData,
  bookingId: string,
  waitUntil: number,
  tried = false,
): Promise<ClaimResult> {
  if (ids.length === 0) return 'ours'
  if (!tried && (await addClaims(ctx, CLAIMS, ids.map(doc)))) return 'ours'
  const holders = await ctx.db
    .collection<{ _id: string; bookingId: string }>(CLAIMS)
    .where({ _id: ctx._.in(ids) })
    .field({ bookingId: true })
    .limit(ids.length)
    .get()
  const ours = new Set(holders.data.filter((c) => c.bookingId === bookingId).map((c) => c._id))
  const from = ids.findIndex((cid) => !ours.has(cid))
  if (from < 0) return 'ours'
  const later = ids.slice(from).filter((cid) => ours.has(cid))
  if (later.length) await unclaim(ctx, CLAIMS, later, bookingId)
  for (const [i, cid] of ids.entries()) {
    if (i < from) continue
    const data = doc(cid, i)
    let got: ClaimResult = await claim(ctx, CLAIMS, cid, data)
    for (let round = 0; got === 'busy' && Date.now() < waitUntil; round++) {
      await pause(5 + Math.random() * Math.min(50, 5 * 2 ** round))
      got = await claim(ctx, CLAIMS, cid, data)
    }
    if (got !== 'ours') return got
  }
  return 'ours'
}

/**
 * The main path is two steps after the caller's record: (1) the room, read while this request
 * claims its slots (as 30-minute units until the room's slot length is known), the first week-quota
 * place and a check-in code; (2) the booking. Whatever the room then refuses is let go again; a
 * claim found taken, a second booking in the week or a longer slot length go on as before, one
 * claim at a time. A retried request takes that path from the start.
 */
export const book: H['book'] = async (input, caller) => {
  // 代办: the booking is the resident's — their eligibility, suspension, weekly quota and name —
  // made by the caller (a grid worker of their grid, or staff), who is recorded as `proxy`.
  const acting = input.onBehalfOf ? await actingFor(caller, input.onBehalfOf) : null
  const ctx: Ctx = acting ? { ...caller, openid: acting.owner._id, user: acting.owner } : caller
  const user = ctx.user!
  const now = ctx.clock.now()
  const id = createdId(ctx, 'bk')
  if (ctx.retry) {
    const found = await existing(ctx, id)
    if (found) return found
  }
  const communityId = user.address.communityId
  const organisation = input.organisation?.trim() || null
  await requireCleanText(ctx, input.purpose, 'purpose')
  if (organisation) await requireCleanText(ctx, organisation, 'organisation')

  const byRange = input.start !== undefined
  const start = parseHhmm(byRange ? input.start! : input.startSlot!)!
  // Until the room is read its slot length is unknown: slots are claimed as 30-minute units first.
  const firstEnd = byRange ? parseHhmm(input.end!)! : start + input.slotCount! * CLAIM_UNIT_MINUTES
  const until = suspendedUntil(ctx)
  const speculate = !ctx.retry && !(until && until.getTime() > now.getTime()) && plausible(input.date, start, firstEnd, businessDate(now))
  const week = bookingWeek(input.date)
  const base = { bookingId: id, at: now, bound: false }
  const minuteOf = new Map<string, number>()
  const unitIds = (from: number, to: number) =>
    claimUnits(from, to).map((m) => {
      const cid = claimId(input.roomId, input.date, m)
      minuteOf.set(cid, m)
      return cid
    })
  const unitDoc = (cid: string) => ({ ...base, _id: cid, roomId: input.roomId, communityId, date: input.date, minute: minuteOf.get(cid)!, openid: ctx.openid })
  const quotaDoc = (n: number) => ({ ...base, _id: quotaId(ctx.openid, week, n), openid: ctx.openid, week, n })
  const codeDoc = (code: string) => ({ ...base, _id: code, communityId })
  // Everything this request may have claimed, let go of (only where it is still ours) when it fails.
  const tried = { slots: new Set<string>(), quota: new Set<string>(), code: new Set<string>() }
  const undo = () =>
    Promise.all([
      unclaim(ctx, CLAIMS, [...tried.slots], id),
      unclaim(ctx, QUOTA, [...tried.quota], id),
      unclaim(ctx, CODES, [...tried.code], id),
    ])

  let doc: BookingDoc
  let effects: Effect[]
  let room: RoomDoc
  let settings: BookingSettings
  try {
    const firstUnits = speculate ? unitIds(start, firstEnd) : []
    const firstCode = randomCode()
    if (speculate) {
      firstUnits.forEach((c) => tried.slots.add(c))
      tried.quota.add(quotaDoc(1)._id)
      tried.code.add(firstCode)
    }
    const [found, first] = await Promise.all([
      getOrNull<RoomDoc>(ctx, ROOMS, input.roomId),
      speculate
        ? Promise.all([addClaims(ctx, CLAIMS, firstUnits.map(unitDoc)), addClaims(ctx, QUOTA, [quotaDoc(1)]), addClaims(ctx, CODES, [codeDoc(firstCode)])])
        : null,
    ])
    if (!found || found.communityId !== communityId || !found.active) {
      throw new AppError('NOT_FOUND', ROOM_NOT_FOUND, [{ path: 'roomId', message: ROOM_NOT_FOUND }])
    }
    room = found
    settings = await roomRules(ctx, room)

    const notAllowed = eligibilityReason(room.bookableBy, { roles: user.roles, verified: user.verified, partyUnit: user.partyUnit })
    if (notAllowed) throw new AppError('FORBIDDEN', notAllowed)
    const suspended = suspensionReason(until, now, settings)
    if (suspended) throw new AppError('PRECONDITION_FAILED', suspended)

    const end = byRange ? firstEnd : start + input.slotCount! * room.slotMinutes
    const problem = bookingProblem({ roomId: room._id, date: input.date, start, end, attendees: input.attendees }, room, roomBlackouts(room), now, settings)
    if (problem) {
      // Report on the fields the caller used: startSlot/slotCount, or start/end.
      const path = byRange && problem.path === 'startSlot' ? 'start' : byRange && problem.path === 'slotCount' ? 'end' : problem.path
      throw invalid(path, problem.message)
    }
    if (room.bookableBy === 'organisations' && !organisation) throw invalid('organisation', '请填写预约的组织（单位）名称')

    // 1. A weekly quota place: quota:openid:week:1 … :maxPerWeek — the next one up when one is held;
    //    only when all are held, who holds them (a place of a booking that no longer keeps it is taken over).
    let quota: string | null = first?.[1] ? quotaDoc(1)._id : null
    for (let n = speculate ? 2 : 1; n <= settings.maxPerWeek && !quota; n++) {
      tried.quota.add(quotaDoc(n)._id)
      if (await addClaims(ctx, QUOTA, [quotaDoc(n)])) quota = quotaDoc(n)._id
    }
    for (let n = 1; n <= settings.maxPerWeek && !quota; n++) {
      const q = quotaDoc(n)
      tried.quota.add(q._id)
      if ((await claim(ctx, QUOTA, q._id, q)) === 'ours') quota = q._id
    }
    if (!quota) throw new AppError('PRECONDITION_FAILED', weeklyQuotaReason(settings.maxPerWeek, input.date, settings)!)

    // 2. Every 30-min unit in time order, all or none; wait out requests in progress.
    const waitUntil = Date.now() + WAIT_MS
    const all = unitIds(start, end)
    all.forEach((c) => tried.slots.add(c))
    let got: ClaimResult = first?.[0] ? 'ours' : await claimInOrder(ctx, firstUnits, unitDoc, id, waitUntil, speculate)
    if (got === 'ours') got = await claimInOrder(ctx, all.slice(firstUnits.length), unitDoc, id, waitUntil)
    if (got === 'taken') throw new AppError('CONFLICT', SLOT_TAKEN, [{ path: 'startSlot', message: SLOT_TAKEN }])
    if (got === 'busy') throw new AppError('CONFLICT', SLOT_BUSY, [{ path: 'startSlot', message: SLOT_BUSY }])

    // 3. A check-in code unique among bookings waiting for check-in.
    let code: string | null = first?.[2] ? firstCode : null
    for (let i = 0; i < 30 && !code; i++) {
      const c = randomCode()
      tried.code.add(c)
      if ((await claim(ctx, CODES, c, codeDoc(c))) === 'ours') code = c
    }
    if (!code) throw new AppError('INTERNAL')

    const status = initialStatus(room.needsApproval)
    const startAt = startInstant(input.date, start)
    doc = {
      _id: id,
      communityId: room.communityId,
      roomId: room._id,
      roomName: room.name,
      roomLocation: room.location ?? null,
      ownerId: ctx.openid,
      ownerName: user.name ?? input.contactName,
      contactName: input.contactName,
      contactPhone: input.contactPhone,
      organisation,
      purpose: input.purpose,
      attendees: input.attendees,
      date: input.date,
      start,
      end,
      startAt,
      endAt: endInstant(input.date, end),
      week,
      claimIds: all,
      quotaId: quota,
      checkCode: code,
      status,
      version: 1,
      remindAt: new Date(startAt.getTime() - settings.reminderMinutes * 60_000),
      reminded: false,
      noShowAt: new Date(startAt.getTime() + settings.noShowAfterMinutes * 60_000),
      cancelBy: cancelDeadline(startAt, settings),
      checkInFrom: new Date(startAt.getTime() - settings.checkInBeforeMinutes * 60_000),
      rejectReason: null,
      cancelReason: null,
      checkedInAt: null,
      checkedInBy: null,
      createdAt: now,
      updatedAt: now,
      timeline: [
        acting
          ? { ...entry(ctx, 'book', null, status, proxyText(acting.proxy)), by: acting.proxy.by, byName: acting.proxy.byName }
          : entry(ctx, 'book', null, status, null),
      ],
      ...(acting ? { proxy: acting.proxy } : {}),
    }
    effects = [
      ...(doc.status === 'pending' ? [tellStaff(ctx, doc, acting ? acting.proxy.by : ctx.openid)] : []),
      ...(acting ? [tellOwnerBooked(ctx, doc, acting.proxy)] : []),
    ]
    try {
      await ctx.db.collection(BOOKINGS).add({ data: { ...doc, ...pendingOnCreate(ctx, effectKey(1), effects) } as unknown as Record<string, unknown> })
    } catch (e) {
      if (!isDbError(e, DB_DUPLICATE_KEY)) throw e
      // Written by an earlier attempt of this very request (its slot and quota claims are the same
      // records): answer from it, letting go only of the check-in code drawn now if it differs.
      const first = await getOrNull<BookingDoc>(ctx, BOOKINGS, id)
      tried.slots.clear()
      tried.quota.clear()
      if (first && tried.code.has(first.checkCode)) tried.code.delete(first.checkCode)
      await undo()
      tried.code.clear()
      const found = await existing(ctx, id)
      if (found) return found
      throw e
    }
  } catch (e) {
    await undo()
    throw e
  }
  await settleNow(ctx, BOOKINGS, id, effectKey(1), effects)
  // 代办: answered to the caller as the resident would see it (the code to pass on), with the caller's own buttons.
  return detailOf(acting ? caller : ctx, doc, 'owner', settings, room.location ?? null)
}

function tellOwnerBooked(ctx: Ctx, b: BookingDoc, proxy: ProxyDoc): Effect {
  return notifyEffect(
    ctx,
    [{ people: [b.ownerId] }],
    {
      title: `${proxy.byRole}为您代办了场地预约`,
      body: `${b.roomName} ${timeText(b.date, b.start, b.end)}。${proxyText(proxy)}，可在「我的预约」查看`,
      link: bookingLink(b._id),
      ref: `booking:${b._id}`,
      template: 'booking_result',
      fields: { room: b.roomName, start: b.startAt, status: b.status === 'pending' ? '待审核' : '已确认', note: `${proxy.byName}代办` },
    },
    proxy.by,
  )
}

function tellStaff(ctx: Ctx, b: BookingDoc, except: string): Effect {
  return notifyEffect(ctx, [{ communityStaff: b.communityId }], {
    title: '新的场地预约待审核',
    body: `${b.roomName} ${timeText(b.date, b.start, b.end)}，${b.contactName}：${b.purpose}`,
    link: bookingLink(b._id),
    ref: `booking:${b._id}`,
    template: 'booking_new',
    fields: { room: b.roomName, start: b.startAt, purpose: b.purpose, status: '待审核' },
  }, except)
}
