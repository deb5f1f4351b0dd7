/**
 * Every state change a person makes: read the booking → authorize → rule check (by the windows the
 * booking carries) → compare-and-set with its timeline entry, its notifications and what it gives
 * back marked for the job → answer from the booking: two requests on the caller's path.
 */
import { AppError } from '../../../../src/shared/errors'
import type { bookingApi } from '../../../../src/shared/api/booking'
import { BOOKING_STATUS_LABELS, cancelReason, timeText } from '../../../../src/shared/rules/booking'
import { hhmm, minutesOfDay } from '../../../../src/shared/time'
import type { HandlersOf } from '../../runtime/serve'
import type { Ctx } from '../../runtime/context'
import { requireCleanText } from '../common/content'
import { notifyEffect, type Effect } from '../common/effects'
import {
  BOOKINGS,
  answer,
  applyChange,
  authorize,
  bookingLink,
  bookingRules,
  checkInProblem,
  isCommunityStaff,
  isRepeat,
  loadBooking,
  type BookingDoc,
} from './model'

type H = HandlersOf<typeof bookingApi>

/** Telling the booker what happened (in-app + subscribe message), as an effect of the change. */
export function tellOwner(ctx: Ctx, b: BookingDoc, title: string, note: string, template: 'booking_result' | 'booking_reminder' | 'booking_noshow' = 'booking_result'): Effect {
  return notifyEffect(ctx, [{ people: [b.ownerId] }], {
    title,
    body: `${b.roomName} ${timeText(b.date, b.start, b.end)}${note ? `。${note}` : ''}`,
    link: bookingLink(b._id),
    ref: `booking:${b._id}`,
    template,
    fields: { room: b.roomName, start: b.startAt, status: BOOKING_STATUS_LABELS[b.status], note: note || title },
  })
}

export const cancel: H['cancel'] = async (input, ctx) => {
  const b0 = await loadBooking(ctx, input.id)
  if (isRepeat(ctx, b0, input.version, 'cancel')) return answer(ctx, b0)
  authorize(ctx, b0, 'cancel', input.version)
  const late = cancelReason(b0.startAt, ctx.clock.now(), await bookingRules(ctx, b0))
  if (late) throw new AppError('PRECONDITION_FAILED', late)
  if (input.reason) await requireCleanText(ctx, input.reason, 'reason')
  const b = await applyChange(ctx, b0, 'cancel', {
    expectedVersion: input.version,
    patch: { cancelReason: input.reason || '预约人取消' },
    note: input.reason || null,
  })
  return answer(ctx, b)
}

async function checkInWith(ctx: Ctx, b0: BookingDoc, action: 'checkIn' | 'verify', expectedVersion?: number) {
  authorize(ctx, b0, action, expectedVersion)
  const now = ctx.clock.now()
  const problem = checkInProblem(b0, now, await bookingRules(ctx, b0))
  if (problem) throw new AppError('PRECONDITION_FAILED', problem)
  return applyChange(ctx, b0, action, {
    expectedVersion,
    patch: { checkedInAt: now, checkedInBy: action === 'verify' ? `staff:${ctx.openid}` : 'self' },
    note: action === 'verify' ? '工作人员核销' : '自助签到',
  })
}

export const checkIn: H['checkIn'] = async (input, ctx) => {
  const b0 = await loadBooking(ctx, input.id)
  if (isRepeat(ctx, b0, input.version, 'checkIn')) return answer(ctx, b0)
  return answer(ctx, await checkInWith(ctx, b0, 'checkIn', input.version))
}

export const approve: H['approve'] = async (input, ctx) => {
  const b0 = await loadBooking(ctx, input.id)
  if (isRepeat(ctx, b0, input.version, 'approve')) return answer(ctx, b0)
  authorize(ctx, b0, 'approve', input.version)
  if (b0.startAt.getTime() <= ctx.clock.now().getTime()) throw new AppError('PRECONDITION_FAILED', '预约时间已过，不能再审核通过')
  const b = await applyChange(ctx, b0, 'approve', { expectedVersion: input.version, effects: (n) => [tellOwner(ctx, n, '场地预约已通过', '请按时到场，签到时出示核销码')] })
  return answer(ctx, b)
}

export const reject: H['reject'] = async (input, ctx) => {
  const b0 = await loadBooking(ctx, input.id)
  if (isRepeat(ctx, b0, input.version, 'reject')) return answer(ctx, b0)
  authorize(ctx, b0, 'reject', input.version)
  await requireCleanText(ctx, input.reason, 'reason')
  const b = await applyChange(ctx, b0, 'reject', {
    expectedVersion: input.version,
    patch: { rejectReason: input.reason },
    note: input.reason,
    effects: (n) => [tellOwner(ctx, n, '场地预约未通过', `原因：${input.reason}`)],
  })
  return answer(ctx, b)
}

export const staffCancel: H['staffCancel'] = async (input, ctx) => {
  const b0 = await loadBooking(ctx, input.id)
  if (isRepeat(ctx, b0, input.version, 'staffCancel')) return answer(ctx, b0)
  authorize(ctx, b0, 'staffCancel', input.version)
  await requireCleanText(ctx, input.reason, 'reason')
  const b = await applyChange(ctx, b0, 'staffCancel', {
    expectedVersion: input.version,
    patch: { cancelReason: input.reason },
    note: input.reason,
    effects: (n) => [tellOwner(ctx, n, '场地预约已被社区取消', `原因：${input.reason}`)],
  })
  return answer(ctx, b)
}

/**
 * 核销: staff scan the QR or type the 6 digits. The code is looked up by its indexed field; a
 * code of another community, or of another booking than the one on screen, is refused clearly.
 */
export const verify: H['verify'] = async (input, ctx) => {
  const invalid = (message: string) => new AppError('INVALID_INPUT', message, [{ path: 'code', message }])
  const res = await ctx.db
    .collection<BookingDoc>(BOOKINGS)
    .where({ checkCode: input.code })
    .orderBy('startAt', 'desc')
    .limit(10)
    .get()
  // Codes are unique among bookings waiting for check-in; older bookings may have reused one.
  const waiting = res.data.find((b) => b.status === 'pending' || b.status === 'confirmed')
  const b0 = waiting ?? res.data[0]
  if (!b0) throw invalid('核销码无效，请核对后重新输入')
  // Another community's code answers like an unknown one: staff learn nothing about it.
  if (!isCommunityStaff(ctx, b0.communityId)) throw invalid('核销码无效，请核对后重新输入')
  if (input.bookingId && input.bookingId !== b0._id) throw invalid('核销码与当前预约不符，请核对')
  if (!waiting) {
    if (b0.status === 'checked_in' && b0.checkedInAt) throw new AppError('PRECONDITION_FAILED', `该预约已于 ${hhmm(minutesOfDay(b0.checkedInAt))} 签到`)
    throw new AppError('PRECONDITION_FAILED', `该预约当前为「${BOOKING_STATUS_LABELS[b0.status]}」，不能核销`)
  }
  if (b0.status === 'pending') throw new AppError('PRECONDITION_FAILED', '该预约尚未审核通过，请先审核')
  return answer(ctx, await checkInWith(ctx, b0, 'verify'))
}
