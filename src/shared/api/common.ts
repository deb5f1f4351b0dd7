/** Schemas shared by many actions: pagination, ids, empty input. */
import { z } from '../z'
import { IdSchema } from '../ids'

export const Empty = z.object({}).strict()

/** Offset pagination over an indexed, ordered query; `cursor` is the offset as a string. */
export const PageInput = z.object({
  cursor: z.string().regex(/^\d{1,6}$/).optional(),
  pageSize: z.number().int().min(1).max(50).default(20),
})
export type PageInputT = z.infer<typeof PageInput>

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() })
}

export const OkOut = z.object({ ok: z.literal(true) })
export { IdSchema }

/** An ISO-8601 instant on the wire (Dates are serialised by JSON). */
export const InstantOut = z.union([z.date(), z.string()]).transform((v) => (typeof v === 'string' ? v : v.toISOString()))
