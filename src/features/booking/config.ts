/**
 * Settings of the booking feature that come from the build, and its page paths.
 *
 * SUBSCRIBE_TEMPLATES: WeChat one-time subscribe-message template ids (订阅消息) asked for right
 * after a booking is made (审核结果, 开始提醒, 爽约通知). Set them in `.env` at the repo root:
 *   TARO_APP_TPL_BOOKING=tplIdResult,tplIdReminder,tplIdNoShow
 * Unset (local development, H5) → nothing is asked.
 */
function readTemplateEnv(): string {
  try {
    return process.env.TARO_APP_TPL_BOOKING ?? ''
  } catch {
    return ''
  }
}

/** At most 3 templates may be asked for in one requestSubscribeMessage call. */
export const BOOKING_SUBSCRIBE_TEMPLATES: readonly string[] = readTemplateEnv()
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean)
  .slice(0, 3)

const q = encodeURIComponent

/** Pages of the subpackage `packages/booking`. */
export const BOOKING_URLS = {
  rooms: '/packages/booking/pages/rooms/index',
  room: (id: string) => `/packages/booking/pages/room/index?id=${q(id)}`,
  mine: '/packages/booking/pages/mine/index',
  detail: (id: string) => `/packages/booking/pages/detail/index?id=${q(id)}`,
  pending: '/packages/booking/pages/pending/index',
  calendar: '/packages/booking/pages/calendar/index',
  verify: '/packages/booking/pages/verify/index',
  manage: '/packages/booking/pages/manage/index',
  edit: (id?: string) => `/packages/booking/pages/edit/index${id ? `?id=${q(id)}` : ''}`,
} as const

function readStaffTemplateEnv(): string {
  try {
    return process.env.TARO_APP_TPL_BOOKING_STAFF ?? ''
  } catch {
    return ''
  }
}

/**
 * BOOKING_STAFF_SUBSCRIBE_TEMPLATES: the template id staff are asked for each time they approve a
 * booking (新预约待审核, sent by `TPL_BOOKING_NEW`), so the next booking reaches them:
 *   TARO_APP_TPL_BOOKING_STAFF=<booking_new id>
 * Unset → nothing is asked.
 */
export const BOOKING_STAFF_SUBSCRIBE_TEMPLATES: readonly string[] = readStaffTemplateEnv()
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean)
  .slice(0, 3)
