/**
 * Tests wait for conditions, never for time: instead of sleeping "long enough" and then reading,
 * retry the read (or the whole assertion) until it holds, with a deadline that fits a slow, busy
 * machine. The deadline only bounds a failure; a passing test waits exactly as long as it must.
 *
 *   await eventually(() => expect(page.text()).toContain('翠湖社区'))
 *   await poll(() => locator.textContent()).toBe('已确认')        // like Playwright's expect.poll
 *   await poll(() => locator.count()).not.toBe(0)
 *
 * On timeout the last assertion error is thrown (with its diff), prefixed by how long it waited.
 */

/** How long a condition may take to hold on a slow machine before the test fails. */
export const CONDITION_TIMEOUT_MS = 30_000

export interface PollOptions {
  /** Give up after this many ms (default CONDITION_TIMEOUT_MS). */
  timeout?: number
  /** Pause between attempts (default 20 ms): the cadence of the retries, not a wait for anything. */
  interval?: number
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * Runs `check` until it neither throws nor returns `false`; returns its last result. A check
 * that does not hold by the deadline fails with its last error.
 */
export async function eventually<T>(check: () => T | Promise<T>, opts: PollOptions = {}): Promise<Exclude<T, false>> {
  const timeout = opts.timeout ?? CONDITION_TIMEOUT_MS
  const interval = opts.interval ?? 20
  const deadline = Date.now() + timeout
  for (;;) {
    let failure: unknown
    try {
      const out = await check()
      if (out !== false) return out as Exclude<T, false>
      failure = new Error('the condition returned false')
    } catch (err) {
      failure = err
    }
    if (Date.now() >= deadline) {
      if (failure instanceof Error) {
        failure.message = `still failing after ${timeout} ms:\n${failure.message}`
        throw failure
      }
      throw new Error(`still failing after ${timeout} ms: ${String(failure)}`)
    }
    await pause(interval)
  }
}

type Matchers = jest.Matchers<Promise<void>>
export type PollMatchers = { [K in keyof Matchers]: Matchers[K] } & { not: PollMatchers }

/**
 * `expect` with retries: `await poll(read).toBe(x)` reads again until the matcher passes.
 * Any jest matcher works, with `.not` too.
 */
export function poll<T>(read: () => T | Promise<T>, opts: PollOptions = {}): PollMatchers {
  const chain = (negate: boolean): PollMatchers =>
    new Proxy({} as PollMatchers, {
      get(_target, prop) {
        if (prop === 'not') return chain(!negate)
        if (prop === 'then') return undefined // not a thenable: `await poll(x)` alone is a mistake
        return async (...args: unknown[]) => {
          await eventually(async () => {
            const value = await read()
            const e = negate ? expect(value).not : expect(value)
            await (e as unknown as Record<PropertyKey, (...a: unknown[]) => unknown>)[prop](...args)
          }, opts)
        }
      },
    })
  return chain(false)
}
