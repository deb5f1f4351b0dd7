/**
 * TX_SEQUENTIAL (platform/serial-tx.ts): the switch for a CloudBase that refuses two requests of one
 * transaction at once. With it, the handlers' transactions — which start their independent requests
 * together — run one request at a time, and answer exactly as before.
 */
import { serialTransactions } from '../../cloudfunctions/src/platform/serial-tx'
import type { Database, Transaction, TxCollection, TxDocRef } from '../../cloudfunctions/src/platform/db'
import { testCloud, type TestCloud } from '../support/cloud'
import { DEMO } from '../../cloudfunctions/src/local/seed'
import type { CaseDetailT } from '../../src/shared/api/cases'

const P = DEMO.people
let t: TestCloud
beforeEach(async () => {
  t = await testCloud({ start: '2026-11-23T02:00:00Z' })
})
afterEach(() => t.close())

/** Counts the requests in flight inside transactions (the most at once) under `db`. */
function watched(db: Database): { db: Database; most: () => number; requests: () => number } {
  let now = 0
  let most = 0
  let requests = 0
  const track = <R,>(p: () => Promise<R>): Promise<R> => {
    now++
    requests++
    most = Math.max(most, now)
    return p().finally(() => now--)
  }
  const wrapTx = (tx: Transaction): Transaction => ({
    rollback: (r) => tx.rollback(r),
    collection<T>(name: string): TxCollection<T> {
      const c = tx.collection<T>(name)
      return {
        add: (o) => track(() => c.add(o)),
        doc(id: string): TxDocRef<T> {
          const d = c.doc(id)
          return { get: () => track(() => d.get()), set: (o) => track(() => d.set(o)), update: (o) => track(() => d.update(o)), remove: () => track(() => d.remove()) }
        },
      }
    },
  })
  const proxied = new Proxy(db, {
    get(target, prop, recv) {
      if (prop === 'runTransaction') return (fn: (tx: Transaction) => Promise<unknown>, retries?: number) => target.runTransaction((tx) => fn(wrapTx(tx)), retries)
      const v = Reflect.get(target, prop, recv)
      return typeof v === 'function' ? v.bind(target) : v
    },
  }) as Database
  return { db: proxied, most: () => most, requests: () => requests }
}

async function flows(): Promise<void> {
  const c = await t.ok<CaseDetailT>(P.resident, 'cases', 'submit', { kind: 'dispute', category: '噪音', description: '楼上夜间噪音', location: { buildingId: 'b-cy-1' } })
  await t.ok(P.mediator1, 'cases', 'accept', { id: c.id, version: c.version })
  await t.ok(P.resident, 'property', 'rate', { companyId: 'pc-anju', stars: { security: 5, cleaning: 4, repair: 4, greening: 5, attitude: 5, fees: 4 } })
  await t.ok(P.mediator1, 'grid', 'visit', { id: 'b-cy-2-u1:201', found: '一切正常', photos: [] })
}

it('the handlers start a transaction’s requests together by default', async () => {
  const w = watched(t.cloud.platform.db)
  t.cloud.platform.db = w.db
  await flows()
  expect(w.most()).toBeGreaterThan(1)
})

it('with TX_SEQUENTIAL one request at a time, and the same results', async () => {
  const w = watched(t.cloud.platform.db)
  t.cloud.platform.db = serialTransactions(w.db)
  const visitsBefore = await t.count('visits', { householdId: 'b-cy-2-u1:201' })
  await flows()
  expect(w.requests()).toBeGreaterThan(8)
  expect(w.most()).toBe(1)
  // What the transactions wrote is all there: the case's notice, the rating's sums, the visit's figures.
  expect(await t.count('notifications')).toBeGreaterThan(0)
  expect(await t.count('property_ratings', { raterId: P.resident })).toBe(1)
  expect(await t.count('rating_sums', { companyId: 'pc-anju' })).toBeGreaterThan(0)
  expect(await t.count('visits', { householdId: 'b-cy-2-u1:201' })).toBe(visitsBefore + 1)
})
