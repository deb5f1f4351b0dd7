/**
 * The case engine (案件引擎): one state machine for every kind of case — 邻里纠纷 (dispute, §1),
 * 居民留言 (message, §2) and 巡查上报 (event: a grid worker's patrol report, routed to a
 * department — 分流转办, 吹哨报到). Kinds, states, allowed transitions, who may perform them,
 * deadlines and escalation levels are data here; handlers only apply them.
 * Pure: imports only zod-free helpers from the time module.
 */
import { addDays, atShanghai, businessDate } from '../time'

export const CASE_KINDS = ['dispute', 'message', 'event'] as const
export type CaseKind = (typeof CASE_KINDS)[number]

export const DISPUTE_CATEGORIES = ['噪音', '漏水', '停车', '宠物', '楼道占用', '装修', '物业', '其他'] as const
export const MESSAGE_CATEGORIES = ['咨询', '建议', '投诉', '报修', '物业', '表扬'] as const
export type DisputeCategory = (typeof DISPUTE_CATEGORIES)[number]
export type MessageCategory = (typeof MESSAGE_CATEGORIES)[number]

export const CASE_STATUSES = ['submitted', 'accepted', 'mediating', 'waiting_info', 'resolved', 'failed', 'closed', 'withdrawn'] as const
export type CaseStatus = (typeof CASE_STATUSES)[number]

const DISPUTE_LABELS: Record<CaseStatus, string> = {
  submitted: '待受理',
  accepted: '已受理',
  mediating: '调解中',
  waiting_info: '待补充材料',
  resolved: '已调解',
  failed: '调解未成',
  closed: '已办结',
  withdrawn: '已撤回',
}
const MESSAGE_LABELS: Record<CaseStatus, string> = {
  ...DISPUTE_LABELS,
  mediating: '处理中',
  resolved: '已解决',
  failed: '未能解决',
}
const EVENT_LABELS: Record<CaseStatus, string> = {
  ...MESSAGE_LABELS,
  submitted: '待分派',
  closed: '已办结',
}
export function statusLabel(kind: CaseKind, status: CaseStatus, level?: Level): string {
  // A patrol report routed to a department waits for it to take it (待接收), not to be routed.
  if (kind === 'event' && level === 'department' && status === 'submitted') return '待接收'
  return (kind === 'dispute' ? DISPUTE_LABELS : kind === 'event' ? EVENT_LABELS : MESSAGE_LABELS)[status]
}

/** What a case of this kind is called in a sentence: 纠纷 / 留言 / 上报事项. */
export function kindNounOf(kind: CaseKind): string {
  return kind === 'dispute' ? '纠纷' : kind === 'event' ? '上报事项' : '留言'
}

/** Cases still waiting on someone (not resolved, failed, closed or withdrawn). */
export const OPEN_STATUSES: CaseStatus[] = ['submitted', 'accepted', 'mediating', 'waiting_info']

/**
 * Who handles a case: the grid, the community, a department (职能部门: a patrol report routed to
 * it by the community or, after 吹哨, by the street), the street. Escalation goes up to the street;
 * an overdue department escalates to the street too (街乡吹哨、部门报到).
 */
export const LEVELS = ['grid', 'community', 'department', 'street'] as const
export type Level = (typeof LEVELS)[number]
export const LEVEL_LABELS: Record<Level, string> = { grid: '网格', community: '社区', department: '职能部门', street: '街道' }
const NEXT_LEVEL: Record<Level, Level | null> = { grid: 'community', community: 'street', department: 'street', street: null }
export function nextLevel(level: Level): Level | null {
  return NEXT_LEVEL[level]
}

export const URGENCIES = ['normal', 'urgent'] as const
export type Urgency = (typeof URGENCIES)[number]

export const SATISFACTIONS = ['satisfied', 'basically', 'unsatisfied'] as const
export type Satisfaction = (typeof SATISFACTIONS)[number] | 'default'
export const SATISFACTION_LABELS: Record<Satisfaction, string> = {
  satisfied: '满意',
  basically: '基本满意',
  unsatisfied: '不满意',
  default: '默认满意',
}

/** Per-community settings (PRODUCT.md defaults). */
export interface CaseSettings {
  acceptHours: number
  urgentAcceptHours: number
  resolveDays: number
  complexResolveDays: number
  rateDays: number
  maxReopens: number
  /** A failed case (调解未成 / 未能解决) with no next step is closed by the job after this many days. */
  failedCloseDays: number
}
export const DEFAULT_CASE_SETTINGS: CaseSettings = {
  acceptHours: 24,
  urgentAcceptHours: 2,
  resolveDays: 7,
  complexResolveDays: 15,
  rateDays: 7,
  maxReopens: 1,
  failedCloseDays: 7,
}

/** A community's stored settings over the defaults (unknown or out-of-range values fall back). */
export function caseSettingsWithDefaults(stored: Partial<CaseSettings> | null | undefined): CaseSettings {
  const out = { ...DEFAULT_CASE_SETTINGS }
  for (const k of Object.keys(out) as Array<keyof CaseSettings>) {
    const v = stored?.[k]
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) out[k] = v
  }
  return out
}

/** Cross-field rules an admin's settings must keep (each field's own bounds are in the contract). */
export function caseSettingsProblem(s: CaseSettings): { path: keyof CaseSettings; message: string } | null {
  if (s.urgentAcceptHours > s.acceptHours) return { path: 'urgentAcceptHours', message: '紧急受理时限不能长于一般受理时限' }
  if (s.complexResolveDays < s.resolveDays) return { path: 'complexResolveDays', message: '复杂案件办结时限不能短于一般办结时限' }
  return null
}

/** Who acts, relative to one case. */
export type Actor = 'owner' | 'handler' | 'system'

export const CASE_ACTIONS = [
  'accept',
  'start',
  'resolve',
  'fail',
  'withdraw',
  'requestInfo',
  'supplyInfo',
  'escalate',
  'refer',
  'rate',
  'close',
  'autoClose',
  'autoEscalate',
] as const
export type CaseAction = (typeof CASE_ACTIONS)[number]

interface TransitionRule {
  from: readonly CaseStatus[]
  /** Target status; `null` means "decided by the action" (rate, supplyInfo, escalate). */
  to: CaseStatus | null
  by: readonly Actor[]
}

/** The whole state machine, as data. */
export const TRANSITIONS: Record<CaseAction, TransitionRule> = {
  accept: { from: ['submitted'], to: 'accepted', by: ['handler'] },
  start: { from: ['accepted'], to: 'mediating', by: ['handler'] },
  // A patrol report is finished when its handler resolves it (办结): nobody rates it.
  resolve: { from: ['accepted', 'mediating'], to: null, by: ['handler'] },
  fail: { from: ['accepted', 'mediating'], to: 'failed', by: ['handler'] },
  withdraw: { from: ['submitted', 'accepted', 'mediating', 'waiting_info'], to: 'withdrawn', by: ['owner'] },
  // Asking the resident for more (要求补充) pauses the clock; as a first reply it also accepts.
  requestInfo: { from: ['submitted', 'accepted', 'mediating'], to: 'waiting_info', by: ['handler'] },
  supplyInfo: { from: ['waiting_info'], to: null, by: ['owner'] },
  escalate: { from: ['submitted', 'accepted', 'mediating', 'failed'], to: 'submitted', by: ['handler'] },
  // After 调解未成: the handler refers it, or the resident asks for the 人民调解委员会 …
  refer: { from: ['failed'], to: 'closed', by: ['handler', 'owner'] },
  // … or either closes it (the resident gives up; staff record the result) …
  close: { from: ['failed'], to: 'closed', by: ['handler', 'owner'] },
  rate: { from: ['resolved'], to: null, by: ['owner'] },
  // … or the job closes it after failedCloseDays, as it closes an unrated resolved case.
  autoClose: { from: ['resolved', 'failed'], to: 'closed', by: ['system'] },
  autoEscalate: { from: ['submitted', 'accepted', 'mediating'], to: null, by: ['system'] },
}

export type TimelineAction =
  | CaseAction
  | 'submit'
  | 'note'
  | 'reassign'
  | 'markComplex'
  | 'reply'
  | 'answer'
  | 'takeOver'
  | 'publish'
  | 'unpublish'
  | 'sendBack'
  | 'route'
  | 'whistle'

export const ACTION_LABELS: Record<TimelineAction, string> = {
  submit: '提交',
  accept: '受理',
  start: '开始调解',
  resolve: '调解成功',
  fail: '调解未成',
  withdraw: '撤回',
  requestInfo: '请补充材料',
  supplyInfo: '补充材料',
  escalate: '上报',
  refer: '转人民调解委员会',
  close: '办结',
  rate: '评价',
  autoClose: '自动办结',
  autoEscalate: '超时自动上报',
  note: '备注',
  reassign: '转办',
  markComplex: '标记为复杂',
  reply: '回复',
  answer: '居民回复',
  takeOver: '改派',
  publish: '公开到留言墙',
  unpublish: '从留言墙撤下',
  sendBack: '退回社区',
  route: '分流转办',
  whistle: '吹哨',
}
const MESSAGE_ACTION_LABELS: Partial<Record<TimelineAction, string>> = {
  submit: '留言',
  start: '开始办理',
  resolve: '办结',
  fail: '未能解决',
}
const EVENT_ACTION_LABELS: Partial<Record<TimelineAction, string>> = {
  ...MESSAGE_ACTION_LABELS,
  submit: '巡查上报',
  start: '开始处置',
  resolve: '处置完毕',
}
/** What a timeline entry is called for this kind of case (a message is not "mediated"). */
export function actionLabel(kind: CaseKind, action: string): string {
  const a = action as TimelineAction
  const own = kind === 'message' ? MESSAGE_ACTION_LABELS : kind === 'event' ? EVENT_ACTION_LABELS : {}
  return own[a] ?? ACTION_LABELS[a] ?? action
}

export type TransitionCheck = { ok: true } | { ok: false; reason: 'state' | 'actor'; message: string }

/** May `actor` perform `action` on a case in `status`? The message is what the person reads. */
export function canTransition(kind: CaseKind, status: CaseStatus, action: CaseAction, actor: Actor): TransitionCheck {
  const rule = TRANSITIONS[action]
  if (!rule.by.includes(actor)) {
    return { ok: false, reason: 'actor', message: `您不能对该${kindNounOf(kind)}进行「${actionLabel(kind, action)}」操作` }
  }
  if (!rule.from.includes(status)) {
    return { ok: false, reason: 'state', message: `当前状态为「${statusLabel(kind, status)}」，不能${actionLabel(kind, action)}` }
  }
  return { ok: true }
}

/** The next status after an action, given the case's facts. */
export function nextStatus(
  action: CaseAction,
  c: { kind?: CaseKind; status: CaseStatus; statusBeforeWait?: CaseStatus | null; reopenCount: number },
  opts: { satisfaction?: Satisfaction; settings?: CaseSettings } = {},
): CaseStatus {
  const settings = opts.settings ?? DEFAULT_CASE_SETTINGS
  const rule = TRANSITIONS[action]
  if (rule.to) return rule.to
  switch (action) {
    case 'supplyInfo':
      return c.statusBeforeWait ?? 'accepted'
    case 'resolve':
      return c.kind === 'event' ? 'closed' : 'resolved'
    case 'close':
      return 'closed'
    case 'rate':
      // 不满意 reopens the case once; after that it is closed with the rating kept.
      return opts.satisfaction === 'unsatisfied' && c.reopenCount < settings.maxReopens ? 'mediating' : 'closed'
    case 'autoEscalate':
      return c.status
    default:
      return c.status
  }
}

/** First-response deadline (受理时限): 24 h, urgent 2 h after submission. */
export function acceptDeadline(submittedAt: Date, urgency: Urgency, s: CaseSettings = DEFAULT_CASE_SETTINGS): Date {
  const hours = urgency === 'urgent' ? s.urgentAcceptHours : s.acceptHours
  return new Date(submittedAt.getTime() + hours * 3600_000)
}

/**
 * Resolution deadline (办结时限): the end of the 7th (复杂: 15th) calendar day after the day of
 * submission, Shanghai time, plus any time the clock was paused waiting for the resident.
 * Calendar days, weekends included, as 接诉即办 counts them.
 */
export function resolveDeadline(submittedAt: Date, complex: boolean, pausedMs = 0, s: CaseSettings = DEFAULT_CASE_SETTINGS): Date {
  const days = complex ? s.complexResolveDays : s.resolveDays
  const endOfDay = atShanghai(addDays(businessDate(submittedAt), days), 24 * 60)
  return new Date(endOfDay.getTime() - 1000 + pausedMs)
}

/** Rating window after resolution: no rating in 7 days closes the case as 默认满意. */
export function rateDeadline(resolvedAt: Date, s: CaseSettings = DEFAULT_CASE_SETTINGS): Date {
  return new Date(resolvedAt.getTime() + s.rateDays * 24 * 3600_000)
}

export interface DeadlineFacts {
  status: CaseStatus
  urgency: Urgency
  complex: boolean
  submittedAt: Date
  resolvedAt?: Date | null
  pausedMs: number
  /** Set when a level took the case over: its fresh window starts here. */
  levelSince?: Date | null
  /** When it became 调解未成 / 未能解决 (the job closes it failedCloseDays later). */
  failedAt?: Date | null
  level?: Level
  /** A department's time to finish, set when the report was routed to it (分流转办 / 吹哨). */
  deptDueAt?: Date | null
}

/**
 * The one deadline that matters now (`dueAt`, indexed): accept-by while submitted, resolve-by
 * while accepted/mediating, rate-by while resolved, none while paused or finished. After an
 * escalation the new level gets a fresh window counted from `levelSince`.
 */
export function currentDeadline(c: DeadlineFacts, s: CaseSettings = DEFAULT_CASE_SETTINGS): Date | null {
  const from = c.levelSince ?? c.submittedAt
  switch (c.status) {
    case 'submitted':
      return acceptDeadline(from, c.urgency, s)
    case 'accepted':
    case 'mediating':
      if (c.level === 'department' && c.deptDueAt) return c.deptDueAt
      return resolveDeadline(from, c.complex, c.pausedMs, s)
    case 'resolved':
      return c.resolvedAt ? rateDeadline(c.resolvedAt, s) : null
    case 'failed':
      return c.failedAt ? new Date(c.failedAt.getTime() + s.failedCloseDays * 24 * 3600_000) : null
    default:
      // waiting_info: paused until the resident answers; closed and withdrawn: finished.
      return null
  }
}

export function isOverdue(dueAt: Date | null | undefined, now: Date): boolean {
  return !!dueAt && dueAt.getTime() < now.getTime()
}

/** What the automatic job does with a case whose deadline passed. */
export type DueOutcome = { kind: 'escalate'; to: Level } | { kind: 'flag' } | { kind: 'autoClose' } | { kind: 'none' }

export function onDeadlinePassed(c: { status: CaseStatus; level: Level }): DueOutcome {
  if (c.status === 'resolved' || c.status === 'failed') return { kind: 'autoClose' }
  if (c.status === 'submitted' || c.status === 'accepted' || c.status === 'mediating') {
    const to = nextLevel(c.level)
    return to ? { kind: 'escalate', to } : { kind: 'flag' }
  }
  return { kind: 'none' }
}
