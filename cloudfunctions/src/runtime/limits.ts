/**
 * Counting a person's actions against the rate limits (src/shared/rules/limits.ts), in the same
 * wait as reading the caller's record: one counter document per person and Shanghai day
 * (`rate_counters/<openid>:<YYYY-MM-DD>`) holds the writes of each minute (`m.t<HHmm>`), the day's
 * named counts (`d.<name>`) and the request ids of idempotent creates seen that day (`rq.<key>`);
 * one conditional update takes them all — atomic under concurrency, no count-then-write — or, for
 * the person's first write of the day on this instance, one `add` creates the document with them.
 *
 * The limits depend on the caller's community, which is known only once their record is read;
 * to count in the same wait, the limits are taken from what this instance last saw of the person
 * (their community) and of the communities' overrides (`rate_settings`, all of them in one read,
 * kept `SETTINGS_TTL_MS`). When the record then shows other limits (a person new to this
 * instance, in a community with its own numbers), the count is checked again against them — and
 * given back when the call may not go on: a refused call changes nothing. Old counters are pruned
 * by the `user.tick` job.
 */
import { AppError } from '../../../src/shared/errors'
import type { UserDoc } from '../../../src/shared/domain/user'
import { DEFAULT_RATE_SETTINGS, dailyMessage, minuteMessage, rateSettings, type DailyLimitName, type RateSettings } from '../../../src/shared/rules/limits'
import { businessDate, sh } from '../../../src/shared/time'
import { DB_DUPLICATE_KEY, DB_NOT_FOUND, isDbError } from '../platform/db'
import type { Platform } from '../platform/port'
import { instanceMap } from './instance'

export const RATE_COUNTERS = 'rate_counters'
export const RATE_SETTINGS = 'rate_settings'
const KEEP_MS = 2 * 24 * 3600_000
/**
 * How long an instance keeps the communities' rate settings. They are edited by hand in the
 * console (README), rarely; a warm instance (CloudBase keeps one while calls come) reads them
 * once in this time, in the same wait as the caller's record.
 */
export const SETTINGS_TTL_MS = 5 * 60_000
/** At most this many people remembered per instance (their community, whether today's counter exists). */
const MAX_PEOPLE = 20_000

/** What an instance keeps for counting (runtime/instance.ts): the settings, and what it saw of people. */
interface RateMemory {
  overrides: { at: number; byCommunity: Map<string, RateSettings> } | null
  loading: Promise<void> | null
  /** The community each person was in when last seen here: picks the limits before their record is read. */
  communityOf: Map<string, string>
  /** Today's counter documents known to exist (so the next count updates instead of creating). */
  existing: Set<string>
}
let generation = 0

function memoryOf(platform: Pick<Platform, 'clock'>): RateMemory {
  const m = instanceMap<RateMemory>(platform, 'rateLimits')
  const k = String(generation)
  let mem = m.get(k)
  if (!mem) m.set(k, (mem = { overrides: null, loading: null, communityOf: new Map(), existing: new Set() }))
  return mem
}

function remember<K, V>(m: Map<K, V> | Set<K>, k: K, v?: V): void {
  if (m.size >= MAX_PEOPLE) m.clear()
  if (m instanceof Map) m.set(k, v as V)
  else m.add(k)
}

/** Every community's overrides in one read (a handful of small documents). */
async function loadOverrides(platform: Pick<Platform, 'db' | 'clock' | 'log'>, mem: RateMemory): Promise<void> {
  const at = platform.clock.now().getTime()
  const byCommunity = new Map<string, RateSettings>()
  try {
    const res = await platform.db.collection<{ _id: string }>(RATE_SETTINGS).limit(1000).get()
    for (const d of res.data) byCommunity.set(d._id, rateSettings(d))
  } catch (e) {
    // No settings collection (a new environment): the defaults hold.
    platform.log.warn('rate settings not read: defaults hold', { error: e instanceof Error ? e.message : String(e) })
  }
  mem.overrides = { at, byCommunity }
}

const fresh = (mem: RateMemory, now: number) => !!mem.overrides && Math.abs(now - mem.overrides.at) < SETTINGS_TTL_MS

/** The settings of a community as this instance knows them (defaults without an override). */
const settingsOf = (mem: RateMemory, communityId: string | null): RateSettings => (communityId && mem.overrides?.byCommunity.get(communityId)) || DEFAULT_RATE_SETTINGS

/** Forget cached settings and people (after an admin changes the settings; tests). */
export function clearRateCache(): void {
  generation++
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

/** A person's counters of one Shanghai day. */
export interface DayCounterDoc {
  _id: string
  openid: string
  /** When it was created (the job prunes by it). */
  at: Date
  /** Writes per minute: `t<HHmm>` → n. */
  m: Record<string, number>
  /** The day's named counts. */
  d: Partial<Record<DailyLimitName, number>>
  /** Request ids of idempotent creates counted today (a retry is not counted again). */
  rq?: Record<string, Date>
}

export const dayCounterId = (openid: string, now: Date) => `${openid}:${businessDate(now)}`

interface Wanted {
  minute: boolean
  daily?: DailyLimitName
  /** A request key to remember with the count (an idempotent create): a retry finds it and is not counted again. */
  claim?: string
}

type Taken = { ok: true } | { ok: false; why: 'minute' | 'daily' | 'claimed' }

/** What a count takes, and under which limits, as update paths. */
function paths(w: Wanted, minuteKey: string) {
  return { m: `m.${minuteKey}`, d: w.daily ? `d.${w.daily}` : null, rq: w.claim ? `rq.${w.claim}` : null }
}

/**
 * One more of each wanted count on the person's counter of the day, under `limits`: one
 * conditional update (or the `add` that creates the day's document). On refusal, one read tells why.
 */
async function take(platform: Pick<Platform, 'db' | 'clock'>, openid: string, w: Wanted, limits: RateSettings, now: Date): Promise<Taken> {
  const { existing } = memoryOf(platform)
  const id = dayCounterId(openid, now)
  const minuteKey = `t${sh(now).format('HHmm')}`
  const p = paths(w, minuteKey)
  const col = platform.db.collection<DayCounterDoc>(RATE_COUNTERS)
  const _ = platform.db.command
  // Under the limit, or not counted yet this minute / day. Written as where-objects joined at the
  // top level: the SDK lifts a field-level `or` to the top, where two of them would collide.
  const under = (path: string, limit: number) => _.or([{ [path]: _.exists(false) }, { [path]: _.lt(limit) }])
  if (!existing.has(id)) {
    const doc: DayCounterDoc = {
      _id: id,
      openid,
      at: now,
      m: w.minute ? { [minuteKey]: 1 } : {},
      d: w.daily ? { [w.daily]: 1 } : {},
      rq: w.claim ? { [w.claim]: now } : {},
    }
    try {
      await col.add({ data: doc as unknown as Record<string, unknown> })
      remember(existing, id)
      return { ok: true }
    } catch (e) {
      if (!isDbError(e, DB_DUPLICATE_KEY)) throw e
    }
  }
  remember(existing, id)
  for (let attempt = 0; attempt < 3; attempt++) {
    const where: unknown[] = [{ _id: id }]
    const data: Record<string, unknown> = {}
    if (w.minute) {
      where.push(under(p.m, limits.writesPerMinute))
      data[p.m] = _.inc(1)
    }
    if (p.d) {
      where.push(under(p.d, limits.daily[w.daily!]))
      data[p.d] = _.inc(1)
    }
    if (p.rq) {
      where.push({ [p.rq]: _.exists(false) })
      data[p.rq] = now
    }
    const res = await col.where(_.and(where)).update({ data })
    if (res.stats.updated === 1) return { ok: true }
    let cur: DayCounterDoc | null = null
    try {
      cur = (await col.doc(id).get()).data
    } catch (e) {
      if (!isDbError(e, DB_NOT_FOUND)) throw e
    }
    if (!cur) {
      // Pruned or never there (this instance thought it existed): create it.
      existing.delete(id)
      return take(platform, openid, w, limits, now)
    }
    if (w.claim && cur.rq?.[w.claim]) return { ok: false, why: 'claimed' }
    if (w.minute && (cur.m?.[minuteKey] ?? 0) >= limits.writesPerMinute) return { ok: false, why: 'minute' }
    if (w.daily && (cur.d?.[w.daily] ?? 0) >= limits.daily[w.daily]) return { ok: false, why: 'daily' }
    // Given back meanwhile (a refused parallel call): look again.
  }
  return { ok: false, why: w.minute ? 'minute' : 'daily' }
}

/** Give back what a count took (the call was refused before it did anything). */
async function giveBack(platform: Pick<Platform, 'db' | 'clock'>, openid: string, w: Wanted, now: Date): Promise<void> {
  const p = paths(w, `t${sh(now).format('HHmm')}`)
  const _ = platform.db.command
  const data: Record<string, unknown> = {}
  if (w.minute) data[p.m] = _.inc(-1)
  if (p.d) data[p.d] = _.inc(-1)
  if (p.rq) data[p.rq] = _.remove()
  if (Object.keys(data).length === 0) return
  await platform.db.collection(RATE_COUNTERS).doc(dayCounterId(openid, now)).update({ data })
}

function refusal(why: 'minute' | 'daily', daily: DailyLimitName | undefined, limits: RateSettings): AppError {
  return why === 'minute' ? new AppError('RATE_LIMITED', minuteMessage()) : new AppError('RATE_LIMITED', dailyMessage(daily!, limits.daily[daily!]))
}

/** A call's count, started before the caller's record is read (see the header). */
export interface Counting {
  /**
   * With the caller's record: the count under their community's limits. Throws RATE_LIMITED
   * (having given back whatever it took). `retry`: the request id was counted before today.
   */
  settle(user: UserDoc | null): Promise<{ retry: boolean }>
  /** The call was refused before it did anything (no access): give the count back. */
  undo(): Promise<void>
  /** The request turned out to be a retry (its claim existed): give back its daily count. */
  giveBackDaily(): Promise<void>
}

/**
 * Start counting a call: every write per minute, `daily` against its named cap, and with
 * `claim` the request key of an idempotent create. The count runs while the caller's record is
 * read; `settle` finishes it.
 */
export function startCounting(platform: Pick<Platform, 'db' | 'clock' | 'log'>, openid: string, opts: { write: boolean; daily?: DailyLimitName; claim?: string }): Counting {
  const now = platform.clock.now()
  const mem = memoryOf(platform)
  const refresh = fresh(mem, now.getTime()) ? null : (mem.loading ??= loadOverrides(platform, mem).finally(() => (mem.loading = null)))
  const guessed = mem.communityOf.get(openid) ?? null
  const used = settingsOf(mem, guessed)
  let wanted: Wanted = { minute: opts.write, daily: opts.daily, claim: opts.claim }
  const first = take(platform, openid, wanted, used, now)
  // Settled or not, a failure here must not go unhandled while the caller's record is read.
  first.catch(() => undefined)
  refresh?.catch(() => undefined)
  /** What this call holds once counted (given back by `undo`); null before, and after giving back. */
  let held: Wanted | null = null
  let settled = false
  const minuteKey = `t${sh(now).format('HHmm')}`
  return {
    async settle(user) {
      await refresh
      let r = await first
      settled = true
      const community = user?.address.communityId ?? null
      if (user) remember(mem.communityOf, openid, community!)
      const limits = settingsOf(mem, community)
      let retry = false
      const allowsMore = (why: 'minute' | 'daily') =>
        why === 'minute' ? limits.writesPerMinute > used.writesPerMinute : limits.daily[opts.daily!] > used.daily[opts.daily!]
      // Refused under another community's numbers, and this one allows more: count again under its own.
      if (!r.ok && r.why !== 'claimed' && allowsMore(r.why)) r = await take(platform, openid, wanted, limits, now)
      if (!r.ok && r.why === 'claimed') {
        // A retry of a request counted today: counted per minute only.
        retry = true
        wanted = { minute: opts.write }
        r = wanted.minute ? await take(platform, openid, wanted, limits, now) : { ok: true }
      } else if (r.ok && ((wanted.minute && limits.writesPerMinute < used.writesPerMinute) || (wanted.daily && limits.daily[wanted.daily] < used.daily[wanted.daily]))) {
        // Taken under higher numbers than this community's: within its own?
        const cur = (await platform.db.collection<DayCounterDoc>(RATE_COUNTERS).doc(dayCounterId(openid, now)).get()).data
        const over =
          wanted.minute && (cur.m?.[minuteKey] ?? 0) > limits.writesPerMinute ? 'minute' : wanted.daily && (cur.d?.[wanted.daily] ?? 0) > limits.daily[wanted.daily] ? 'daily' : null
        if (over) {
          await giveBack(platform, openid, wanted, now)
          throw refusal(over, wanted.daily, limits)
        }
      }
      if (!r.ok) throw refusal(r.why === 'claimed' ? 'minute' : r.why, wanted.daily, limits)
      held = wanted
      return { retry }
    },
    async undo() {
      let w = held
      if (!settled) w = (await first.catch(() => null))?.ok ? wanted : null
      held = null
      settled = true
      if (w) await giveBack(platform, openid, w, now)
    },
    async giveBackDaily() {
      if (!held?.daily) return
      await giveBack(platform, openid, { minute: false, daily: held.daily }, now)
      held = { ...held, daily: undefined }
    },
  }
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
