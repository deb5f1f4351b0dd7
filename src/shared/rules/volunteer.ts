/**
 * 志愿服务活动 (volunteer activities, PRODUCT.md §4) as pure rules: the phases an activity goes
 * through, when one may sign up, cancel, be promoted from the waitlist and check in or out, and
 * how attendance becomes hours (工时) and points (积分). Handlers only apply them.
 */
export const ACTIVITY_CATEGORIES = ['环境整治', '关爱老人', '文明劝导', '助学', '应急', '文化活动', '其他'] as const
export type ActivityCategory = (typeof ACTIVITY_CATEGORIES)[number]

/** Stored status: the organiser's decisions. Time moves a published activity on (its phase). */
export const ACTIVITY_STATUSES = ['draft', 'published', 'cancelled'] as const
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number]

/** What a person sees: 草稿 / 可报名 / 已满 / 报名截止 / 进行中 / 已结束 / 已取消. */
export const ACTIVITY_PHASES = ['draft', 'open', 'full', 'closed', 'ongoing', 'finished', 'cancelled'] as const
export type ActivityPhase = (typeof ACTIVITY_PHASES)[number]
export const PHASE_LABELS: Record<ActivityPhase, string> = {
  draft: '草稿',
  open: '可报名',
  full: '已满',
  closed: '报名截止',
  ongoing: '进行中',
  finished: '已结束',
  cancelled: '已取消',
}

export const SIGNUP_STATES = ['confirmed', 'waitlisted', 'cancelled'] as const
export type SignupState = (typeof SIGNUP_STATES)[number]

export interface ActivityTimes {
  status: ActivityStatus
  startAt: Date
  endAt: Date
  signupDeadline: Date
  capacity: number
  taken: number
}

/** Per-community numbers (PRODUCT.md defaults). */
export const VOLUNTEER_RULES = {
  /** Cancel freely, and be promoted from the waitlist, until this long before the start. */
  cancelBeforeMs: 2 * 3600_000,
  /** Check in from this long before the start … */
  checkInBeforeMs: 30 * 60_000,
  /** … and check out until this long after the end. */
  checkOutAfterMs: 60 * 60_000,
  /** Hours are credited only for attending at least this share of the planned length. */
  minAttendance: 0.6,
  /** A check-in QR is valid for its minute and the one before (a photo of it is useless soon). */
  qrWindowMs: 60_000,
  /** A month or year 积分榜 shows this many people (ranked by position: points, then hours). */
  boardSize: 50,
} as const

export function phaseOf(a: ActivityTimes, now: Date): ActivityPhase {
  if (a.status === 'draft') return 'draft'
  if (a.status === 'cancelled') return 'cancelled'
  const t = now.getTime()
  if (t >= a.endAt.getTime()) return 'finished'
  if (t >= a.startAt.getTime()) return 'ongoing'
  if (t > a.signupDeadline.getTime()) return 'closed'
  return a.taken >= a.capacity ? 'full' : 'open'
}

/** Why one cannot sign up now (null: one can — onto the waitlist when full). */
export function signUpProblem(a: ActivityTimes, now: Date): string | null {
  if (a.status === 'draft') return '活动尚未发布'
  if (a.status === 'cancelled') return '活动已取消'
  if (now.getTime() >= a.startAt.getTime()) return '活动已开始，不能再报名'
  if (now.getTime() > a.signupDeadline.getTime()) return '报名已截止'
  return null
}

/** A cancellation later than 2 h before the start is allowed but counted (and frees no place for the waitlist). */
export function isLateCancel(a: Pick<ActivityTimes, 'startAt'>, now: Date): boolean {
  return now.getTime() > a.startAt.getTime() - VOLUNTEER_RULES.cancelBeforeMs
}

export function cancelProblem(a: ActivityTimes, now: Date): string | null {
  if (a.status === 'cancelled') return '活动已取消'
  if (now.getTime() >= a.startAt.getTime()) return '活动已开始，不能再取消报名'
  return null
}

/** Waitlist promotion runs until 2 h before the start. */
export function promotionOpen(a: ActivityTimes, now: Date): boolean {
  return a.status === 'published' && now.getTime() <= a.startAt.getTime() - VOLUNTEER_RULES.cancelBeforeMs
}

export function checkProblem(a: ActivityTimes, now: Date, mode: 'in' | 'out'): string | null {
  if (a.status !== 'published') return a.status === 'cancelled' ? '活动已取消' : '活动尚未发布'
  const t = now.getTime()
  if (mode === 'in') {
    if (t < a.startAt.getTime() - VOLUNTEER_RULES.checkInBeforeMs) return '签到将在活动开始前 30 分钟开放'
    if (t > a.endAt.getTime()) return '活动已结束，不能再签到'
    return null
  }
  if (t < a.startAt.getTime()) return '活动开始后才能签退'
  if (t > a.endAt.getTime() + VOLUNTEER_RULES.checkOutAfterMs) return '已超过签退时间，请联系组织者补录'
  return null
}

/** Hours rounded to one decimal, as certificates show them. */
export const roundHours = (ms: number) => Math.round(ms / 360_000) / 10

export interface Credit {
  attendedMs: number
  plannedMs: number
  /** Whether attendance reached 60 % of the planned length. */
  qualifies: boolean
  hours: number
  points: number
}

/**
 * Attendance → hours and points: the time between check-in and check-out inside the activity's
 * window, capped at the planned length; credited only at ≥ 60 % of it. A volunteer who checked in
 * but not out is counted to the end (the organiser may adjust, with a reason).
 */
export function creditFor(a: Pick<ActivityTimes, 'startAt' | 'endAt'> & { points: number }, checkIn: Date | null, checkOut: Date | null): Credit {
  const plannedMs = a.endAt.getTime() - a.startAt.getTime()
  if (!checkIn) return { attendedMs: 0, plannedMs, qualifies: false, hours: 0, points: 0 }
  const from = Math.max(checkIn.getTime(), a.startAt.getTime())
  const to = Math.min((checkOut ?? a.endAt).getTime(), a.endAt.getTime())
  const attendedMs = Math.max(0, Math.min(to - from, plannedMs))
  const qualifies = attendedMs >= plannedMs * VOLUNTEER_RULES.minAttendance
  return { attendedMs, plannedMs, qualifies, hours: qualifies ? roundHours(attendedMs) : 0, points: qualifies ? a.points : 0 }
}

/** The QR's time window number (minutes since the epoch). */
export const qrWindow = (now: Date) => Math.floor(now.getTime() / VOLUNTEER_RULES.qrWindowMs)

export const LEDGER_KINDS = ['earned', 'bonus', 'spent', 'correction'] as const
export type LedgerKind = (typeof LEDGER_KINDS)[number]
export const LEDGER_LABELS: Record<LedgerKind, string> = { earned: '活动积分', bonus: '奖励积分', spent: '积分兑换', correction: '更正' }
