/**
 * Counting a person's actions against the rate limits (src/shared/rules/limits.ts): one counter
 * record per person and minute (every write together) and one per person, named limit and
 * Shanghai day, each moved by a conditional `inc` under its limit — atomic under concurrency, no
 * count-then-write. Counted after the input is valid and the caller may act, before the handler.
 * Old counters are pruned by the `user.tick` job.
 */
import { AppError } from '../../../src/shared/errors'
import type { UserDoc } from '../../../src/shared/domain/user'
import { dailyMessage, minuteMessage, rateSettings, type DailyLimitName, type RateSettings } from '../../../src/shared/rules/limits'
import { businessDate, sh } from '../../../src/shared/time'
import { DB_DUPLICATE_KEY, DB_NOT_FOUND, isDbError } from '../platform/db'
import type { Platform } from '../platform/port'

export const RATE_COUNTERS = 'rate_counters'
export const RATE_SETTINGS = 'rate_settings'
const KEEP_MS = 2 * 24 * 3600_000

/** Per community, read at most once a minute per function instance. */
const cache = new Map<string, { at: number; settings: RateSettings }>()

async function settingsFor(platform: Platform, communityId: string): Promise<RateSettings> {
  const now = platform.clock.now().getTime()
  const hit = cache.get(communityId)
  if (hit && Math.abs(now - hit.at) < 60_000) return hit.settings
  let stored: unknown = null
  try {
    stored = (await platform.db.collection(RATE_SETTINGS).doc(communityId).get()).data
  } catch (e) {
    if (!isDbError(e, DB_NOT_FOUND)) throw e
  }
  const settings = rateSettings(stored)
  cache.set(communityId, { at: now, settings })
  return settings
}

/** Forget cached settings (after an admin changes them; tests). */
export function clearRateCache(): void {
  cache.clear()
}

/**
 * One more under `limit` on counter `id` (collection `rate_counters`), or false when the limit is
 * reached: a conditional `inc`, or the counter's creation, so parallel calls never pass the limit.
 * The one counting mechanism: rate limits here, and the local gateway's daily upload quota.
 */
export async function takeUnder(platform: Pick<Platform, 'db' | 'clock'>, id: string, limit: number): Promise<boolean> {
  if (limit <= 0) return false
  const col = platform.db.collection(RATE_COUNTERS)
  const _ = platform.db.command
  for (let attempt = 0; attempt < 3; attempt++) {
    const res = await col.where({ _id: id, n: _.lt(limit) }).update({ data: { n: _.inc(1) } })
    if (res.stats.updated === 1) return true
    try {
      await col.add({ data: { _id: id, n: 1, at: platform.clock.now() } })
      return true
    } catch (e) {
      if (!isDbError(e, DB_DUPLICATE_KEY)) throw e
      // It exists: either at the limit, or created by a parallel call a moment ago — look again.
      const cur = (await col.doc(id).get()).data as unknown as { n: number }
      if (cur.n >= limit) return false
    }
  }
  return false
}

/** The counter id of a person's named daily count on a Shanghai day. */
export const dailyCounterId = (openid: string, name: string, now: Date) => `${openid}:d:${name}:${businessDate(now)}`

/** Count this call; throws RATE_LIMITED (and counts nothing more) when a limit is reached. */
export async function countCall(platform: Platform, user: UserDoc | null, openid: string, opts: { write: boolean; daily?: DailyLimitName }): Promise<void> {
  if (!opts.write && !opts.daily) return
  const settings = user ? await settingsFor(platform, user.address.communityId) : rateSettings(null)
  const now = platform.clock.now()
  const [minuteOk, dayOk] = await Promise.all([
    opts.write ? takeUnder(platform, `${openid}:m:${sh(now).format('YYYYMMDDHHmm')}`, settings.writesPerMinute) : true,
    opts.daily ? takeUnder(platform, dailyCounterId(openid, opts.daily, now), settings.daily[opts.daily]) : true,
  ])
  if (!minuteOk) throw new AppError('RATE_LIMITED', minuteMessage())
  if (!dayOk) throw new AppError('RATE_LIMITED', dailyMessage(opts.daily!, settings.daily[opts.daily!]))
}

/** The job's part: drop counters older than two days. */
export async function pruneCounters(platform: Pick<Platform, 'db' | 'clock'>, max = 2000): Promise<number> {
  const _ = platform.db.command
  const before = new Date(platform.clock.now().getTime() - KEEP_MS)
  let removed = 0
  while (removed < max) {
    const res = await platform.db.collection<{ _id: string }>(RATE_COUNTERS).where({ at: _.lt(before) }).orderBy('at', 'asc').limit(200).field({ _id: true }).get()
    if (res.data.length === 0) break
    const r = await platform.db.collection(RATE_COUNTERS).where({ _id: _.in(res.data.map((d) => d._id)) }).remove()
    removed += r.stats.removed
    if (r.stats.removed === 0) break
  }
  return removed
}
