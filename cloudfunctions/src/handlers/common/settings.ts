/**
 * Per-community settings documents (`case_settings`, `booking_settings`, `property_settings`,
 * `grid_settings`, each `<collection>/<communityId>`): the numbers a community's admin sets over
 * PRODUCT.md's defaults. They change a few times a year and are read on most writes (deadlines,
 * burst thresholds, visit periods), so a function instance (runtime/instance.ts) reads one at
 * most once per `SETTINGS_TTL_MS` — another instance sees a save within that time — and keeps
 * what it saved itself at once. One place for the rule, so every feature's settings behave alike.
 */
import type { Ctx } from '../../runtime/context'
import { instanceMap } from '../../runtime/instance'
import { getOrNull } from './docs'

/** How long an instance keeps a community's settings. */
export const SETTINGS_TTL_MS = 5 * 60_000

type Kept = { at: number; doc: Record<string, unknown> | null }
const keptOf = (ctx: Pick<Ctx, 'clock'>, collection: string) => instanceMap<Kept>(ctx, `settings:${collection}`)

/** The stored document (null: none saved, the defaults apply), from the instance's copy while fresh. */
export async function storedSettings<T extends object>(ctx: Pick<Ctx, 'db' | 'clock'>, collection: string, communityId: string): Promise<Partial<T> | null> {
  const now = ctx.clock.now().getTime()
  const kept = keptOf(ctx, collection)
  const hit = kept.get(communityId)
  if (hit && Math.abs(now - hit.at) < SETTINGS_TTL_MS) return hit.doc as Partial<T> | null
  const doc = await getOrNull<Record<string, unknown>>(ctx, collection, communityId)
  kept.set(communityId, { at: now, doc })
  return doc as Partial<T> | null
}

/** Save a community's settings (with who and when) and keep them on this instance at once. */
export async function saveStoredSettings(ctx: Pick<Ctx, 'db' | 'clock' | 'openid'>, collection: string, communityId: string, data: object): Promise<void> {
  const now = ctx.clock.now()
  const doc = { ...data, updatedAt: now, updatedBy: ctx.openid }
  keptOf(ctx, collection).delete(communityId)
  await ctx.db.collection(collection).doc(communityId).set({ data: doc })
  keptOf(ctx, collection).set(communityId, { at: now.getTime(), doc })
}
