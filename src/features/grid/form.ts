/**
 * The patrol-report form (巡查上报) and the visit form (登记走访): payloads and every check that
 * can be made on the phone (the shared schemas the server uses, plus the photo uploads). Pure.
 */
import { casesApi, MAX_DESCRIPTION } from '@/shared/api/cases'
import { gridApi } from '@/shared/api/grid'
import type { Urgency } from '@/shared/rules/cases'
import type { EventType } from '@/shared/rules/grid'
import { toFieldIssues, z } from '@/shared/z'
import { errorsFromApi as caseErrorsFromApi, errorsFromIssues, photosProblem, uploadedPhotoIds, type FormErrors as CaseFormErrors, type PhotoItem } from '@/features/cases/form'
import type { ReportPayload, VisitInput } from './api'
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
