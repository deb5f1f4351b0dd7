/**
 * Display helpers for cases of both kinds (邻里纠纷, 居民留言): status colours, deadline wording,
 * who handles cases, months and rates. Pure.
 */
import type { TagType } from '@/components'
import type { Role } from '@/shared/api/define'
import type { CaseKind, CaseStatus, Urgency } from '@/shared/rules/cases'
import { formatShort, sh } from '@/shared/time'

const STATUS_TAGS: Record<CaseStatus, TagType> = {
  submitted: 'warning',
  accepted: 'info',
  mediating: 'info',
  waiting_info: 'warning',
  resolved: 'success',
  failed: 'danger',
  closed: 'muted',
  withdrawn: 'muted',
}

export function statusTagType(status: CaseStatus): TagType {
  return STATUS_TAGS[status] ?? 'muted'
}

/**
 * The status as shown: the server's label, except a patrol report routed to a department and not
 * received yet, which reads 待接收 (待分派 is the community's step, already done).
 */
export function shownStatus(c: { kind: CaseKind; status: CaseStatus; level: string; statusLabel: string }): string {
  if (c.kind === 'event' && c.status === 'submitted' && c.level === 'department') return '待接收'
  return c.statusLabel
}

export const URGENCY_LABELS: Record<Urgency, string> = { normal: '一般', urgent: '紧急' }

/** What a message's urgency means (水电气暖: first reply within 2 hours). */
export const UTILITY_LABEL = '水电气暖紧急'

/** What the current deadline is for, by status (a message is answered, a dispute accepted, a patrol report routed to a department and received there). */
function deadlineStage(kind: CaseKind, status: CaseStatus, level?: string): string | null {
  switch (status) {
    case 'submitted':
      if (kind === 'event') return level === 'department' ? '接收' : level === 'street' ? '处置' : '分流转办'
      return kind === 'message' ? '答复' : '受理'
    case 'accepted':
    case 'mediating':
      return '办结'
    case 'resolved':
      return '评价'
    case 'failed':
      return '选择后续办理'
    default:
      return null
  }
}

export interface DeadlineView {
  text: string
  overdue: boolean
  /** The clock is stopped while waiting for the resident (要求补充). */
  paused: boolean
}

export interface DeadlineFacts {
  kind?: CaseKind
  /** Who handles it now (巡查上报: the community routes it, a department receives it). */
  level?: string
  status: CaseStatus
  dueAt: string | null
  overdue: boolean
  paused?: boolean
}

/**
 * "11月24日 10:00 前受理", "已超期 · 11月24日 10:00 前办结", "已暂停计时，等待居民补充", or null
 * when nothing is due.
 */
export function deadlineText(c: DeadlineFacts): DeadlineView | null {
  if (c.paused || c.status === 'waiting_info') return { text: '已暂停计时，等待居民补充', overdue: false, paused: true }
  const stage = deadlineStage(c.kind ?? 'dispute', c.status, c.level)
  if (c.dueAt && stage) {
    const base = `${formatShort(c.dueAt)} 前${stage}`
    return { text: c.overdue ? `已超期 · ${base}` : base, overdue: c.overdue, paused: false }
  }
  if (c.overdue && stage) return { text: `已超过${stage}时限`, overdue: true, paused: false }
  return null
}

/**
 * Said after a resident submits (the success page): who takes it up and by when, from the answer
 * the server gave — 「张伟将在 12月1日 08:31 前受理」, or the grid's mediators while nobody has
 * accepted it yet; a message is answered by the community.
 */
export function submittedNext(c: { kind: CaseKind; dueAt: string | null; assigneeName: string | null; gridName: string | null }): string {
  const who = c.assigneeName ?? (c.kind === 'message' ? '社区工作人员' : c.gridName ? `${c.gridName}的调解员` : '网格调解员')
  const stage = c.kind === 'message' ? '答复' : '受理'
  return c.dueAt ? `${who}将在 ${formatShort(c.dueAt)} 前${stage}` : `${who}将尽快${stage}`
}

/** `【噪音】楼上每晚…` → `楼上每晚…` (the category is shown on its own). */
export function titleWithoutCategory(title: string): string {
  return title.replace(/^【[^】]*】/, '')
}

const HANDLER_ROLES: readonly Role[] = ['grid_worker', 'staff', 'admin', 'street']

/** Grid workers, staff, admin and the street handle cases (待办纠纷, 留言办理). */
export function isCaseHandler(roles: readonly Role[] | undefined | null): boolean {
  return !!roles && roles.some((r) => HANDLER_ROLES.includes(r))
}

/** Community staff and admin see the figures (统计) and may 转办, 改派 and publish to the wall. */
export function isCommunityStaff(roles: readonly Role[] | undefined | null): boolean {
  return !!roles && (roles.includes('staff') || roles.includes('admin'))
}

/** Who sees the figures (统计): community staff and admins, and the street (each community side by side). */
export function seesCaseStats(roles: readonly Role[] | undefined | null): boolean {
  return isCommunityStaff(roles) || (!!roles && roles.includes('street'))
}

/** Staff and grid workers keep the community's saved replies (常用回复). */
export function canKeepTemplates(roles: readonly Role[] | undefined | null): boolean {
  return isCommunityStaff(roles) || (!!roles && roles.includes('grid_worker'))
}

/** The current month in Shanghai, `YYYY-MM`. */
export function currentMonth(now: Date | number = Date.now()): string {
  return sh(now).format('YYYY-MM')
}

/** `2026-11` + 1 → `2026-12`; − 11 → `2025-12`. */
export function addMonths(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number)
  const total = y * 12 + (m - 1) + delta
  const year = Math.floor(total / 12)
  const mon = (total % 12) + 1
  return `${year}-${String(mon).padStart(2, '0')}`
}

/** `2026-11` → `2026年11月`. */
export function monthLabel(month: string): string {
  const [y, m] = month.split('-').map(Number)
  return `${y}年${m}月`
}

/** A percentage from the stats (already 0–100 with one decimal), or — when there is no base. */
export function rateText(rate: number | null): string {
  return rate === null ? '—' : `${rate}%`
}
