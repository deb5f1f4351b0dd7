/** Display helpers of the volunteer pages. Pure (tests call them directly). */
import type { TagType } from '@/components'
import type { Role } from '@/shared/api/define'
import type { ActivityDetailT, ActivitySummaryT, MySignupT } from '@/shared/api/volunteer'
import type { ActivityPhase, SignupState } from '@/shared/rules/volunteer'
import { atShanghai, formatDate, formatShort, hhmm, minutesOfDay, sh, weekday } from '@/shared/time'
import type { PhaseFilter } from './api'

/** The list's phase chips: 全部 / 可报名 / 已满 / 进行中 / 已结束. */
export const PHASE_FILTERS: ReadonlyArray<{ key: PhaseFilter | 'all'; label: string }> = [
  { key: 'all', label: '全部' },
  { key: 'open', label: '可报名' },
  { key: 'full', label: '已满' },
  { key: 'ongoing', label: '进行中' },
  { key: 'finished', label: '已结束' },
]

/** Staff also find the activities they saved but did not publish yet. */
export const STAFF_PHASE_FILTERS: ReadonlyArray<{ key: PhaseFilter | 'all'; label: string }> = [...PHASE_FILTERS, { key: 'draft', label: '草稿' }]

const PHASE_TAGS: Record<ActivityPhase, TagType> = {
  draft: 'warning',
  open: 'success',
  full: 'warning',
  closed: 'muted',
  ongoing: 'info',
  finished: 'muted',
  cancelled: 'danger',
}

export function phaseTagType(phase: ActivityPhase): TagType {
  return PHASE_TAGS[phase] ?? 'muted'
}

const MINE_LABELS: Record<SignupState, string> = { confirmed: '已报名', waitlisted: '候补中', cancelled: '已取消' }
const MINE_TAGS: Record<SignupState, TagType> = { confirmed: 'success', waitlisted: 'warning', cancelled: 'muted' }

/** The card's "my state" tag (null: not signed up). */
export function mineTag(state: SignupState | null): { label: string; type: TagType } | null {
  return state ? { label: MINE_LABELS[state], type: MINE_TAGS[state] } : null
}

/** 剩余 N 个名额 / 名额已满 · 候补 N 人 (what a card and the detail say about places). */
export function placesText(a: Pick<ActivitySummaryT, 'placesLeft' | 'waitlisted' | 'capacity'>): string {
  if (a.placesLeft > 0) return `剩余 ${a.placesLeft} 个名额`
  return a.waitlisted > 0 ? `名额已满 · 候补 ${a.waitlisted} 人` : '名额已满，可报名候补'
}

/** 2 小时 · 20 积分 */
export function rewardText(a: Pick<ActivitySummaryT, 'hours' | 'points'>): string {
  return `${formatHours(a.hours)} 小时 · ${a.points} 积分`
}

/** 1.5 → "1.5", 2 → "2" (one decimal, as certificates show hours). */
export function formatHours(h: number): string {
  return String(Math.round(h * 10) / 10)
}

/** My sign-up in words: 已报名 / 候补第 3 位 / 已取消 (and 已签到 / 已签退 once done). */
export function signupText(s: MySignupT): string {
  if (s.state === 'waitlisted') return s.position ? `候补第 ${s.position} 位` : '候补中'
  if (s.state === 'cancelled') return s.late ? '已取消（开始前 2 小时内取消，已记录）' : '已取消'
  if (s.checkedOutAt) return '已签退'
  if (s.checkedInAt) return '已签到'
  return '已报名'
}

export function signupTagType(s: MySignupT): TagType {
  if (s.state === 'cancelled') return 'muted'
  if (s.state === 'waitlisted') return 'warning'
  return s.checkedInAt ? 'info' : 'success'
}

/** A cancellation now is late (counted) when it is past `cancelUntil` (2 h before the start). */
export function isLateCancel(a: Pick<ActivityDetailT, 'cancelUntil'>, now: Date = new Date()): boolean {
  return now.getTime() > Date.parse(a.cancelUntil)
}

export const LATE_CANCEL_WARNING = '开始前 2 小时内取消会被记录'

export function cancelConfirmText(a: Pick<ActivityDetailT, 'cancelUntil' | 'signup'>, now: Date = new Date()): string {
  const late = isLateCancel(a, now)
  const waitlisted = a.signup?.state === 'waitlisted'
  if (late && !waitlisted) return `${LATE_CANCEL_WARNING}，确定取消吗？`
  return waitlisted ? '取消后将退出候补，确定取消吗？' : `确定取消报名吗？${formatShort(a.cancelUntil)} 前取消不会被记录。`
}

export function isVolunteerStaff(roles: readonly Role[] | undefined | null): boolean {
  return !!roles && (roles.includes('staff') || roles.includes('admin'))
}

// ---------- the activity form: instants ⇄ date + time pickers (Shanghai) ----------

export interface DateTime {
  /** YYYY-MM-DD */
  date: string
  /** HH:mm */
  time: string
}

export function splitInstant(iso: string): DateTime {
  return { date: sh(iso).format('YYYY-MM-DD'), time: hhmm(minutesOfDay(iso)) }
}

/** An ISO instant of a Shanghai date and time; null when either is missing or malformed. */
export function joinInstant(dt: DateTime): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(dt.date)) return null
  const m = /^(\d{1,2}):(\d{2})$/.exec(dt.time)
  if (!m) return null
  try {
    return atShanghai(dt.date, Number(m[1]) * 60 + Number(m[2])).toISOString()
  } catch {
    return null
  }
}

/** 2026年11月28日 周六 */
export function dateLabel(date: string): string {
  return `${formatDate(atShanghai(date, 12 * 60))} 周${'日一二三四五六'[weekday(date)]}`
}
