/**
 * A figure kept for a while (a "kept" document): what many looks ask and only a recount over many
 * records can answer — households per grid, the 工作台 badge — is recounted at most once per
 * `ttlMs` and kept by id for the next look, by any instance. A look within the time reads one
 * document. A failed keep costs the next look a recount, never this answer (an effect after the
 * answer is known); a kept document is only a copy, recomputable from the records it counts.
 */
import type { Ctx } from '../../runtime/context'
import { getOrNull } from './docs'

export interface KeptDoc<T> {
  _id: string
  value: T
  at: Date
}

/** The kept document (null when there is none yet); read it beside the look's other reads. */
export function readKept<T>(ctx: Pick<Ctx, 'db'>, collection: string, id: string): Promise<KeptDoc<T> | null> {
  return getOrNull<KeptDoc<T>>(ctx, collection, id)
}

/** The kept value while fresh, else `recount()`, kept for the next look. */
export async function keptOr<T>(ctx: Ctx, collection: string, id: string, kept: KeptDoc<T> | null, ttlMs: number, recount: () => Promise<T>): Promise<T> {
  const now = ctx.clock.now()
  if (kept && kept.value !== undefined && Math.abs(now.getTime() - new Date(kept.at).getTime()) < ttlMs) return kept.value
  const value = await recount()
  await ctx.db
    .collection(collection)
    .doc(id)
    .set({ data: { value, at: now } })
    .catch((e: unknown) => ctx.log.warn('kept figure not saved', { collection, id, error: e instanceof Error ? e.message : String(e) }))
  return value
}
