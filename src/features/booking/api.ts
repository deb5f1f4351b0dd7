/**
 * Everything the booking pages load or change, as plain functions over the one gateway (pages
 * stay thin; tests call these the same way). Errors are `ApiError`s; forms show them inline, so
 * the form calls do not toast.
 */
import { requestSubscribe } from '@/services/subscribe'
import type { ListPage } from '@/components/usePagedList'
import { call } from '@/services/gateway'
import {
  bookingApi,
  type BlackoutOutT,
  type BlockInputT,
  type BookInputT,
  type BookingDetailT,
  type BookingSummaryT,
  type RoomDetailT,
  type RoomSummaryT,
  type SaveRoomInputT,
  type StaffBookingItemT,
} from '@/shared/api/booking'
import { BOOKING_STAFF_SUBSCRIBE_TEMPLATES, BOOKING_SUBSCRIBE_TEMPLATES } from './config'

const quiet = { toast: false } as const
const PAGE_SIZE = 20
const page = (cursor: string | undefined) => ({ pageSize: PAGE_SIZE, ...(cursor ? { cursor } : {}) })

// ---------- residents ----------

export function fetchRooms(cursor: string | undefined, includeInactive = false): Promise<ListPage<RoomSummaryT, string>> {
  return call(bookingApi, 'rooms', { ...page(cursor), includeInactive }, quiet)
}

export function loadRoom(id: string): Promise<RoomDetailT> {
  return call(bookingApi, 'room', { id }, quiet)
}

export function submitBooking(payload: BookInputT, requestId: string): Promise<BookingDetailT> {
  return call(bookingApi, 'book', payload, { requestId, toast: false })
}

/** 我的预约: `upcoming` (soonest first) or `past` (ended or cancelled, latest first). */
export function fetchMyBookings(cursor: string | undefined, scope?: 'upcoming' | 'past'): Promise<ListPage<BookingSummaryT, string>> {
  return call(bookingApi, 'mine', { ...page(cursor), ...(scope ? { scope } : {}) }, quiet)
}

export function loadBooking(id: string): Promise<BookingDetailT> {
  return call(bookingApi, 'get', { id }, quiet)
}

/** The actions of a booking's detail page (the names `BookingDetail.can` uses). */
export type BookingAction = 'cancel' | 'checkIn' | 'approve' | 'reject' | 'staffCancel' | 'verify'

/** Performs one action on the version the page shows (a newer version → CONFLICT). */
export function performBookingAction(b: Pick<BookingDetailT, 'id' | 'version'>, action: Exclude<BookingAction, 'verify'>, reason = ''): Promise<BookingDetailT> {
  const ref = { id: b.id, version: b.version }
  switch (action) {
    case 'cancel':
      return call(bookingApi, 'cancel', { ...ref, ...(reason.trim() ? { reason } : {}) }, quiet)
    case 'checkIn':
      return call(bookingApi, 'checkIn', ref, quiet)
    case 'approve':
      return call(bookingApi, 'approve', ref, quiet)
    case 'reject':
      return call(bookingApi, 'reject', { ...ref, reason }, quiet)
    case 'staffCancel':
      return call(bookingApi, 'staffCancel', { ...ref, reason }, quiet)
  }
}

// ---------- staff ----------

export function fetchPending(cursor: string | undefined): Promise<ListPage<StaffBookingItemT, string>> {
  return call(bookingApi, 'pending', page(cursor), quiet)
}

export function loadCalendar(date: string, span: 'day' | 'week') {
  return call(bookingApi, 'calendar', { date, span }, quiet)
}

/** 核销: a typed or scanned code, optionally checked against the booking on screen. */
export function verifyCode(code: string, bookingId?: string): Promise<BookingDetailT> {
  return call(bookingApi, 'verify', { code, ...(bookingId ? { bookingId } : {}) }, quiet)
}

export function saveRoom(payload: SaveRoomInputT): Promise<RoomSummaryT> {
  return call(bookingApi, 'saveRoom', payload, quiet)
}

export function blockDates(payload: BlockInputT) {
  return call(bookingApi, 'block', payload, quiet)
}

export function unblock(id: string) {
  return call(bookingApi, 'unblock', { id })
}

export function fetchBlackouts(cursor: string | undefined): Promise<ListPage<BlackoutOutT, string>> {
  return call(bookingApi, 'blackouts', page(cursor), quiet)
}

/** Scans the booker's code (weapp; null in H5: type it instead). */
export { scanCode } from '@/services/scan'

/** Asks for the subscribe messages of this feature (see services/subscribe.ts). */
export function requestBookingSubscribe(templates: readonly string[] = BOOKING_SUBSCRIBE_TEMPLATES): Promise<void> {
  return requestSubscribe(templates)
}

/**
 * Asks staff for the next 新预约待审核 message (BOOKING_STAFF_SUBSCRIBE_TEMPLATES). Call it inside
 * the approve tap (WeChat shows the dialog only for a tap); it never blocks or fails the approval.
 */
export function requestBookingStaffSubscribe(templates: readonly string[] = BOOKING_STAFF_SUBSCRIBE_TEMPLATES): Promise<void> {
  return requestSubscribe(templates)
}
