/** Schemas shared by many actions: pagination, ids, empty input, instants on the wire. */
import { z, type Schema } from '../z'
import { IdSchema } from '../ids'

export const Empty = z.strictObject({})

/** Offset pagination over an indexed, ordered query; `cursor` is the offset as a string. */
export const PageFields = {
  cursor: z.optional(z.string().check(z.regex(/^\d{1,6}$/))),
  pageSize: z._default(z.int().check(z.gte(1), z.lte(50)), 20),
}
export const PageInput = z.strictObject(PageFields)
export type PageInputT = z.infer<typeof PageInput>

export function pageOf<T extends Schema>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.nullable(z.string()) })
}

export const OkOut = z.object({ ok: z.literal(true) })

/** An uploaded file's id (CloudBase `cloud://…`, the local cloud's `local://…`). */
export const FileId = z.string().check(z.minLength(1), z.maxLength(256), z.regex(/^(cloud|local):\/\//, '图片地址不正确'))
/** Up to `max` uploaded photos, none by default. */
export const photosInput = (max: number) => z._default(z.array(FileId).check(z.maxLength(max, `最多上传 ${max} 张照片`)), [])

/**
 * A photo as the viewer may see it. `checking`: its content check (内容安全) is still running —
 * with a `url` for its uploader (marked 审核中), without one for everyone else (a 图片审核中
 * placeholder). A photo that failed the check is never sent.
 */
export const PhotoOut = z.object({ fileId: z.string(), url: z.nullable(z.string()), checking: z.optional(z.boolean()) })
export type PhotoOutT = z.infer<typeof PhotoOut>
/** How many of the viewer's own photos here failed the check (「有 N 张图片未通过审核」); absent: none. */
export const RejectedPhotos = z.optional(z.number())
export { IdSchema }

/** An ISO-8601 instant on the wire (Dates are serialised by JSON); idempotent on re-parse. */
export const InstantOut = z.pipe(
  z.union([z.date(), z.string()]),
  z.transform((v: Date | string) => (typeof v === 'string' ? v : v.toISOString())),
)
