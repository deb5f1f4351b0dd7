/**
 * The 写留言 form's state and rules: the payload, and every check that can be made on the phone
 * (the shared schema the server uses, plus the photo uploads' state). Pure.
 */
import { MAX_MESSAGE, WriteMessageInput, type WriteMessageInputT } from '@/shared/api/cases'
import { MESSAGE_CATEGORIES, type MessageCategory } from '@/shared/rules/cases'
import { toFieldIssues, z } from '@/shared/z'
import { errorsFromApi as caseErrorsFromApi, errorsFromIssues, photosProblem, uploadedPhotoIds, type FormErrors, type PhotoItem } from '@/features/cases/form'

export { MAX_MESSAGE, MESSAGE_CATEGORIES }

export interface MessageForm {
  category: MessageCategory | ''
  text: string
  /** 水电气暖紧急: first reply within 2 hours (offered for 报修 and 投诉 only). */
  utility: boolean
  /** 希望公开到留言墙. */
  wantsPublic: boolean
}

export const EMPTY_MESSAGE: MessageForm = { category: '', text: '', utility: false, wantsPublic: false }

const FIELDS = ['category', 'text', 'photos', 'utility', 'wantsPublic'] as const
export type MessageErrors = FormErrors<(typeof FIELDS)[number]>

/** The categories where a 水电气暖 emergency can be said. */
export function offersUtility(category: MessageForm['category']): boolean {
  return category === '报修' || category === '投诉'
}

export function buildMessagePayload(f: MessageForm, photos: readonly PhotoItem[]): WriteMessageInputT {
  return {
    category: f.category as MessageCategory,
    text: f.text,
    photos: uploadedPhotoIds(photos),
    // Only where it is offered: a switch left on before changing the category does not count.
    utility: offersUtility(f.category) && f.utility,
    wantsPublic: f.wantsPublic,
  }
}

export function messageErrorsFromApi(e: unknown): MessageErrors {
  return caseErrorsFromApi(e, FIELDS)
}

/** Every check that can be made before sending; empty when the form may be sent. */
export function validateMessage(f: MessageForm, photos: readonly PhotoItem[]): MessageErrors {
  const errors: MessageErrors = {}
  const problem = photosProblem(photos)
  if (problem) errors.photos = problem
  const parsed = z.safeParse(WriteMessageInput, buildMessagePayload(f, photos))
  if (!parsed.success) Object.assign(errors, { ...errorsFromIssues(toFieldIssues(parsed.error), FIELDS), ...errors })
  if (!f.category) errors.category = '请选择留言类型'
  return errors
}
