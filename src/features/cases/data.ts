/**
 * What the pages of both case kinds (邻里纠纷, 居民留言) load or change, as plain functions over
 * the one gateway (tests and pages call them the same way; pages stay thin). Errors are
 * `ApiError`s; the caller shows them inline, so nothing here toasts.
 */
import type { ListPage } from '@/components'
import { call } from '@/services/gateway'
import { loadSession } from '@/services/session'
import { requestSubscribe } from '@/services/subscribe'
import { casesApi, type CaseDetailT, type CaseSummaryT } from '@/shared/api/cases'
import { userApi } from '@/shared/api/user'
import { statusLabel, type CaseKind, type CaseStatus, type DisputeCategory, type MessageCategory } from '@/shared/rules/cases'
import type { EventType } from '@/shared/rules/grid'
import { SUBSCRIBE_TEMPLATES } from './config'

export const PAGE_SIZE = 20
export const quiet = { toast: false } as const

// ---------- lists ----------

/** 我的纠纷 / 我的留言, newest first. */
export async function fetchMine(kind: CaseKind, cursor: string | undefined): Promise<ListPage<CaseSummaryT, string>> {
  const page = await call(casesApi, 'mine', { kind, pageSize: PAGE_SIZE, ...(cursor ? { cursor } : {}) }, quiet)
  return { items: page.items, nextCursor: page.nextCursor }
}

export type QueueStatus = 'open' | CaseStatus

/** The status chips of each kind's queue (five fit one row). */
export const QUEUE_STATUSES: Record<CaseKind, readonly QueueStatus[]> = {
  dispute: ['open', 'submitted', 'mediating', 'resolved', 'closed'],
  message: ['open', 'submitted', 'waiting_info', 'resolved', 'closed'],
  event: ['open', 'submitted', 'accepted', 'closed', 'withdrawn'],
}

/** A chip's text: 待处理 for everything open, else the status (short enough for a chip). */
export function queueStatusLabel(kind: CaseKind, status: QueueStatus): string {
  if (status === 'open') return '待处理'
  if (status === 'waiting_info') return '待补充'
  return statusLabel(kind, status)
}

export interface QueueFilters {
  status: QueueStatus
  /** One category of the kind; null = all. */
  category: DisputeCategory | MessageCategory | EventType | null
  /** One grid (staff: any of the community's; grid workers: one of theirs); null = all. */
  gridId: string | null
  overdueOnly: boolean
}

export const DEFAULT_QUEUE_FILTERS: QueueFilters = { status: 'open', category: null, gridId: null, overdueOnly: false }

/** 待办纠纷 / 留言办理 for handlers, sorted by deadline (overdue first) by the server. */
export async function fetchQueue(kind: CaseKind, filters: QueueFilters, cursor: string | undefined): Promise<ListPage<CaseSummaryT, string>> {
  const page = await call(
    casesApi,
    'queue',
    {
      kind,
      pageSize: PAGE_SIZE,
      status: filters.status,
      overdueOnly: filters.overdueOnly,
      ...(filters.category ? { category: filters.category } : {}),
      ...(filters.gridId ? { gridId: filters.gridId } : {}),
      ...(cursor ? { cursor } : {}),
    },
    quiet,
  )
  return { items: page.items, nextCursor: page.nextCursor }
}

// ---------- one case ----------

export function loadCase(id: string): Promise<CaseDetailT> {
  return call(casesApi, 'get', { id }, quiet)
}

/** The actions a detail page offers (the names `CaseDetail.can` uses). */
export type CaseActionKey =
  | 'accept'
  | 'start'
  | 'resolve'
  | 'fail'
  | 'escalate'
  | 'refer'
  | 'close'
  | 'markComplex'
  | 'addNote'
  | 'reassign'
  | 'takeOver'
  | 'sendBack'
  | 'withdraw'
  | 'rate'
  | 'reply'
  | 'requestInfo'
  | 'answer'
  | 'publish'
  | 'unpublish'
  | 'route'
  | 'whistle'

/** What the action sheets and boxes collect; each action reads only its own fields. */
export interface ActionValues {
  text?: string
  shared?: boolean
  satisfaction?: 'satisfied' | 'basically' | 'unsatisfied'
  /** 转办: the grid to hand the case to; null = back to the community; undefined = not chosen yet. */
  gridId?: string | null
  /** 转办 to a colleague (community staff): their openid (with gridId null). */
  staffId?: string
  /** 居民补充: uploaded photos. */
  photos?: string[]
  /** 公开到留言墙: the community's reply as published (the text is `text`). */
  reply?: string
  /** 分流转办 / 吹哨 (巡查上报): the department and its time to finish, in days (route: unset = the community's default). */
  departmentId?: string
  days?: number
}

/** Performs one state change on the version the page shows (a newer version → CONFLICT). */
export function performAction(c: Pick<CaseDetailT, 'id' | 'version'>, action: CaseActionKey, v: ActionValues = {}): Promise<CaseDetailT> {
  const ref = { id: c.id, version: c.version }
  const text = v.text ?? ''
  const optional = (key: string, value: string | undefined) => (value?.trim() ? { [key]: value } : {})
  switch (action) {
    case 'accept':
      return call(casesApi, 'accept', ref, quiet)
    case 'start':
      return call(casesApi, 'start', ref, quiet)
    case 'resolve':
      return call(casesApi, 'resolve', { ...ref, agreement: text }, quiet)
    case 'fail':
      return call(casesApi, 'fail', { ...ref, reason: text }, quiet)
    case 'escalate':
      return call(casesApi, 'escalate', { ...ref, reason: text }, quiet)
    case 'refer':
      return call(casesApi, 'refer', { ...ref, note: text }, quiet)
    case 'close':
      return call(casesApi, 'close', { ...ref, note: text }, quiet)
    case 'markComplex':
      return call(casesApi, 'markComplex', { ...ref, reason: text }, quiet)
    case 'addNote':
      return call(casesApi, 'addNote', { ...ref, text, shared: !!v.shared }, quiet)
    case 'reassign':
      // A grid of the community (from `user.grids`), or null: back to the community queue, or to
      // one colleague there (from `user.colleagues`).
      return call(casesApi, 'reassign', { ...ref, gridId: v.gridId ?? null, ...(v.staffId ? { staffId: v.staffId } : {}), note: text }, quiet)
    case 'takeOver':
      return call(casesApi, 'takeOver', { ...ref, reason: text }, quiet)
    case 'sendBack':
      return call(casesApi, 'sendBack', { ...ref, note: text }, quiet)
    case 'withdraw':
      return call(casesApi, 'withdraw', { ...ref, ...optional('reason', text) }, quiet)
    case 'rate':
      return call(
        casesApi,
        'rate',
        // An unset satisfaction is sent as '' so the shared schema answers "请选择满意度" inline.
        { ...ref, satisfaction: (v.satisfaction ?? '') as 'satisfied', ...optional('comment', text) },
        quiet,
      )
    case 'reply':
      return call(casesApi, 'reply', { ...ref, text }, quiet)
    case 'requestInfo':
      return call(casesApi, 'requestInfo', { ...ref, text }, quiet)
    case 'answer':
      return call(casesApi, 'answer', { ...ref, text, photos: v.photos ?? [] }, quiet)
    case 'publish':
      return call(casesApi, 'publish', { ...ref, text, ...optional('reply', v.reply) }, quiet)
    case 'unpublish':
      return call(casesApi, 'unpublish', { ...ref, reason: text }, quiet)
    case 'route':
      return call(casesApi, 'route', { ...ref, departmentId: v.departmentId ?? '', ...(v.days !== undefined ? { days: v.days } : {}), note: text }, quiet)
    case 'whistle':
      // An unset time is sent as 0 so the shared schema answers "时限至少 1 天" inline.
      return call(casesApi, 'whistle', { ...ref, departmentId: v.departmentId ?? '', days: v.days ?? 0, note: text }, quiet)
  }
}

// ---------- figures ----------

export function loadStats(kind: CaseKind, month: string) {
  return call(casesApi, 'stats', { kind, month }, quiet)
}

// ---------- grids (queue filter, 转办) ----------

export interface GridOption {
  id: string
  name: string
  /** 0: nobody could take a case handed to this grid (the server refuses 转办 there). */
  workerCount: number
  /** The caller looks after this grid. */
  mine: boolean
}

/** The grids of my community (staff, admin and grid workers may ask). */
export async function loadCommunityGrids(): Promise<GridOption[]> {
  const res = await call(userApi, 'grids', {}, quiet)
  return res.items
}

export interface Colleague {
  openid: string
  name: string
}

/** The community's staff and admins other than me (转办 to a colleague; staff and admin may ask). */
export async function loadColleagues(): Promise<Colleague[]> {
  const [res, me] = await Promise.all([call(userApi, 'colleagues', {}, quiet), loadSession().catch(() => null)])
  return res.items.filter((p) => p.openid !== me?.openid).map((p) => ({ openid: p.openid, name: p.name }))
}

// ---------- subscribe messages ----------

/** Asks for the case-progress subscribe messages (see services/subscribe.ts). */
export function requestCaseSubscribe(templates: readonly string[] = SUBSCRIBE_TEMPLATES): Promise<void> {
  return requestSubscribe(templates)
}
