/**
 * Booking a room. Every rule is checked here on the server; then the booking claims, one record
 * at a time, its weekly quota place, every 30-min unit of its time range (in time order, the
 * same fixed order for everyone) and a check-in code. A unit held by a live booking is a real
 * "taken": what this booking claimed is undone (all or none). A unit held by a request still in
 * progress is waited for, briefly, keeping what was claimed: since everyone claims in the same
 * order, waiting cannot deadlock, and a request is told "taken" only when a booking really holds
 * a slot of its range. Only then is the booking written, and its claims bound to it.
 *
 * The booking's id derives from the request id (runtime/requests.ts): a retry after a crash finds
 * the booking if it was written, or re-claims under the same id (its own claims count as ours).
 */
import { AppError } from '../../../../src/shared/errors'
import type { bookingApi } from '../../../../src/shared/api/booking'
import {
  bookingProblem,
  bookingWeek,
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
} from '../../../../src/shared/rules/booking'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { requireCleanText } from '../common/content'
import { notifyEffect, pendingOnCreate, settleNow, effectKey, type Effect } from '../common/effects'
import { createdId } from '../../runtime/requests'
import { DB_DUPLICATE_KEY, isDbError } from '../../platform/db'
import { bind, claim, unclaim, type ClaimResult } from './claims'
import { blackoutsOn } from './blackouts'
import {
  BOOKINGS,
  CLAIMS,
  CODES,
  QUOTA,
  SUSPENSIONS,
  bookingLink,
  detailOf,
  entry,
  getOrNull,
  loadRoom,
  loadSettings,
  type BookingDoc,
  type SuspensionDoc,
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

/** The booking a retried request already wrote, answered as at first. */
async function existing(ctx: Ctx, id: string) {
  const b = await getOrNull<BookingDoc>(ctx, BOOKINGS, id)
  if (!b || b.ownerId !== ctx.openid) return null
  await bind(ctx, b)
  if (b.effects?.[effectKey(1)]) await settleNow(ctx, BOOKINGS, id, effectKey(1), b.effects[effectKey(1)])
  const [settings, room] = await Promise.all([loadSettings(ctx, b.communityId), getOrNull<{ location?: string | null }>(ctx, 'rooms', b.roomId)])
  return detailOf(ctx, b, 'owner', settings, room?.location ?? null)
}

export const book: H['book'] = async (input, ctx) => {
  const user = ctx.user!
  const now = ctx.clock.now()
  const id = createdId(ctx, 'bk')
  if (ctx.retry) {
    const found = await existing(ctx, id)
    if (found) return found
  }
  const room = await loadRoom(ctx, input.roomId, { activeOnly: true })
  const settings = await loadSettings(ctx, room.communityId)

  const notAllowed = eligibilityReason(room.bookableBy, { roles: user.roles, verified: user.verified, partyUnit: user.partyUnit })
  if (notAllowed) throw new AppError('FORBIDDEN', notAllowed)
  const suspension = await getOrNull<SuspensionDoc>(ctx, SUSPENSIONS, ctx.openid)
  const suspended = suspensionReason(suspension ? new Date(suspension.until) : null, now, settings)
  if (suspended) throw new AppError('PRECONDITION_FAILED', suspended)

  // The time range, from slots or from start/end.
  let start: number
  let end: number
  if (input.startSlot !== undefined && input.slotCount !== undefined) {
    start = parseHhmm(input.startSlot)!
    end = start + input.slotCount * room.slotMinutes
  } else {
    start = parseHhmm(input.start!)!
    end = parseHhmm(input.end!)!
  }
  const problem = bookingProblem(
    { roomId: room._id, date: input.date, start, end, attendees: input.attendees },
    room,
    await blackoutsOn(ctx, room.communityId, [input.date]),
    now,
    settings,
  )
  if (problem) {
    // Report on the fields the caller used: startSlot/slotCount, or start/end.
    const byRange = input.start !== undefined
    const path = byRange && problem.path === 'startSlot' ? 'start' : byRange && problem.path === 'slotCount' ? 'end' : problem.path
    throw invalid(path, problem.message)
  }
  const organisation = input.organisation?.trim() || null
  if (room.bookableBy === 'organisations' && !organisation) throw invalid('organisation', '请填写预约的组织（单位）名称')
  await requireCleanText(ctx, input.purpose, 'purpose')
  if (organisation) await requireCleanText(ctx, organisation, 'organisation')

  const week = bookingWeek(input.date)
  const base = { bookingId: id, at: now, bound: false }
  const claimed: { quota: string | null; slots: string[]; code: string | null } = { quota: null, slots: [], code: null }
  const undo = async () => {
    await Promise.all([
      unclaim(ctx, CLAIMS, claimed.slots, id),
      unclaim(ctx, QUOTA, claimed.quota ? [claimed.quota] : [], id),
      unclaim(ctx, CODES, claimed.code ? [claimed.code] : [], id),
    ])
  }

  let doc: BookingDoc
  let effects: Effect[]
  try {
    // 1. A weekly quota place: quota:openid:week:1 … :maxPerWeek.
    for (let n = 1; n <= settings.maxPerWeek && !claimed.quota; n++) {
      const qid = quotaId(ctx.openid, week, n)
      if ((await claim(ctx, QUOTA, qid, { ...base, openid: ctx.openid, week, n })) === 'ours') claimed.quota = qid
    }
    if (!claimed.quota) throw new AppError('PRECONDITION_FAILED', weeklyQuotaReason(settings.maxPerWeek, input.date, settings)!)

    // 2. Every 30-min unit, one by one in time order, all or none; wait out requests in progress.
    const waitUntil = Date.now() + WAIT_MS
    for (const minute of claimUnits(start, end)) {
      const cid = claimId(room._id, input.date, minute)
      const data = { ...base, roomId: room._id, communityId: room.communityId, date: input.date, minute, openid: ctx.openid }
      let got: ClaimResult = await claim(ctx, CLAIMS, cid, data)
      for (let round = 0; got === 'busy' && Date.now() < waitUntil; round++) {
        await pause(5 + Math.random() * Math.min(50, 5 * 2 ** round))
        got = await claim(ctx, CLAIMS, cid, data)
      }
      if (got === 'taken') throw new AppError('CONFLICT', SLOT_TAKEN, [{ path: 'startSlot', message: SLOT_TAKEN }])
      if (got === 'busy') throw new AppError('CONFLICT', SLOT_BUSY, [{ path: 'startSlot', message: SLOT_BUSY }])
      claimed.slots.push(cid)
    }

    // 3. A check-in code unique among bookings waiting for check-in.
    for (let i = 0; i < 30 && !claimed.code; i++) {
      const code = randomCode()
      if ((await claim(ctx, CODES, code, { ...base, communityId: room.communityId })) === 'ours') claimed.code = code
    }
    if (!claimed.code) throw new AppError('INTERNAL')

    const status = initialStatus(room.needsApproval)
    const startAt = startInstant(input.date, start)
    doc = {
      _id: id,
      communityId: room.communityId,
      roomId: room._id,
      roomName: room.name,
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
      claimIds: claimed.slots,
      quotaId: claimed.quota,
      checkCode: claimed.code,
      status,
      version: 1,
      remindAt: new Date(startAt.getTime() - settings.reminderMinutes * 60_000),
      reminded: false,
      noShowAt: new Date(startAt.getTime() + settings.noShowAfterMinutes * 60_000),
      rejectReason: null,
      cancelReason: null,
      checkedInAt: null,
      checkedInBy: null,
      createdAt: now,
      updatedAt: now,
      timeline: [entry(ctx, 'book', null, status, null)],
    }
    effects = doc.status === 'pending' ? [tellStaff(ctx, doc)] : []
    try {
      await ctx.db.collection(BOOKINGS).add({ data: { ...doc, ...pendingOnCreate(ctx, effectKey(1), effects) } as unknown as Record<string, unknown> })
    } catch (e) {
      if (!isDbError(e, DB_DUPLICATE_KEY)) throw e
      // Written by an earlier attempt of this very request (its slot and quota claims are the same
      // records): answer from it, letting go only of the check-in code drawn now if it differs.
      const first = await getOrNull<BookingDoc>(ctx, BOOKINGS, id)
      claimed.slots = []
      claimed.quota = null
      if (first && claimed.code === first.checkCode) claimed.code = null
      await unclaim(ctx, CODES, claimed.code ? [claimed.code] : [], id)
      claimed.code = null
      const found = await existing(ctx, id)
      if (found) return found
      throw e
    }
  } catch (e) {
    await undo()
    throw e
  }
  await bind(ctx, doc)
  await settleNow(ctx, BOOKINGS, id, effectKey(1), effects)
  return detailOf(ctx, doc, 'owner', settings, room.location ?? null)
}

function tellStaff(ctx: Ctx, b: BookingDoc): Effect {
  return notifyEffect(ctx, [{ communityStaff: b.communityId }], {
    title: '新的场地预约待审核',
    body: `${b.roomName} ${timeText(b.date, b.start, b.end)}，${b.contactName}：${b.purpose}`,
    link: bookingLink(b._id),
    ref: `booking:${b._id}`,
    template: 'booking_new',
    fields: { room: b.roomName, start: b.startAt, purpose: b.purpose, status: '待审核' },
  })
}
