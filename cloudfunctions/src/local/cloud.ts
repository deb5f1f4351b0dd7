/**
 * The local cloud: the production function code (FUNCTIONS) on the local platform (embedded
 * database + local services). Used by the HTTP gateway, the seed and the tests alike.
 */
import type { Envelope } from '../../../src/shared/errors'
import { FUNCTIONS, type FunctionEntry } from '../functions'
import { COLLECTIONS, INDEXES } from '../functions/indexes'
import { openLocalDatabase, type LocalDatabase, type QueryReport } from '../platform/local/db'
import { createLocalServices, consoleLogger, type LocalPlatform } from '../platform/local/services'
import type { Clock, Logger, PlatformSettings } from '../platform/port'

export interface LocalCloudOptions {
  /** Data folder; undefined keeps everything in memory (tests). */
  dataDir?: string
  clock?: Clock
  log?: Logger
  bannedWords?: string[]
  functions?: Record<string, FunctionEntry>
  /** Request lease, rate limits on/off (production uses the defaults). */
  settings?: PlatformSettings
  /**
   * When media-check verdicts arrive. Unset or 0: at once, inside the check (no callback). A
   * number of ms: held, then delivered that late through the `media` function, as WeChat's
   * `wxa_media_check` push (消息推送). `'manual'`: held until `deliverMediaVerdicts()` (tests).
   */
  mediaVerdictDelayMs?: number | 'manual'
  /** The collections that exist at start (default: every declared one; a test may start from fewer). */
  collections?: readonly string[]
  /** Told of every query no index fully served (platform/local/db `onQueryReport`). */
  onQueryReport?: (r: QueryReport) => void
}

export interface LocalCloud {
  db: LocalDatabase
  platform: LocalPlatform
  functions: Record<string, FunctionEntry>
  /** Call a function as the person `openid` (null = nobody signed in). */
  call(fn: string, event: unknown, openid: string | null): Promise<Envelope<unknown>>
  /** Run one timer trigger as the platform would. */
  runTimer(fn: string, trigger: string): Promise<Envelope<unknown>>
  /** Start every timer trigger on its interval; returns a stop function. */
  startTimers(): () => void
  /** Deliver an event as the platform's message push (消息推送) to a function. */
  push(fn: string, event: unknown): Promise<Envelope<unknown>>
  /**
   * Deliver the held media-check verdicts (`mediaVerdictDelayMs`) as `wxa_media_check` pushes to
   * the `media` function: every one, or with `dueOnly` those older than the delay. Returns how many
   * were delivered; a push answered with an error stays held and is tried again next time.
   */
  deliverMediaVerdicts(opts?: { dueOnly?: boolean; traceIds?: string[] }): Promise<number>
  close(): Promise<void>
}

export async function createLocalCloud(opts: LocalCloudOptions = {}): Promise<LocalCloud> {
  const clock = opts.clock ?? { now: () => new Date() }
  // Strict like CloudBase: the declared collections exist (as `user.setup` creates them in
  // production), any other is refused with -502005.
  const db = await openLocalDatabase({ dir: opts.dataDir, indexes: INDEXES, now: () => clock.now(), collections: opts.collections ?? COLLECTIONS, onQueryReport: opts.onQueryReport })
  const delay = opts.mediaVerdictDelayMs
  const holdMediaVerdicts = delay === 'manual' || (typeof delay === 'number' && delay > 0)
  const platform = createLocalServices({ db, dataDir: opts.dataDir, clock, bannedWords: opts.bannedWords, log: opts.log ?? consoleLogger, holdMediaVerdicts })
  platform.settings = opts.settings
  const functions = opts.functions ?? FUNCTIONS
  let stopTimers: (() => void) | null = null

  async function call(fn: string, event: unknown, openid: string | null): Promise<Envelope<unknown>> {
    const entry = Object.prototype.hasOwnProperty.call(functions, fn) ? functions[fn] : undefined
    if (!entry) return { ok: false, error: { code: 'NOT_FOUND', message: `没有这个云函数：${fn}` } }
    return entry.fn.invoke(event, platform, { openid, source: 'person' })
  }

  async function runTimer(fn: string, trigger: string): Promise<Envelope<unknown>> {
    const entry = functions[fn]
    if (!entry) return { ok: false, error: { code: 'NOT_FOUND', message: `没有这个云函数：${fn}` } }
    return entry.fn.invoke({ Type: 'Timer', TriggerName: trigger, Time: clock.now().toISOString() }, platform, { openid: null, source: 'timer' })
  }

  async function push(fn: string, event: unknown): Promise<Envelope<unknown>> {
    const entry = Object.prototype.hasOwnProperty.call(functions, fn) ? functions[fn] : undefined
    if (!entry) return { ok: false, error: { code: 'NOT_FOUND', message: `没有这个云函数：${fn}` } }
    return entry.fn.invoke(event, platform, { openid: null, source: 'push' })
  }

  async function deliverHeld(o: { dueOnly?: boolean; traceIds?: string[] }): Promise<number> {
    const now = clock.now().getTime()
    const wait = typeof delay === 'number' ? delay : 0
    let delivered = 0
    for (const h of await platform.heldMediaVerdicts()) {
      if (o.dueOnly && h.at.getTime() + wait > now) continue
      if (o.traceIds && !o.traceIds.includes(h.traceId)) continue
      const r = await push('media', h.event)
      if (!r.ok) {
        platform.log.warn('media verdict not delivered', { traceId: h.traceId, error: r.error })
        continue
      }
      await platform.mediaVerdictDelivered(h.traceId)
      delivered++
    }
    return delivered
  }
  // One delivery at a time: the sweep and an explicit call never push one verdict twice at once.
  let delivering: Promise<unknown> = Promise.resolve()
  function deliverMediaVerdicts(o: { dueOnly?: boolean; traceIds?: string[] } = {}): Promise<number> {
    const run = delivering.then(() => deliverHeld(o))
    delivering = run.catch(() => undefined)
    return run
  }
  // Verdicts held for a number of ms are delivered by a sweep (also those a restart left held).
  const sweep =
    typeof delay === 'number' && delay > 0
      ? setInterval(() => {
          deliverMediaVerdicts({ dueOnly: true }).catch((e: unknown) => platform.log.warn('media verdict sweep failed', { error: String(e) }))
        }, Math.min(delay, 1000))
      : null
  sweep?.unref()

  function startTimers(): () => void {
    const handles: NodeJS.Timeout[] = []
    for (const [name, entry] of Object.entries(functions)) {
      for (const t of entry.triggers) {
        let running = false
        handles.push(
          setInterval(() => {
            if (running) return
            running = true
            runTimer(name, t.name)
              .then((r) => {
                if (!r.ok) platform.log.warn(`timer ${name}.${t.name} failed`, { error: r.error })
              })
              .finally(() => {
                running = false
              })
          }, t.everyMs),
        )
      }
    }
    stopTimers = () => handles.forEach(clearInterval)
    return stopTimers
  }

  return {
    db,
    platform,
    functions,
    call,
    runTimer,
    startTimers,
    push,
    deliverMediaVerdicts,
    async close() {
      stopTimers?.()
      if (sweep) clearInterval(sweep)
      await delivering
      await db.close()
    },
  }
}
