/**
 * The dispute submit form's state and rules: building the payload, and every check that can be
 * made on the phone (the same shared schema the server uses, plus the photo uploads' state). Pure.
 */
import { MAX_DESCRIPTION, SubmitDisputeInput, type SubmitDisputeInputT } from '@/shared/api/cases'
import type { DisputeCategory, Urgency } from '@/shared/rules/cases'
import { toFieldIssues, z } from '@/shared/z'
import { errorsFromApi as caseErrorsFromApi, errorsFromIssues, photosProblem, uploadedPhotoIds, type FormErrors as CaseFormErrors, type PhotoItem } from '@/features/cases/form'

export { MAX_DESCRIPTION }

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
const FIELDS = ['category', 'description', 'photos', 'location', 'otherParty', 'urgency'] as const
export type FormField = (typeof FIELDS)[number] | '_'
export type FormErrors = CaseFormErrors<(typeof FIELDS)[number]>

export function buildPayload(f: DisputeForm): SubmitDisputeInputT {
  return {
    kind: 'dispute',
    category: f.category as DisputeCategory,
    description: f.description,
    photos: uploadedPhotoIds(f.photos),
    location: { buildingId: f.buildingId, ...(f.unitId ? { unitId: f.unitId } : {}) },
    ...(f.withOther ? { otherParty: { buildingId: f.other.buildingId, unitId: f.other.unitId, room: f.other.room } } : {}),
    urgency: f.urgency,
  }
}

/** Errors from a failed submit: inline for field problems, the message for the rest. */
export function errorsFromApi(e: unknown): FormErrors {
  return caseErrorsFromApi(e, FIELDS)
}

/** Every check that can be made before sending; empty when the form may be submitted. */
export function validateForm(f: DisputeForm): FormErrors {
  const errors: FormErrors = {}
  const photos = photosProblem(f.photos)
  if (photos) errors.photos = photos
  const parsed = z.safeParse(SubmitDisputeInput, buildPayload(f))
  if (!parsed.success) Object.assign(errors, { ...errorsFromIssues(toFieldIssues(parsed.error), FIELDS), ...errors })
  if (!f.category) errors.category = '请选择纠纷类型'
  if (!f.buildingId) errors.location = '请选择纠纷发生的楼栋'
  if (f.withOther) {
    if (!f.other.buildingId || !f.other.unitId) errors.otherParty = '请选择对方所在的楼栋和单元'
    else if (!f.other.room.trim()) errors.otherParty = '请填写对方的门牌号'
  }
  return errors
}
