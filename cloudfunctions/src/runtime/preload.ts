/**
 * Documents an action names by id in its input, read in the same wait as the caller's record
 * (serve(): `preload`). The handler reads them as always — `db.collection(c).doc(id).get()` — and
 * its first such read of each answers from the read already started: no second request, no
 * second wait. A document the handler never reads (the call was refused) cost one read, nothing
 * else; the first read of each is the only one served this way, so a handler that writes a
 * document and reads it again gets the stored document. A query the input alone determines (an
 * `EarlyQuery`: the first page of a list whose next reads depend on it) may start there too; the
 * handler takes its answer with `early`, and checks access on what came back as always.
 */
import type { Database, DocRef } from '../platform/db'

const keyOf = (collection: string, id: string) => `${collection}\u0000${id}`

/**
 * A query the action's input alone determines (a page of a list named by the input), started
 * beside the caller's record as well: the handler takes its answer with `early`, which runs the
 * query itself when it was not started (another caller of the same code). `now` is the call's
 * clock when it was started.
 */
export interface EarlyQuery<T> {
  key: string
  run: (db: Database, now: Date) => Promise<T>
}

/** What an action may read in the first wait: a document by id, or an early query. */
export type Preload = readonly [string, string | null | undefined] | EarlyQuery<unknown>

const EARLY = Symbol('early queries')

/** The answer of an early query: the one started beside the caller's record, or the query run now. */
export function early<T>(db: Database, q: EarlyQuery<T>, now: Date): Promise<T> {
  const take = (db as unknown as Record<symbol, ((key: string) => Promise<unknown> | undefined) | undefined>)[EARLY]
  const started = take?.(q.key)
  return started ? (started as Promise<T>) : q.run(db, now)
}

export function withPreloads(db: Database, preloads: ReadonlyArray<Preload>, now: Date): Database {
  const started = new Map<string, Promise<unknown>>()
  const queries = new Map<string, Promise<unknown>>()
  for (const p of preloads) {
    if (!Array.isArray(p)) {
      const q = p as EarlyQuery<unknown>
      if (queries.has(q.key)) continue
      const read = q.run(db, now)
      read.catch(() => undefined) // the handler meets the failure when it takes the answer
      queries.set(q.key, read)
      continue
    }
    const [collection, id] = p as readonly [string, string | null | undefined]
    if (!id) continue
    const k = keyOf(collection, id)
    if (started.has(k)) continue
    const read = db.collection(collection).doc(id).get()
    read.catch(() => undefined) // a missing document is the handler's answer to give, if it asks
    started.set(k, read)
  }
  const take = (key: string): Promise<unknown> | undefined => {
    const read = queries.get(key)
    queries.delete(key)
    return read
  }
  const bound = <T extends object>(target: T, prop: string | symbol): unknown => {
    const v = Reflect.get(target, prop, target)
    return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
  }
  return new Proxy(db, {
    get(target, prop) {
      if (prop === EARLY) return take
      if (prop !== 'collection') return bound(target, prop)
      return (name: string) => {
        const col = target.collection(name)
        return new Proxy(col, {
          get(c, p) {
            if (p !== 'doc') return bound(c, p)
            return (id: string) => {
              const ref = c.doc(id)
              const k = keyOf(name, id)
              return new Proxy(ref, {
                get(r, q) {
                  const read = q === 'get' ? started.get(k) : undefined
                  if (read) {
                    started.delete(k)
                    return () => read
                  }
                  return bound(r, q)
                },
              }) as DocRef
            }
          },
        })
      }
    },
  })
}
