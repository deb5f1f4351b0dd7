/**
 * What the case forms (提交纠纷, 写留言, the answer box) share: the photo uploads' state and the
 * mapping of server and schema errors to inline field messages. Pure.
 */
import { ApiError } from '@/services/gateway'
import { MAX_PHOTOS } from '@/shared/api/cases'

export { MAX_PHOTOS }

export interface PhotoItem {
  /** Local key (stable across re-renders). */
  key: string
  /** The temp file path chosen on the phone (shown as the thumbnail). */
  path: string
  status: 'uploading' | 'done' | 'failed'
  fileId?: string
}

/** The file ids of the photos that finished uploading, in order. */
export function uploadedPhotoIds(photos: readonly PhotoItem[]): string[] {
  return photos.filter((p) => p.status === 'done' && p.fileId).map((p) => p.fileId!)
}

/** Why the photos cannot be sent yet, or undefined. */
export function photosProblem(photos: readonly PhotoItem[]): string | undefined {
  if (photos.some((p) => p.status === 'uploading')) return '照片还在上传，请稍候'
  if (photos.some((p) => p.status === 'failed')) return '有照片上传失败，请点按重试或删除'
  return undefined
}

/** Field → message; `_` is the form as a whole. */
export type FormErrors<F extends string> = Partial<Record<F | '_', string>>

/** Field issues (paths like `location.buildingId`) → one message per known form field. */
export function errorsFromIssues<F extends string>(issues: ReadonlyArray<{ path: string; message: string }>, known: readonly F[]): FormErrors<F> {
  const out: FormErrors<F> = {}
  for (const i of issues) {
    const top = i.path.split('.')[0] as F
    const key: F | '_' = known.includes(top) ? top : '_'
    if (!(key in out)) out[key] = i.message
  }
  return out
}

/** Errors from a failed submit: inline for field problems, the message for the rest. */
export function errorsFromApi<F extends string>(e: unknown, known: readonly F[]): FormErrors<F> {
  if (e instanceof ApiError) {
    const fields: FormErrors<F> = e.issues.length ? errorsFromIssues(e.issues, known) : {}
    if (Object.keys(fields).length === 0 || (e.code !== 'INVALID_INPUT' && !fields._)) fields._ = e.message
    return fields
  }
  const out: FormErrors<F> = {}
  out._ = '提交失败，请稍后重试'
  return out
}

export function hasErrors(e: Partial<Record<string, string>>): boolean {
  return Object.values(e).some(Boolean)
}
