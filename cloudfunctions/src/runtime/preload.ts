/**
 * Documents an action names by id in its input, read in the same wait as the caller's record
 * (serve(): `preload`). The handler reads them as always — `db.collection(c).doc(id).get()` — and
 * its first such read of each answers from the read already started: no second request, no
 * second wait. A document the handler never reads (the call was refused) cost one read, nothing
 * else; the first read of each is the only one served this way, so a handler that writes a
 * document and reads it again gets the stored document.
 */
import type { Database, DocRef } from '../platform/db'

const keyOf = (collection: string, id: string) => `${collection}\u0000${id}`

export function withPreloads(db: Database, docs: ReadonlyArray<readonly [string, string | null | undefined]>): Database {
  const started = new Map<string, Promise<unknown>>()
  for (const [collection, id] of docs) {
    if (!id) continue
    const k = keyOf(collection, id)
    if (started.has(k)) continue
    const read = db.collection(collection).doc(id).get()
    read.catch(() => undefined) // a missing document is the handler's answer to give, if it asks
    started.set(k, read)
  }
  const bound = <T extends object>(target: T, prop: string | symbol): unknown => {
    const v = Reflect.get(target, prop, target)
    return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
  }
  return new Proxy(db, {
    get(target, prop) {
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
