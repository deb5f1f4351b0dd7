/**
 * The case engine's server side: the stored case, who may see and act on it, applying a
 * transition by compare-and-set (status + version) with its timeline entry in the same write,
 * and turning a case into what a caller may see.
 */
import { AppError } from '../../../../src/shared/errors'
import type { CaseDetailT, CaseSummaryT } from '../../../../src/shared/api/cases'
import { hasRole, isStaff, type UserDoc } from '../../../../src/shared/domain/user'
import { ROLE_LABELS } from '../../../../src/shared/api/define'
import { maskPhone } from '../../../../src/shared/ids'
import {
  actionLabel,
  canTransition,
  currentDeadline,
  isOverdue,
  statusLabel,
  TRANSITIONS,
  type CaseAction,
  type CaseKind,
  type CaseStatus,
  type Level,
  type Satisfaction,
  type Urgency,
} from '../../../../src/shared/rules/cases'
import type { Ctx } from '../../runtime/context'
import { DB_DUPLICATE_KEY, DB_NOT_FOUND, isDbError } from '../../platform/db'
import { photoViews, type PhotoDoc } from '../common/media'
import { countInTx, effectKey, mergeCounts, pendingFields, resolveAudience, type Effect, type NotifyEffect, type WithEffects } from '../common/effects'
import { noticeDoc, sendSubscribes, type Told } from '../common/notify'
import { caseSettings } from './settings'
import { proxyOut, type ProxyDoc } from '../../../../src/shared/domain/proxy'

export interface TimelineDoc {
  at: Date
  by: string
  byName: string
  byRole: string
  action: string
  from: CaseStatus | null
  to: CaseStatus | null
  /** The level before and after (set by applyChange): the status names depend on it for patrol reports. */
  fromLevel?: Level
  toLevel?: Level
  note: string | null
  private: boolean
}

/** One post of a message's thread (the resident's first words are the case's description). */
export interface ThreadDoc {
  at: Date
  by: string
  byName: string
  side: 'resident' | 'staff'
  text: string
  photos: PhotoDoc[]
  asksInfo: boolean
}

export interface WallDoc {
  wanted: boolean
  status: 'none' | 'published' | 'withdrawn'
  text: string | null
  reply: string | null
  publishedAt: Date | null
  publishedBy: string | null
}

export interface CaseDoc extends WithEffects {
  _id: string
  kind: CaseKind
  communityId: string
  streetId: string
  gridId: string | null
  /** The grid's name as lists show it (kept with the case: a list needs no grid read); absent on cases written before. */
  gridName?: string | null
  level: Level
  /** Who accepted it at the current level (承办人); null while it waits in a queue. */
  assigneeId: string | null
  assigneeName: string | null
  ownerId: string
  ownerName: string
  ownerPhone: string | null
  /** 代办: submitted by a grid worker or staff on the owner's behalf, with the owner's consent (domain/proxy.ts); absent otherwise. */
  proxy?: ProxyDoc | null
  householdId: string
  category: string
  description: string
  photos: PhotoDoc[]
  location: { buildingId: string; unitId: string | null; text: string }
  otherParty: { buildingId: string; unitId: string; room: string; text: string } | null
  urgency: Urgency
  complex: boolean
  status: CaseStatus
  statusBeforeWait: CaseStatus | null
  submittedAt: Date
  acceptedAt: Date | null
  /** Whether the first acceptance met its deadline (counted in 按期受理率 / 响应率); set once. */
  acceptedOnTime?: boolean | null
  /** Who accepted (first replied to) it first: the figures per staff member count it for them. */
  acceptedBy?: string | null
  resolvedAt: Date | null
  /** When it became failed (the job closes it failedCloseDays later). */
  failedAt?: Date | null
  closedAt: Date | null
  levelSince: Date | null
  pausedMs: number
  waitingSince: Date | null
  dueAt: Date | null
  overdue: boolean
  agreement: string | null
  failReason: string | null
  satisfaction: Satisfaction | null
  satisfactionComment: string | null
  reopenCount: number
  /** The outcome counted in the figures (once per case; moves if the outcome changes), and whose it is. */
  countedOutcome?: 'resolved' | 'failed' | null
  outcomeBy?: string | null
  timeline: TimelineDoc[]
  /** Messages: the replies and the resident's answers after the first words, oldest first. */
  thread?: ThreadDoc[]
  /** Messages: posts each side has not read yet. */
  unreadOwner?: number
  unreadHandler?: number
  /** Messages: the 留言墙. */
  wall?: WallDoc | null
  /** Patrol reports (event): the department it is routed to (分流转办 / 吹哨), and its time to finish. */
  departmentId?: string | null
  departmentName?: string | null
  deptDueAt?: Date | null
  /** Every routing, in order (the figures count each department's share from these). */
  routings?: Array<{ departmentId: string; at: Date; by: string; dueAt: Date; whistle: boolean }>
  /** Finished by its handler at or before the deadline in force (按期办结), and by which department. */
  resolvedOnTime?: boolean | null
  resolvedByDepartment?: string | null
  version: number
  updatedAt: Date
}

export type Viewer = 'owner' | 'handler' | 'observer' | null

/**
 * May this person act on the case as its handler? Once someone accepted it (or it was given to
 * someone by 转办 / 改派), only that assignee; before, anyone who handles cases at its level.
 */
export function isHandler(user: UserDoc | null, c: CaseDoc): boolean {
  if (!user) return false
  if (c.assigneeId) return c.assigneeId === user._id && handlesLevel(user, c)
  return handlesLevel(user, c)
}

/** Handles cases at the case's current level: the grid's workers, the community's staff, the street. */
function handlesLevel(user: UserDoc, c: CaseDoc): boolean {
  if (c.level === 'street') return hasRole(user, 'street') && user.address.streetId === c.streetId
  if (c.level === 'department') return hasRole(user, 'department') && !!c.departmentId && user.departmentId === c.departmentId
  if (isStaff(user) && user.address.communityId === c.communityId) return true
  return c.level === 'grid' && inMyGrid(user, c)
}

/** A grid worker's grids count only inside their own community. */
function inMyGrid(user: UserDoc, c: CaseDoc): boolean {
  return hasRole(user, 'grid_worker') && user.address.communityId === c.communityId && !!c.gridId && user.gridIds.includes(c.gridId)
}

/**
 * Privacy: the submitter, the assignee, the handlers at the case's level (the street only once a
 * case has been escalated to it), the community's staff, and the grid's workers (who follow a
 * case they escalated). Everyone but the submitter and the one handling it reads it as an
 * observer, phone masked. Nobody else, and the answer for anybody else is NOT_FOUND (the case's
 * existence is not disclosed).
 */
export function viewerOf(user: UserDoc | null, c: CaseDoc): Viewer {
  if (!user) return null
  if (isHandler(user, c)) return 'handler'
  if (c.ownerId === user._id) return 'owner'
  if (handlesLevel(user, c)) return 'observer'
  if (isStaff(user) && user.address.communityId === c.communityId) return 'observer'
  if (inMyGrid(user, c)) return 'observer'
  // The street follows every patrol report of its communities (it may 吹哨 once one is overdue).
  if (c.kind === 'event' && hasRole(user, 'street') && user.address.streetId === c.streetId) return 'observer'
  return null
}

export async function loadCase(ctx: Ctx, id: string): Promise<CaseDoc> {
  try {
    return (await ctx.db.collection<CaseDoc>('cases').doc(id).get()).data
  } catch (e) {
    if (isDbError(e, DB_NOT_FOUND)) throw new AppError('NOT_FOUND', '没有找到该事项，可能无权查看')
    throw e
  }
}

/** Load a case the caller may see; anyone else gets NOT_FOUND. */
export async function loadVisible(ctx: Ctx, id: string): Promise<{ c: CaseDoc; viewer: Exclude<Viewer, null> }> {
  const c = await loadCase(ctx, id)
  const viewer = viewerOf(ctx.user, c)
  if (!viewer) throw new AppError('NOT_FOUND', '没有找到该事项，可能无权查看')
  return { c, viewer }
}

export function roleLabelOf(user: UserDoc | null): string {
  if (!user) return '系统'
  const order = ['street', 'admin', 'staff', 'department', 'grid_worker'] as const
  const r = order.find((x) => user.roles.includes(x))
  return r ? ROLE_LABELS[r] : '居民'
}

export function entry(ctx: Ctx, action: string, from: CaseStatus | null, to: CaseStatus | null, note: string | null, priv = false): TimelineDoc {
  return {
    at: ctx.clock.now(),
    by: ctx.openid || 'system',
    byName: ctx.user?.name ?? (ctx.source === 'timer' ? '系统' : '居民'),
    byRole: ctx.source === 'timer' ? '系统' : roleLabelOf(ctx.user),
    action,
    from,
    to,
    note,
    private: priv,
  }
}

/**
 * Check the state machine for this caller. Handlers are checked by role; owners by identity. A
 * caller who acted on an older version than the stored one is told it changed (CONFLICT).
 */
export function authorize(ctx: Ctx, c: CaseDoc, action: CaseAction, expectedVersion?: number): void {
  // Acting on a stale view is a conflict first (whoever it concerns may see the change once refreshed).
  if (expectedVersion !== undefined && expectedVersion !== c.version && viewerOf(ctx.user, c)) throw new AppError('CONFLICT', '该事项已被他人更新，请刷新后再操作')
  const actor = ctx.source === 'timer' ? 'system' : isHandler(ctx.user, c) ? 'handler' : c.ownerId === ctx.openid ? 'owner' : null
  if (!actor) {
    if (viewerOf(ctx.user, c)) throw new AppError('FORBIDDEN', c.assigneeName ? `该事项由${c.assigneeName}承办，如需接手请由社区工作人员改派` : '该事项目前不由您承办')
    throw new AppError('NOT_FOUND', '没有找到该事项，可能无权查看')
  }
  // A handler who is also the submitter acts as handler only on others' cases.
  const effective = actor === 'handler' && c.ownerId === ctx.openid && TRANSITIONS[action].by.includes('owner') ? 'owner' : actor
  const check = canTransition(c.kind, c.status, action, effective)
  if (!check.ok) throw new AppError(check.reason === 'actor' ? 'FORBIDDEN' : 'PRECONDITION_FAILED', check.message)
}

/**
 * Apply a change: the case, its timeline entry, its notice and the month's figures in ONE
 * transaction, so they are all done or none is — nothing is left for a job to finish (with
 * `countLater`, the figures are carried by the case's update instead, for the job to settle).
 *
 * Two people acting at once cannot both win: every change of a case writes its notification
 * document under an id derived from the case and its new version (`case:<id>:v<n>`, even when it
 * tells nobody), so a second writer of the same version finds it taken and gets CONFLICT with
 * nothing of theirs written. The case itself is then updated without reading it again in the
 * transaction: only its changed fields, computed from the version the caller read. The people a
 * notice tells are resolved before (named people need nothing; a grid's workers or a community's
 * staff one read, in parallel). The WeChat subscribe messages go out after the commit, at most once
 * (only the writer of the version sends them), and never turn the done change into an error answer.
 * Recomputes `dueAt` from the new facts.
 *
 * A retry of the same action by the same person after it was applied (the answer was lost) gets
 * the case as it is now, not a CONFLICT.
 */
export async function applyChange(
  ctx: Ctx,
  c: CaseDoc,
  expectedVersion: number,
  patch: Partial<CaseDoc>,
  log: TimelineDoc,
  effects: (next: CaseDoc) => Effect[] = () => [],
  known: Known = {},
): Promise<CaseDoc> {
  if (expectedVersion !== c.version) {
    if (isRepeat(ctx, c, expectedVersion, log.action)) return c
    throw new AppError('CONFLICT', '该事项已被他人更新，请刷新后再操作')
  }
  const next: CaseDoc = { ...c, ...patch, version: c.version + 1, updatedAt: ctx.clock.now() }
  if (!('dueAt' in patch)) {
    next.dueAt = currentDeadline(next, await caseSettings(ctx, c.communityId))
    // Flagged once at the top level (dueAt cleared by the job): a deadline already passed is not flagged again.
    if (c.dueAt === null && c.overdue && next.level === c.level && isOverdue(next.dueAt, next.updatedAt)) next.dueAt = null
  }
  log = { ...log, fromLevel: c.level, toLevel: next.level }
  next.timeline = [...c.timeline, log]
  const data: Record<string, unknown> = { timeline: ctx._.push(log) }
  for (const [k, v] of Object.entries(next)) {
    if (k === '_id' || k === 'timeline' || k === 'effects' || k === 'effectsDue' || sameValue(v, (c as unknown as Record<string, unknown>)[k])) continue
    data[k] = v !== null && typeof v === 'object' && !(v instanceof Date) ? ctx._.set(v) : v
  }
  const due = effects(next)
  const told = await tellWhom(ctx, due, known)
  // Figures left to the job: carried by the case's own update, settled exactly once (common/effects.ts).
  const later = known.countLater ? due.filter((e) => e.type === 'count') : []
  if (later.length) Object.assign(data, pendingFields(ctx, effectKey(next.version), later, c.effectsDue))
  const counts = mergeCounts(known.countLater ? [] : due)
  await ctx.db.runTransaction(async (tx) => {
    await Promise.all([
      tx
        .collection('notifications')
        .add({ data: noticeDoc(changeId(c._id, next.version), told, next.updatedAt) as unknown as Record<string, unknown> })
        .catch((e: unknown) => {
          if (isDbError(e, DB_DUPLICATE_KEY)) throw new AppError('CONFLICT', '该事项已被他人处理，请刷新后查看最新状态')
          throw e
        }),
      tx
        .collection('cases')
        .doc(c._id)
        .update({ data })
        .then((r) => {
          if (r.stats.updated !== 1) throw new AppError('CONFLICT', '该事项已被他人处理，请刷新后查看最新状态')
        }),
      countInTx(tx, ctx, counts),
    ])
  })
  await sendSubscribes(ctx, told)
  return next
}

/** What a change's caller already read fresh, so telling people needs no second read (a grid's workers). */
export interface Known {
  grids?: ReadonlyMap<string, { workerIds: string[] }>
  /** Groups of people already found in this call (the job: each grid's workers, each community's staff read once a run). */
  audiences?: Map<string, Promise<string[]>>
  /**
   * The change's figures ride on the case's own update as a pending effect, settled by the job's
   * next run (`cases.tick` sweeps them: ≤ 5 min) instead of a counter write in the transaction —
   * for a change that needs its request for something else (a routing reads whom it tells).
   */
  countLater?: boolean
}

/** The id of a change's notification document: the case and the version the change made. */
export const changeId = (caseId: string, version: number) => `case:${caseId}:v${version}`

/** The notices of a change, each resolved to the people it tells (never the person who acted). */
export async function tellWhom(ctx: Ctx, effects: Effect[], known: Known = {}): Promise<Told[]> {
  const notices = effects.filter((e): e is NotifyEffect => e.type === 'notify')
  return Promise.all(
    notices.map(async (e) => ({ to: (await resolveAudience(ctx, e.to, known.grids, known.audiences)).filter((p) => p !== e.except), notice: e.notice })),
  )
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime()
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false
  return JSON.stringify(a) === JSON.stringify(b)
}

/**
 * The case's last change is this very action by this very person, made on the version the caller
 * saw: a retry whose first answer was lost. It answers with the case as it is, not CONFLICT.
 */
export function isRepeat(ctx: Ctx, c: CaseDoc, expectedVersion: number, action: string): boolean {
  const last = c.timeline[c.timeline.length - 1]
  return expectedVersion === c.version - 1 && !!last && !!ctx.openid && last.by === ctx.openid && last.action === action
}

/** Which side's unread count a viewer sees: the resident's, or the handlers'. */
export type Side = 'owner' | 'handler'

export function summaryOf(c: CaseDoc, now: Date, gridNames: Map<string, string>, side: Side = 'owner'): CaseSummaryT {
  const text = c.description.replace(/\s+/g, ' ')
  return {
    id: c._id,
    kind: c.kind,
    category: c.category,
    title: `【${c.category}】${text.length > 24 ? `${text.slice(0, 24)}…` : text}`,
    status: c.status,
    statusLabel: statusLabel(c.kind, c.status, c.level),
    urgency: c.urgency,
    level: c.level,
    complex: c.complex,
    dueAt: c.dueAt ? c.dueAt.toISOString() : null,
    overdue: c.overdue || isOverdue(c.dueAt, now),
    submittedAt: c.submittedAt.toISOString(),
    locationText: c.location.text,
    gridName: c.gridId ? (c.gridName ?? gridNames.get(c.gridId) ?? null) : null,
    unread: (side === 'owner' ? c.unreadOwner : c.unreadHandler) ?? 0,
    // A withdrawn case has no 承办人 to show.
    assigneeName: c.status === 'withdrawn' ? null : c.assigneeName,
    departmentName: c.kind === 'event' ? (c.departmentName ?? null) : null,
    departmentId: c.kind === 'event' ? (c.departmentId ?? null) : null,
    deptDueAt: c.kind === 'event' && c.deptDueAt ? c.deptDueAt.toISOString() : null,
  }
}

const OPEN: CaseStatus[] = ['submitted', 'accepted', 'mediating', 'waiting_info']

/** What the caller may do now (the buttons); the server checks again on every action. */
export function allowedActions(ctx: Ctx, c: CaseDoc): string[] {
  const out: string[] = []
  const user = ctx.user
  const handler = isHandler(user, c)
  const owner = c.ownerId === ctx.openid
  const staffHere = hasRole(user, 'staff', 'admin') && user?.address.communityId === c.communityId
  for (const a of Object.keys(TRANSITIONS) as CaseAction[]) {
    if (a === 'autoClose' || a === 'autoEscalate' || a === 'supplyInfo') continue
    if (a === 'escalate' && c.level === 'street') continue
    // A patrol report goes to a department by 分流转办, not up the levels; it is finished, not rated or failed.
    if (c.kind === 'event' && (a === 'escalate' || a === 'fail' || a === 'rate' || a === 'close' || a === 'start')) continue
    if (a === 'refer' && c.kind !== 'dispute') continue
    // A message is accepted by its first reply and handled in the thread.
    if ((a === 'accept' || a === 'start') && c.kind === 'message') continue
    if (a === 'requestInfo' && c.kind !== 'message') continue
    if (handler && canTransition(c.kind, c.status, a, 'handler').ok) out.push(a)
    else if (owner && canTransition(c.kind, c.status, a, 'owner').ok) out.push(a)
  }
  if (handler && ['accepted', 'mediating'].includes(c.status) && !c.complex && c.kind !== 'event') out.push('markComplex')
  if (handler && !['closed', 'withdrawn'].includes(c.status)) out.push('addNote')
  if (c.kind === 'message') {
    if (handler && ['submitted', 'accepted', 'mediating', 'waiting_info'].includes(c.status)) out.push('reply')
    if (owner && OPEN.includes(c.status)) out.push('answer')
    if (staffHere && c.wall?.wanted && c.status !== 'withdrawn' && c.wall.status !== 'published') out.push('publish')
    if (staffHere && c.wall?.status === 'published') out.push('unpublish')
  }
  if (c.kind === 'event') {
    const streetHere = hasRole(user, 'street') && user?.address.streetId === c.streetId
    if (staffHere && c.level === 'community' && ['submitted', 'accepted', 'mediating'].includes(c.status)) out.push('route')
    if (streetHere && c.level === 'street' && ['submitted', 'accepted', 'mediating'].includes(c.status)) out.push('whistle')
    return out
  }
  if (staffHere && ['submitted', 'accepted', 'mediating'].includes(c.status) && c.level !== 'street') out.push('reassign')
  if (staffHere && OPEN.includes(c.status) && c.level !== 'street' && c.assigneeId && c.assigneeId !== ctx.openid) out.push('takeOver')
  if (handler && c.level === 'street' && ['submitted', 'accepted', 'mediating'].includes(c.status)) out.push('sendBack')
  return out
}

export async function detailOf(ctx: Ctx, c: CaseDoc, viewer: Exclude<Viewer, null>, gridNames: Map<string, string>): Promise<CaseDetailT> {
  const staffSide = viewer !== 'owner'
  // Photos: a rejected image is never shown; one still being checked only to its uploader (photoViews).
  const thread = c.thread ?? []
  const [own, ...posts] = await photoViews(ctx, [{ photos: c.photos, author: c.ownerId }, ...thread.map((t) => ({ photos: t.photos, author: t.by }))])
  const rejectedPhotos = own.rejected + posts.reduce((n, p) => n + p.rejected, 0)
  const summary = summaryOf(c, ctx.clock.now(), gridNames, viewer === 'owner' ? 'owner' : 'handler')
  return {
    ...summary,
    description: c.description,
    photos: own.photos,
    ...(rejectedPhotos ? { rejectedPhotos } : {}),
    otherParty: staffSide ? (c.otherParty?.text ?? null) : null,
    ...(c.proxy ? { proxy: proxyOut(c.proxy) } : {}),
    submitter: {
      name: c.ownerName,
      // Only the person handling the case sees the full number.
      phone: viewer === 'handler' ? c.ownerPhone : (maskPhone(c.ownerPhone) ?? null),
    },
    agreement: c.agreement,
    failReason: c.failReason,
    satisfaction: c.satisfaction,
    satisfactionComment: c.satisfactionComment,
    reopenCount: c.reopenCount,
    version: c.version,
    timeline: c.timeline
      .filter((t) => staffSide || !t.private)
      .map((t) => ({
        at: t.at.toISOString(),
        byName: t.byName,
        byRole: t.byRole,
        action: t.action,
        label: actionLabel(c.kind, t.action),
        from: t.from,
        to: t.to,
        fromLabel: t.from ? statusLabel(c.kind, t.from, t.fromLevel) : null,
        toLabel: t.to ? statusLabel(c.kind, t.to, t.toLevel) : null,
        note: t.note,
        private: t.private,
      })),
    thread:
      c.kind === 'message'
        ? [
            { at: c.submittedAt.toISOString(), side: 'resident' as const, byName: c.ownerName, text: c.description, photos: own.photos, asksInfo: false },
            ...thread.map((t, i) => ({
              at: t.at.toISOString(),
              side: t.side,
              byName: t.byName,
              text: t.text,
              photos: posts[i].photos,
              asksInfo: t.asksInfo,
            })),
          ]
        : [],
    wall:
      c.kind === 'message'
        ? {
            wanted: c.wall?.wanted ?? false,
            status: c.wall?.status ?? 'none',
            text: c.wall?.text ?? null,
            publishedAt: c.wall?.publishedAt ? c.wall.publishedAt.toISOString() : null,
          }
        : null,
    paused: c.status === 'waiting_info',
    can: allowedActions(ctx, c),
    viewerRole: viewer,
  }
}

export const caseLink = (c: Pick<CaseDoc, '_id' | 'kind'>) =>
  c.kind === 'event' ? `/packages/grid/pages/event/index?id=${c._id}` : `/packages/${c.kind === 'dispute' ? 'dispute' : 'message'}/pages/detail/index?id=${c._id}`
