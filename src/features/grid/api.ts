/**
 * What the 网格化管理 pages load or change, as plain functions over the one gateway (pages and
 * tests call them the same way). Errors are `ApiError`s; pages show them inline, so nothing
 * here toasts. Patrol reports are cases of kind `event`: their lists, detail and actions go
 * through the case engine's client (features/cases/data.ts); only the report form is here.
 */
import { call } from '@/services/gateway'
import { casesApi, type CaseDetailT } from '@/shared/api/cases'
import { gridApi, type DepartmentOutT, type GridStatsOutT, type HouseholdOutT, type HouseholdRowT } from '@/shared/api/grid'
import type { InputOf, OutputOf } from '@/shared/api/define'
import type { CareTag, EventType } from '@/shared/rules/grid'
import type { Urgency } from '@/shared/rules/cases'
import { quiet } from '@/features/cases/data'

export type GridSummary = OutputOf<typeof gridApi, 'mine'>['grids'][number]
export type GridSettingsT = OutputOf<typeof gridApi, 'settings'>
export type HouseholdFilter = 'all' | 'tagged' | 'due'

// ---------- grids and households ----------

export async function loadMyGrids(): Promise<GridSummary[]> {
  return (await call(gridApi, 'mine', {}, quiet)).grids
}

export type HouseholdsPage = OutputOf<typeof gridApi, 'households'>

/** A page of 网格户籍 (`cursor`: the previous page's `nextCursor`). */
export function fetchHouseholds(gridId: string, filter: HouseholdFilter, cursor?: string): Promise<HouseholdsPage> {
  return call(gridApi, 'households', { gridId, filter, ...(cursor ? { cursor } : {}) }, quiet)
}

export function loadHousehold(id: string): Promise<HouseholdOutT> {
  return call(gridApi, 'household', { id }, quiet)
}

/** 加标签 (with its reason; the server requires one) or 取消标签. */
export function setTag(id: string, tag: CareTag, on: boolean, reason?: string): Promise<HouseholdOutT> {
  return call(gridApi, 'tag', { id, tag, on, ...(reason?.trim() ? { reason: reason.trim() } : {}) }, quiet)
}

export type VisitInput = InputOf<typeof gridApi, 'visit'>

/** 登记走访, idempotent: the form's one request id makes a retry return the first visit. */
export function logVisit(input: VisitInput, requestId: string): Promise<HouseholdOutT> {
  return call(gridApi, 'visit', input, { requestId, toast: false })
}

export async function loadDue(gridId: string): Promise<HouseholdRowT[]> {
  return (await call(gridApi, 'due', { gridId }, quiet)).items
}

export function loadGridStats(month: string): Promise<GridStatsOutT> {
  return call(gridApi, 'stats', { month }, quiet)
}

export function loadGridSettings(): Promise<GridSettingsT> {
  return call(gridApi, 'settings', {}, quiet)
}

export type GridSettingsInput = InputOf<typeof gridApi, 'saveSettings'>

/** Admins only: 走访周期, 网格事项清单, 部门默认办结时限; answers the settings as now stored. */
export function saveGridSettings(input: GridSettingsInput): Promise<GridSettingsT> {
  return call(gridApi, 'saveSettings', input, quiet)
}

// ---------- departments ----------

export async function loadDepartments(): Promise<DepartmentOutT[]> {
  return (await call(gridApi, 'departments', {}, quiet)).items
}

export interface DepartmentForm {
  id?: string
  name: string
  kind: string
  phone: string
}

export async function saveDepartment(f: DepartmentForm, requestId: string): Promise<DepartmentOutT[]> {
  const res = await call(
    gridApi,
    'saveDepartment',
    { ...(f.id ? { id: f.id } : {}), name: f.name.trim(), kind: f.kind as InputOf<typeof gridApi, 'saveDepartment'>['kind'], phone: f.phone.trim() ? f.phone.trim() : null },
    { requestId, toast: false },
  )
  return res.items
}

/** Names a contact by phone (on), or removes one by openid (off). */
export async function setDepartmentContact(departmentId: string, who: { phone: string } | { openid: string }, on: boolean): Promise<DepartmentOutT[]> {
  return (await call(gridApi, 'setDepartmentContact', { departmentId, ...who, on }, quiet)).items
}

// ---------- patrol reports (巡查上报, kind `event`) ----------

export interface ReportPayload {
  type: EventType
  description: string
  photos: string[]
  location: { buildingId: string; unitId?: string }
  urgency: Urgency
}

export function submitReport(payload: ReportPayload, requestId: string): Promise<CaseDetailT> {
  return call(casesApi, 'report', payload, { requestId, toast: false })
}

// ---------- places for the report form ----------

export { loadChildPlaces as loadPlaces, type PlaceOption } from '@/features/dispute/data'
