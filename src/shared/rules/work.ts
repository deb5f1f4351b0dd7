/**
 * The staff workbench's (工作台) rules, pure: what counts as waiting and as overdue in each group,
 * and the order things are shown in — overdue first, then by deadline.
 *
 * What waits, per group (the server's queries follow these words; handlers/work/summary.ts):
 * - 邻里纠纷 / 居民留言: cases to accept (待受理 / 待回复) and every open case past its deadline;
 * - 上报街道的事项 (the street): every open case at the street level; overdue once its deadline
 *   passed, or flagged by the job at the top level (it clears the deadline then);
 * - 巡查上报待分流: the community's open patrol reports still at the community level;
 * - 场地预约待审核: pending bookings; overdue when not decided `APPROVE_BEFORE_HOURS` before the start;
 * - 今日场地签到: today's confirmed bookings not checked in; overdue once started;
 * - 志愿活动: published activities of today (show the check-in QR) and of the next
 *   `ACTIVITY_DAYS_AHEAD` days (check the roster); never overdue;
 * - 物业申诉与集中评价: appeals not decided and rating bursts flagged for review;
 * - 居民认证: residents not verified yet;
 * - 重点户走访: care-tagged households whose visit is due within `DUE_SOON_DAYS`; overdue once due.
 */
import type { WorkGroupKey } from '../api/work'
import { WORK_GROUPS } from '../api/work'

/** A pending booking should be decided this long before it starts (the resident needs notice). */
export const APPROVE_BEFORE_HOURS = 24

/** Activities starting within today and this many days after are listed (their roster checked). */
export const ACTIVITY_DAYS_AHEAD = 3

/** Property appeals are looked for in this many ended quarters (a close runs after its quarter). */
export const APPEAL_QUARTERS = 4

export interface Urgent {
  overdue: boolean
  /** ISO instant or Date; null: no deadline. */
  dueAt: string | Date | null
}

const time = (d: string | Date | null): number => (d === null ? Number.POSITIVE_INFINITY : new Date(d).getTime())

/** Overdue first; then the nearest deadline; items without a deadline last (a flagged overdue one first among the overdue). */
export function byUrgency(a: Urgent, b: Urgent): number {
  if (a.overdue !== b.overdue) return a.overdue ? -1 : 1
  if (a.overdue && (a.dueAt === null) !== (b.dueAt === null)) return a.dueAt === null ? -1 : 1
  return time(a.dueAt) - time(b.dueAt)
}

export interface Counted {
  key: WorkGroupKey
  count: number
  overdue: number
}

/** Groups with overdue items first, then those with anything waiting, then the empty ones; each in the declared order. */
export function byGroupUrgency(a: Counted, b: Counted): number {
  const rank = (g: Counted) => (g.overdue > 0 ? 0 : g.count > 0 ? 1 : 2)
  return rank(a) - rank(b) || WORK_GROUPS.indexOf(a.key) - WORK_GROUPS.indexOf(b.key)
}

/** "超期 1 · 待受理 2": the non-zero parts, or null. */
export function noteOf(parts: Array<[string, number]>): string | null {
  const shown = parts.filter(([, n]) => n > 0).map(([label, n]) => `${label} ${n}`)
  return shown.length ? shown.join(' · ') : null
}
