/**
 * Test support: database round trips of one action, as CloudBase bills and waits for them.
 *
 * Every port call that goes to the database (a promise-returning method of a collection, query,
 * document or transaction reference) is one request (`total`, the quota). `sequential` counts the
 * waits on the action's path: a request started while no other is in flight begins a new wait;
 * requests started together (Promise.all) share one. A transaction counts as the requests inside
 * it (each `tx.collection().doc().get/update/…` is one HTTP request on CloudBase; the begin and
 * commit are not counted). The caller's own record, which serve() loads, counts like any other.
 *
 * Budgets (issue 13): a write ≤ 3 sequential and ≤ 6 total; a read ≤ 2 sequential and ≤ 3 total.
 */
import type { Database } from '../../cloudfunctions/src/platform/db'
import type { TestCloud } from './cloud'

export interface Trips {
  total: number
  sequential: number
}

export const BUDGET = {
  read: { sequential: 2, total: 3 },
  write: { sequential: 3, total: 6 },
} as const

/** Wraps `db` so every request is counted; `take()` returns the counts since the last take. */
export function countTrips(db: Database): { db: Database; take(): Trips } {
  let total = 0
  let sequential = 0
  let inFlight = 0
  const track = <T,>(p: Promise<T>): Promise<T> => {
    if (inFlight === 0) sequential++
    inFlight++
    total++
    const done = () => {
      inFlight--
    }
    p.then(done, done)
    return p
  }
  const wrap = <T extends object>(o: T): T =>
    new Proxy(o, {
      get(target, prop, recv) {
        const v = Reflect.get(target, prop, recv)
        if (typeof v !== 'function') return v
        return (...args: unknown[]) => {
          const r = (v as (...a: unknown[]) => unknown).apply(target, args)
          if (r instanceof Promise) return track(r)
          return r && typeof r === 'object' ? wrap(r as object) : r
        }
      },
    })
  const proxied = new Proxy(db, {
    get(target, prop, recv) {
      if (prop === 'collection') return (name: string) => wrap(target.collection(name))
      if (prop === 'runTransaction') return (fn: (tx: unknown) => Promise<unknown>, retries?: number) => target.runTransaction((tx) => fn(wrap(tx)), retries)
      const v = Reflect.get(target, prop, recv)
      return typeof v === 'function' ? v.bind(target) : v
    },
  })
  return {
    db: proxied,
    take() {
      const out = { total, sequential }
      total = 0
      sequential = 0
      return out
    },
  }
}

/** Counts the round trips of every call made through `t` from now on (`t.cloud.platform.db` is wrapped). */
export function tripsOf(t: TestCloud): () => Trips {
  const counter = countTrips(t.cloud.platform.db)
  t.cloud.platform.db = counter.db
  return counter.take
}
