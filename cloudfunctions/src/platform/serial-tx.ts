/**
 * Transactions whose requests go one after another. The handlers start a transaction's
 * independent requests together (`Promise.all`: the case engine's case + notice + figures, a
 * rating + its sums, a visit + household + figures), which on CloudBase saves a wait
 * per request. CloudBase's transactions run on MongoDB sessions; whether its server takes two
 * requests of one transaction at once or refuses the second could not be checked here (README,
 * Deploying: step 10). Should it refuse them, `TX_SEQUENTIAL=1` in the functions' environment
 * wraps the database with this: every request inside a transaction waits for the one before it
 * to finish — the same results, one wait per request — and no handler changes.
 */
import type { Database, Transaction, TxCollection, TxDocRef } from './db'

export function serialTransactions(db: Database): Database {
  const runTransaction: Database['runTransaction'] = (fn, retries) =>
    db.runTransaction((tx) => {
      let tail: Promise<unknown> = Promise.resolve()
      const inTurn = <R,>(op: () => Promise<R>): Promise<R> => {
        const run = tail.then(op, op)
        tail = run.catch(() => undefined)
        return run
      }
      const serial: Transaction = {
        rollback: (reason) => tx.rollback(reason),
        collection<T>(name: string): TxCollection<T> {
          const c = tx.collection<T>(name)
          return {
            add: (opts) => inTurn(() => c.add(opts)),
            doc(id: string): TxDocRef<T> {
              const d = c.doc(id)
              return {
                get: () => inTurn(() => d.get()),
                set: (opts) => inTurn(() => d.set(opts)),
                update: (opts) => inTurn(() => d.update(opts)),
                remove: () => inTurn(() => d.remove()),
              }
            },
          }
        },
      }
      return fn(serial)
    }, retries)
  return new Proxy(db, {
    get(target, prop, recv) {
      if (prop === 'runTransaction') return runTransaction
      const v = Reflect.get(target, prop, recv)
      return typeof v === 'function' ? v.bind(target) : v
    },
  })
}
