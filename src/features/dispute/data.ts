/**
 * Everything the dispute pages load or change, as plain functions over the one gateway (tests
 * and pages call them the same way; pages stay thin). Errors are `ApiError`s; the caller shows
 * them inline, so nothing here toasts.
 */
import { requestSubscribe } from '@/services/subscribe'
import type { ListPage } from '@/components'
import { call } from '@/services/gateway'
import { loadSession } from '@/services/session'
import { casesApi, type CaseDetailT, type CaseSummaryT, type SubmitDisputeInputT } from '@/shared/api/cases'
import { userApi } from '@/shared/api/user'
import type { Profile } from '@/shared/domain/user'
import type { DisputeCategory } from '@/shared/rules/cases'
import { SUBSCRIBE_TEMPLATES } from './config'

const PAGE_SIZE = 20
const quiet = { toast: false } as const

// ---------- lists ----------

/** 我的纠纷, newest first. */
export async function fetchMyDisputes(cursor: string | undefined): Promise<ListPage<CaseSummaryT, string>> {
  const page = await call(casesApi, 'mine', { kind: 'dispute', pageSize: PAGE_SIZE, ...(cursor ? { cursor } : {}) }, quiet)
  return { items: page.items, nextCursor: page.nextCursor }
}

export const QUEUE_STATUSES = ['open', 'submitted', 'mediating', 'resolved', 'closed'] as const
export type QueueStatus = (typeof QUEUE_STATUSES)[number]
export const QUEUE_STATUS_LABELS: Record<QueueStatus, string> = {
  open: '待处理',
  submitted: '待受理',
  mediating: '调解中',
  resolved: '已调解',
  closed: '已办结',
}

export interface QueueFilters {
  status: QueueStatus
  category: DisputeCategory | null
  /** One grid (staff: any of the community's; grid workers: one of theirs); null = all. */
  gridId: string | null
  overdueOnly: boolean
}

export const DEFAULT_QUEUE_FILTERS: QueueFilters = { status: 'open', category: null, gridId: null, overdueOnly: false }

/** 待办纠纷 for handlers, sorted by deadline (most urgent first) by the server. */
export async function fetchQueue(filters: QueueFilters, cursor: string | undefined): Promise<ListPage<CaseSummaryT, string>> {
  const page = await call(
    casesApi,
    'queue',
    {
      kind: 'dispute',
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

export function loadDispute(id: string): Promise<CaseDetailT> {
  return call(casesApi, 'get', { id }, quiet)
}

export function submitDispute(payload: SubmitDisputeInputT, requestId: string): Promise<CaseDetailT> {
  return call(casesApi, 'submit', payload, { requestId, toast: false })
}

/** The actions a detail page offers (the names `CaseDetail.can` uses). */
export type DisputeAction =
  | 'accept'
  | 'start'
  | 'resolve'
  | 'fail'
  | 'escalate'
  | 'refer'
  | 'markComplex'
  | 'addNote'
  | 'reassign'
  | 'withdraw'
  | 'rate'

/** What the action sheets collect; each action reads only its own fields. */
export interface ActionValues {
  text?: string
  shared?: boolean
  satisfaction?: 'satisfied' | 'basically' | 'unsatisfied'
  /** 转办: the grid to hand the case to; null = back to the community; undefined = not chosen yet. */
  gridId?: string | null
}

/** Performs one state change on the version the page shows (a newer version → CONFLICT). */
export function performAction(c: Pick<CaseDetailT, 'id' | 'version'>, action: DisputeAction, v: ActionValues = {}): Promise<CaseDetailT> {
  const ref = { id: c.id, version: c.version }
  const text = v.text ?? ''
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
    case 'markComplex':
      return call(casesApi, 'markComplex', { ...ref, reason: text }, quiet)
    case 'addNote':
      return call(casesApi, 'addNote', { ...ref, text, shared: !!v.shared }, quiet)
    case 'reassign':
      // A grid of the community (from `user.grids`), or null: back to the community queue.
      return call(casesApi, 'reassign', { ...ref, gridId: v.gridId ?? null, note: text }, quiet)
    case 'withdraw':
      return call(casesApi, 'withdraw', { ...ref, ...(text.trim() ? { reason: text } : {}) }, quiet)
    case 'rate':
      return call(
        casesApi,
        'rate',
        // An unset satisfaction is sent as '' so the shared schema answers "请选择满意度" inline.
        { ...ref, satisfaction: (v.satisfaction ?? '') as 'satisfied', ...(text.trim() ? { comment: text } : {}) },
        quiet,
      )
  }
}

// ---------- figures ----------

export function loadDisputeStats(month: string) {
  return call(casesApi, 'stats', { kind: 'dispute', month }, quiet)
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

// ---------- places for the submit form ----------

export interface PlaceOption {
  id: string
  name: string
}

export async function loadChildPlaces(parentId: string): Promise<PlaceOption[]> {
  const res = await call(userApi, 'places', { parentId }, quiet)
  return res.items.map((p) => ({ id: p.id, name: p.name }))
}

export interface LocationDefaults {
  estateName: string
  buildings: PlaceOption[]
  units: PlaceOption[]
  buildingId: string
  unitId: string
}

/**
 * The resident's own estate: its buildings, the units of their building, and their building and
 * unit preselected. null when the person has not onboarded (no address yet).
 */
export async function loadLocationDefaults(): Promise<{ profile: Profile; location: LocationDefaults } | null> {
  const { profile } = await loadSession()
  if (!profile) return null
  const { estate, building, unit } = profile.address
  const [buildings, units] = await Promise.all([loadChildPlaces(estate.id), loadChildPlaces(building.id)])
  return {
    profile,
    location: { estateName: estate.name, buildings, units, buildingId: building.id, unitId: unit.id },
  }
}

// ---------- subscribe messages ----------

/** Asks for the subscribe messages of this feature (see services/subscribe.ts). */
export function requestCaseSubscribe(templates: readonly string[] = SUBSCRIBE_TEMPLATES): Promise<void> {
  return requestSubscribe(templates)
}
