/**
 * The submit form's state and rules: building the payload, and every check that can be made on
 * the phone (the same shared schema the server uses, plus the photo uploads' state). Pure.
 */
import { ApiError } from '@/services/gateway'
import { MAX_DESCRIPTION, MAX_PHOTOS, SubmitDisputeInput, type SubmitDisputeInputT } from '@/shared/api/cases'
import type { DisputeCategory, Urgency } from '@/shared/rules/cases'
import { toFieldIssues, z } from '@/shared/z'

export { MAX_DESCRIPTION, MAX_PHOTOS }

export interface PhotoItem {
  /** Local key (stable across re-renders). */
  key: string
  /** The temp file path chosen on the phone (shown as the thumbnail). */
  path: string
  status: 'uploading' | 'done' | 'failed'
  fileId?: string
}

export interface OtherPartyForm {
  buildingId: string
  unitId: string
  room: string
}

export interface DisputeForm {
  category: DisputeCategory | ''
  description: string
  photos: PhotoItem[]
  buildingId: string
  unitId: string
  /** The resident chose to tell where the other party lives. */
  withOther: boolean
  other: OtherPartyForm
  urgency: Urgency
}

export const EMPTY_FORM: DisputeForm = {
  category: '',
  description: '',
  photos: [],
  buildingId: '',
  unitId: '',
  withOther: false,
  other: { buildingId: '', unitId: '', room: '' },
  urgency: 'normal',
}

/** The fields errors are shown beside; `_` is the form as a whole. */
export type FormField = 'category' | 'description' | 'photos' | 'location' | 'otherParty' | 'urgency' | '_'
export type FormErrors = Partial<Record<FormField, string>>

export function buildPayload(f: DisputeForm): SubmitDisputeInputT {
  return {
    kind: 'dispute',
    category: f.category as DisputeCategory,
    description: f.description,
    photos: f.photos.filter((p) => p.status === 'done' && p.fileId).map((p) => p.fileId!),
    location: { buildingId: f.buildingId, ...(f.unitId ? { unitId: f.unitId } : {}) },
    ...(f.withOther ? { otherParty: { buildingId: f.other.buildingId, unitId: f.other.unitId, room: f.other.room } } : {}),
    urgency: f.urgency,
  }
}

const KNOWN: FormField[] = ['category', 'description', 'photos', 'location', 'otherParty', 'urgency']

/** Field issues (paths like `location.buildingId`) → one message per form field. */
export function errorsFromIssues(issues: ReadonlyArray<{ path: string; message: string }>): FormErrors {
  const out: FormErrors = {}
  for (const i of issues) {
    const top = i.path.split('.')[0] as FormField
    const key: FormField = KNOWN.includes(top) ? top : '_'
    if (!(key in out)) out[key] = i.message
  }
  return out
}

/** Errors from a failed submit: inline for field problems, the message for the rest. */
export function errorsFromApi(e: unknown): FormErrors {
  if (e instanceof ApiError) {
    const fields = e.issues.length ? errorsFromIssues(e.issues) : {}
    if (Object.keys(fields).length === 0 || (e.code !== 'INVALID_INPUT' && !fields._)) fields._ = e.message
    return fields
  }
  return { _: '提交失败，请稍后重试' }
}

/** Every check that can be made before sending; empty when the form may be submitted. */
export function validateForm(f: DisputeForm): FormErrors {
  const errors: FormErrors = {}
  if (f.photos.some((p) => p.status === 'uploading')) errors.photos = '照片还在上传，请稍候'
  else if (f.photos.some((p) => p.status === 'failed')) errors.photos = '有照片上传失败，请点按重试或删除'
  const parsed = z.safeParse(SubmitDisputeInput, buildPayload(f))
  if (!parsed.success) Object.assign(errors, { ...errorsFromIssues(toFieldIssues(parsed.error)), ...errors })
  if (!f.category) errors.category = '请选择纠纷类型'
  if (!f.buildingId) errors.location = '请选择纠纷发生的楼栋'
  if (f.withOther) {
    if (!f.other.buildingId || !f.other.unitId) errors.otherParty = '请选择对方所在的楼栋和单元'
    else if (!f.other.room.trim()) errors.otherParty = '请填写对方的门牌号'
  }
  return errors
}

export function hasErrors(e: FormErrors): boolean {
  return Object.values(e).some(Boolean)
}
