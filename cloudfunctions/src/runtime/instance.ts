/**
 * Memory of one function instance (CloudBase keeps an instance warm while calls come, and runs
 * each call in it): reference data and settings a handler may keep for a while instead of
 * reading them on every call. One store per platform — a deployed function has one; each local
 * cloud (each test) its own, so no test sees another's data. Keyed by the platform's clock,
 * which every handler context carries.
 */
import type { Clock } from '../platform/port'

const stores = new WeakMap<Clock, Map<string, Map<string, unknown>>>()

/** The instance's map named `name` (created empty the first time). */
export function instanceMap<V>(ctx: { clock: Clock }, name: string): Map<string, V> {
  let store = stores.get(ctx.clock)
  if (!store) stores.set(ctx.clock, (store = new Map()))
  let m = store.get(name)
  if (!m) store.set(name, (m = new Map()))
  return m as Map<string, V>
}

/** Drop everything an instance kept, as a cold start does (tests of what a fresh instance reads). */
export function coldStart(ctx: { clock: Clock }): void {
  stores.delete(ctx.clock)
}
