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
export { IdSchema }

/** An ISO-8601 instant on the wire (Dates are serialised by JSON); idempotent on re-parse. */
export const InstantOut = z.pipe(
  z.union([z.date(), z.string()]),
  z.transform((v: Date | string) => (typeof v === 'string' ? v : v.toISOString())),
)
