/**
 * The patrol-report form (巡查上报), the visit form (登记走访) and 网格设置: payloads and every
 * check that can be made on the phone (the shared schemas the server uses, plus the photo
 * uploads). Pure.
 */
import { casesApi, MAX_DESCRIPTION } from '@/shared/api/cases'
import { gridApi } from '@/shared/api/grid'
import type { Urgency } from '@/shared/rules/cases'
import { CARE_TAGS, EVENT_TYPES, type CareTag, type EventType } from '@/shared/rules/grid'
import { toFieldIssues, z } from '@/shared/z'
import { errorsFromApi as caseErrorsFromApi, errorsFromIssues, photosProblem, uploadedPhotoIds, type FormErrors as CaseFormErrors, type PhotoItem } from '@/features/cases/form'
import { ApiError } from '@/services/gateway'
import type { GridSettingsInput, GridSettingsT, ReportPayload, VisitInput } from './api'
import { visitInstant } from './format'

export { MAX_DESCRIPTION }

// ---------- 巡查上报 ----------

export interface ReportForm {
  type: EventType | ''
  description: string
  photos: PhotoItem[]
  estateId: string
  buildingId: string
  unitId: string
  urgency: Urgency
}

export const EMPTY_REPORT: ReportForm = { type: '', description: '', photos: [], estateId: '', buildingId: '', unitId: '', urgency: 'normal' }

const REPORT_FIELDS = ['type', 'description', 'photos', 'location', 'urgency'] as const
export type ReportErrors = CaseFormErrors<(typeof REPORT_FIELDS)[number]>

export function buildReport(f: ReportForm): ReportPayload {
  return {
    type: f.type as EventType,
    description: f.description,
    photos: uploadedPhotoIds(f.photos),
    location: { buildingId: f.buildingId, ...(f.unitId ? { unitId: f.unitId } : {}) },
    urgency: f.urgency,
  }
}

export function reportErrorsFromApi(e: unknown): ReportErrors {
  return caseErrorsFromApi(e, REPORT_FIELDS)
}

/** `matters`: the community's 网格事项清单 (only those types may be filed). */
export function validateReport(f: ReportForm, matters: readonly string[]): ReportErrors {
  const errors: ReportErrors = {}
  const photos = photosProblem(f.photos)
  if (photos) errors.photos = photos
  const parsed = z.safeParse(casesApi.actions.report.input, buildReport(f))
  if (!parsed.success) Object.assign(errors, { ...errorsFromIssues(toFieldIssues(parsed.error), REPORT_FIELDS), ...errors })
  if (!f.type) errors.type = '请选择上报类型'
  else if (!matters.includes(f.type)) errors.type = `「${f.type}」不在本社区网格事项清单内`
  if (!f.buildingId) errors.location = '请选择发现问题的楼栋'
  return errors
}

// ---------- 登记走访 ----------

export const MAX_FOUND = 500
export const MAX_FOLLOW_UP = 200
export const MAX_VISIT_PHOTOS = 6

export interface VisitForm {
  found: string
  /** false: the visit is now (no `at` is sent); true: the date and time below. */
  earlier: boolean
  date: string
  time: string
  photos: PhotoItem[]
  followUp: boolean
  followUpNote: string
}

const VISIT_FIELDS = ['found', 'at', 'photos', 'followUpNote'] as const
export type VisitErrors = CaseFormErrors<(typeof VISIT_FIELDS)[number]>

export function buildVisit(householdId: string, f: VisitForm): VisitInput {
  return {
    id: householdId,
    found: f.found,
    ...(f.earlier ? { at: visitInstant(f.date, f.time) } : {}),
    photos: uploadedPhotoIds(f.photos),
    followUp: f.followUp,
    ...(f.followUp && f.followUpNote.trim() ? { followUpNote: f.followUpNote.trim() } : {}),
  }
}

export function visitErrorsFromApi(e: unknown): VisitErrors {
  return caseErrorsFromApi(e, VISIT_FIELDS)
}

export function validateVisit(householdId: string, f: VisitForm, now: number = Date.now()): VisitErrors {
  const errors: VisitErrors = {}
  const photos = photosProblem(f.photos)
  if (photos) errors.photos = photos
  const input = buildVisit(householdId, f)
  const parsed = z.safeParse(gridApi.actions.visit.input, input)
  if (!parsed.success) Object.assign(errors, { ...errorsFromIssues(toFieldIssues(parsed.error), VISIT_FIELDS), ...errors })
  if (!f.found.trim()) errors.found = '请填写走访发现的情况'
  else if (f.found.length > MAX_FOUND) errors.found = `最多 ${MAX_FOUND} 个字`
  if (f.followUp && f.followUpNote.length > MAX_FOLLOW_UP) errors.followUpNote = `最多 ${MAX_FOLLOW_UP} 个字`
  if (input.at && Date.parse(input.at) > now + 5 * 60_000) errors.at = '走访时间不能晚于现在'
  return errors
}

// ---------- 网格设置 ----------

export interface SettingsForm {
  /** Days per care tag, as typed. */
  visitDays: Record<CareTag, string>
  /** In the order of EVENT_TYPES. */
  matters: EventType[]
  departmentDays: string
}

/** Errors by `visitDays.<tag>` (under that row), `visitDays`, `matters`, `departmentDays`; the rest `_`. */
export type SettingsErrors = Partial<Record<`visitDays.${CareTag}` | 'visitDays' | 'matters' | 'departmentDays' | '_', string>>

export function settingsFormOf(s: GridSettingsT): SettingsForm {
  return {
    visitDays: Object.fromEntries(CARE_TAGS.map((t) => [t, s.visitDays[t] === undefined ? '' : String(s.visitDays[t])])) as Record<CareTag, string>,
    matters: EVENT_TYPES.filter((t) => s.matters.includes(t)),
    departmentDays: String(s.departmentDays),
  }
}

/** Turns a 网格事项 on or off, keeping the order of EVENT_TYPES. */
export function toggleMatter(matters: readonly EventType[], t: EventType): EventType[] {
  return matters.includes(t) ? matters.filter((m) => m !== t) : EVENT_TYPES.filter((m) => m === t || matters.includes(m))
}

/** '' → undefined (the schema says 请填写此项), else the number typed (the schema checks it is whole). */
const numberOf = (s: string): number => (s.trim() === '' ? (undefined as unknown as number) : Number(s.trim()))

export function buildSettings(f: SettingsForm): GridSettingsInput {
  return {
    visitDays: Object.fromEntries(CARE_TAGS.map((t) => [t, numberOf(f.visitDays[t])])) as GridSettingsInput['visitDays'],
    matters: [...f.matters],
    departmentDays: numberOf(f.departmentDays),
  }
}

export function settingsErrorsFromIssues(issues: ReadonlyArray<{ path: string; message: string }>): SettingsErrors {
  const out: SettingsErrors = {}
  for (const i of issues) {
    const [top, sub] = i.path.split('.')
    let key: keyof SettingsErrors = '_'
    if (top === 'visitDays') key = sub && (CARE_TAGS as readonly string[]).includes(sub) ? (`visitDays.${sub}` as keyof SettingsErrors) : 'visitDays'
    else if (top === 'matters') key = 'matters'
    else if (top === 'departmentDays') key = 'departmentDays'
    if (!out[key]) out[key] = i.message
  }
  return out
}

/** Every check the phone can make: the shared schema the server uses. */
export function validateSettings(f: SettingsForm): SettingsErrors {
  const parsed = z.safeParse(gridApi.actions.saveSettings.input, buildSettings(f))
  return parsed.success ? {} : settingsErrorsFromIssues(toFieldIssues(parsed.error))
}

/** A refused save: each field issue under its row; anything else at the foot. */
export function settingsErrorsFromApi(e: unknown): SettingsErrors {
  if (!(e instanceof ApiError)) return { _: e instanceof Error && e.message ? e.message : '保存失败，请稍后重试' }
  const out = settingsErrorsFromIssues(e.issues)
  if (!Object.keys(out).length) out._ = e.message || '保存失败，请稍后重试'
  return out
}
