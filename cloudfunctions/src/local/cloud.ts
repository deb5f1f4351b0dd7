/**
 * The local cloud: the production function code (FUNCTIONS) on the local platform (embedded
 * database + local services). Used by the HTTP gateway, the seed and the tests alike.
 */
import type { Envelope } from '../../../src/shared/errors'
import { FUNCTIONS, type FunctionEntry } from '../functions'
import { INDEXES } from '../functions/indexes'
import { openLocalDatabase, type LocalDatabase } from '../platform/local/db'
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
  close(): Promise<void>
}

export async function createLocalCloud(opts: LocalCloudOptions = {}): Promise<LocalCloud> {
  const clock = opts.clock ?? { now: () => new Date() }
  const db = await openLocalDatabase({ dir: opts.dataDir, indexes: INDEXES, now: () => clock.now() })
  const platform = createLocalServices({ db, dataDir: opts.dataDir, clock, bannedWords: opts.bannedWords, log: opts.log ?? consoleLogger })
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
    async close() {
      stopTimers?.()
      await db.close()
    },
  }
}
