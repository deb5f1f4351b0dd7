/**
 * Contract of the local database engine (cloudfunctions/src/platform/local/db) against the
 * CloudBase semantics the `Database` port promises (cloudfunctions/src/platform/db.ts).
 * One `it` per rule.
 */
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import {
  DB_DUPLICATE_KEY,
  DB_NOT_FOUND,
  isDbError,
  type Command,
  type DbError,
  type Doc,
  type IndexMap,
  type Query,
} from '../../cloudfunctions/src/platform/db'
import { openLocalDatabase, type LocalDatabase, type QueryReport } from '../../cloudfunctions/src/platform/local/db'
import { JOURNAL, writeJournal } from '../../cloudfunctions/src/platform/local/db/files'
import { closeSdk, sdkDatabase, viaSdk } from '../support/sdk'

const ENGINE = resolve(__dirname, '../../cloudfunctions/src/platform/local/db/index.ts')
const root = mkdtempSync(join(tmpdir(), 'local-db-contract-'))
let dirs = 0
const tempDir = (): string => join(root, `db${++dirs}`)
const opened: LocalDatabase[] = []

/**
 * A database to test. In the jest project "sdk" (DB_VIA=sdk) the same engine is reached the way
 * production reaches CloudBase: the wx adapter's `cloud.database()` → the real wx-server-sdk →
 * HTTP → the local cloud's CloudBase endpoint (test/support/sdk.ts); only the engine's own
 * extras (close, compact, scannedDocs) go to it directly.
 */
async function open(opts: { dir?: string; indexes?: IndexMap; now?: () => Date; collections?: string[]; onQueryReport?: (r: QueryReport) => void } = {}): Promise<LocalDatabase> {
  const db = await openLocalDatabase(opts)
  opened.push(db)
  if (!viaSdk()) return db
  const sdk = await sdkDatabase(db)
  const local = new Set<PropertyKey>(['close', 'compact', 'scannedDocs', 'createCollection', 'collectionExists'])
  return new Proxy(sdk, {
    get: (target, prop) => {
      if (!local.has(prop)) return Reflect.get(target, prop, target)
      const v: unknown = Reflect.get(db, prop, db)
      return typeof v === 'function' ? v.bind(db) : v
    },
  }) as unknown as LocalDatabase
}

/**
 * The local engine's own guards, stricter than CloudBase on purpose (they catch a mistake in
 * development that production would let through silently): once, in the node project.
 */
const engineGuard = viaSdk() ? it.skip : it

async function rejection(p: Promise<unknown>): Promise<DbError> {
  try {
    await p
  } catch (e) {
    return e as DbError
  }
  throw new Error('expected the promise to reject')
}

afterAll(async () => {
  await closeSdk()
  await Promise.all(opened.map((db) => db.close()))
  rmSync(root, { recursive: true, force: true })
})

describe('documents', () => {
  it('add generates a 32-hex-digit string _id and doc(id).get returns the document', async () => {
    const db = await open()
    const { _id } = await db.collection('posts').add({ data: { title: 'hi' } })
    expect(_id).toMatch(/^[0-9a-f]{32}$/)
    expect((await db.collection('posts').doc(_id).get()).data).toEqual({ _id, title: 'hi' })
  })

  it('add keeps a given _id', async () => {
    const db = await open()
    expect(await db.collection('posts').add({ data: { _id: 'p1', n: 1 } })).toEqual({ _id: 'p1', errMsg: 'collection.add:ok' })
    expect((await db.collection('posts').doc('p1').get()).data).toEqual({ _id: 'p1', n: 1 })
  })

  it('add of a duplicate _id rejects with DB_DUPLICATE_KEY in CloudBase shape and writes nothing', async () => {
    const db = await open()
    await db.collection('posts').add({ data: { _id: 'p1', v: 'first' } })
    const e = await rejection(db.collection('posts').add({ data: { _id: 'p1', v: 'second' } }))
    expect(e).toBeInstanceOf(Error)
    expect(e.errCode).toBe(DB_DUPLICATE_KEY)
    expect(e.errCode).toBe(-502001)
    expect(e.errMsg).toMatch(/^collection\.add:fail -502001 database request fail\. .*E11000 duplicate key error collection: posts index: _id_ dup key: \{ _id: "p1" \}/)
    expect(e.message).toBe(e.errMsg)
    expect(isDbError(e, DB_DUPLICATE_KEY)).toBe(true)
    expect((await db.collection('posts').doc('p1').get()).data).toEqual({ _id: 'p1', v: 'first' })
    expect((await db.collection('posts').count()).total).toBe(1)
  })

  it('an array add returns _ids in order, and one duplicate makes it insert none', async () => {
    const db = await open()
    const posts = db.collection('posts')
    const res = await posts.add({ data: [{ _id: 'a' }, { n: 2 }, { _id: 'c' }] })
    expect(res._ids).toHaveLength(3)
    expect(res._ids[0]).toBe('a')
    expect(res._ids[1]).toMatch(/^[0-9a-f]{32}$/)
    expect(res._ids[2]).toBe('c')
    const againstStored = await rejection(posts.add({ data: [{ _id: 'x' }, { _id: 'a' }] }))
    expect(againstStored.errCode).toBe(DB_DUPLICATE_KEY)
    const withinBatch = await rejection(posts.add({ data: [{ _id: 'y' }, { _id: 'y' }] }))
    expect(withinBatch.errCode).toBe(DB_DUPLICATE_KEY)
    expect((await posts.count()).total).toBe(3)
  })

  it('doc(id).get of a missing document rejects like wx-server-sdk (errCode -1, "does not exist")', async () => {
    const db = await open()
    const e = await rejection(db.collection('posts').doc('nope').get())
    expect(e.errCode).toBe(DB_NOT_FOUND)
    expect(e.errCode).toBe(-1)
    expect(e.errMsg).toBe('document.get:fail document with _id nope does not exist')
    expect(e.message).toBe(e.errMsg)
    expect(isDbError(e, DB_NOT_FOUND)).toBe(true)
    // -1 is also the SDK's generic code: other -1 errors are not "not found".
    const other = await rejection(db.collection('posts').doc('nope').update({ data: {} }))
    expect(other.errCode).toBe(-1)
    expect(isDbError(other, DB_NOT_FOUND)).toBe(false)
  })

  it('set replaces the whole document and creates it when absent, reporting stats', async () => {
    const db = await open()
    const doc = db.collection('posts').doc('p1')
    expect(await doc.set({ data: { a: 1, b: { c: 2 } } })).toEqual({ _id: 'p1', stats: { updated: 0, created: 1 }, errMsg: 'document.set:ok' })
    expect(await doc.set({ data: { b: { d: 3 } } })).toEqual({ _id: 'p1', stats: { updated: 1, created: 0 }, errMsg: 'document.set:ok' })
    expect((await doc.get()).data).toEqual({ _id: 'p1', b: { d: 3 } })
  })

  it('update merges plain nested objects as paths, while _.set replaces the field', async () => {
    const db = await open()
    const _ = db.command
    const doc = db.collection('posts').doc('p1')
    await doc.set({ data: { a: { b: 1, c: 2 }, list: [1, 2, 3], at: new Date(1000) } })
    await doc.update({ data: { a: { b: 10 } } })
    expect((await doc.get()).data.a).toEqual({ b: 10, c: 2 })
    await doc.update({ data: { a: _.set({ b: 20 }) } })
    expect((await doc.get()).data.a).toEqual({ b: 20 })
    await doc.update({ data: { 'a.e': 5, list: [9], at: new Date(2000) } })
    expect((await doc.get()).data).toEqual({ _id: 'p1', a: { b: 20, e: 5 }, list: [9], at: new Date(2000) })
  })

  it('_id inside update or set data is rejected (invalid parameters) and nothing changes', async () => {
    const db = await open()
    const _ = db.command
    const posts = db.collection('posts')
    await posts.add({ data: { _id: 'p1', v: 1 } })
    for (const p of [
      posts.doc('p1').update({ data: { _id: 'p2', v: 2 } }),
      posts.doc('p1').set({ data: { _id: 'p2', v: 2 } }),
      posts.where({ v: 1 }).update({ data: { _id: 'p2' } }),
    ]) {
      const e = await rejection(p)
      expect(e.errCode).toBe(-501007)
      expect(e.errMsg).toContain('不能更新_id的值')
    }
    const e = await rejection(posts.doc('p1').set({ data: { v: _.inc(1) } }))
    expect(e.errMsg).toContain('update operator complicit')
    expect((await posts.doc('p1').get()).data).toEqual({ _id: 'p1', v: 1 })
  })

  it('remove deletes a document; updating or removing a missing one counts 0', async () => {
    const db = await open()
    const posts = db.collection('posts')
    await posts.add({ data: { _id: 'p1' } })
    expect(await posts.doc('p1').remove()).toEqual({ stats: { removed: 1 }, errMsg: 'document.remove:ok' })
    expect(await posts.doc('p1').remove()).toEqual({ stats: { removed: 0 }, errMsg: 'document.remove:ok' })
    expect(await posts.doc('p1').update({ data: { v: 1 } })).toEqual({ stats: { updated: 0 }, errMsg: 'document.update:ok' })
    expect((await posts.count()).total).toBe(0)
  })

  it('copies data on the way in and out', async () => {
    const db = await open()
    const input = { _id: 'p1', tags: ['a'], meta: { n: 1 }, at: new Date(5) }
    await db.collection('posts').add({ data: input })
    input.tags.push('mutated')
    input.meta.n = 99
    input.at.setTime(6)
    const first = (await db.collection('posts').doc('p1').get()).data as Doc & { tags: string[]; meta: { n: number } }
    first.tags.push('mutated')
    first.meta.n = 42
    const [listed] = (await db.collection('posts').get()).data as Array<Doc & { meta: { n: number } }>
    listed.meta.n = 7
    expect((await db.collection('posts').doc('p1').get()).data).toEqual({ _id: 'p1', tags: ['a'], meta: { n: 1 }, at: new Date(5) })
  })
})

describe('stats.updated counts only documents whose content changed', () => {
  it('doc.update of the same value counts 0', async () => {
    const db = await open()
    const doc = db.collection('posts').doc('p1')
    await doc.set({ data: { v: 1, o: { a: 1 } } })
    expect(await doc.update({ data: { v: 1, o: { a: 1 } } })).toEqual({ stats: { updated: 0 }, errMsg: 'document.update:ok' })
    expect(await doc.update({ data: { v: 2 } })).toEqual({ stats: { updated: 1 }, errMsg: 'document.update:ok' })
  })

  it('query update counts only the matched documents it changed', async () => {
    const db = await open()
    const posts = db.collection('posts')
    await posts.add({ data: [{ g: 1, v: 0 }, { g: 1, v: 5 }, { g: 1, v: 0 }, { g: 2, v: 0 }] })
    expect(await posts.where({ g: 1 }).update({ data: { v: 5 } })).toEqual({ stats: { updated: 2 }, errMsg: 'collection.update:ok' })
    expect(await posts.where({ g: 1 }).update({ data: { v: 5 } })).toEqual({ stats: { updated: 0 }, errMsg: 'collection.update:ok' })
    expect((await posts.where({ v: 5 }).count()).total).toBe(3)
  })

  it('set of identical content counts 0', async () => {
    const db = await open()
    const doc = db.collection('posts').doc('p1')
    await doc.set({ data: { v: 1, at: new Date(7) } })
    expect(await doc.set({ data: { v: 1, at: new Date(7) } })).toEqual({ _id: 'p1', stats: { updated: 0, created: 0 }, errMsg: 'document.set:ok' })
  })
})

describe('query operators', () => {
  let db: LocalDatabase
  const people = [
    { _id: 'a', name: 'An', age: 20, tags: ['x', 'y'], address: { city: 'SH', zip: '200000' } },
    { _id: 'b', name: 'Bo', age: 30, tags: ['y'], address: { city: 'BJ' }, nick: null },
    { _id: 'c', name: 'Cy', age: 40, tags: [], address: { city: 'SH', zip: '200001' } },
    { _id: 'd', name: 'Di', age: 50, items: [{ k: 1 }, { k: 2 }] },
  ]
  beforeAll(async () => {
    db = await open()
    await db.collection('people').add({ data: people })
  })
  const ids = async (cond: Parameters<Query['where']>[0]): Promise<string[]> =>
    (await db.collection('people').where(cond).get()).data.map((d) => d._id).sort()

  it('eq: a plain value or _.eq', async () => {
    const _ = db.command
    expect(await ids({ name: 'Bo' })).toEqual(['b'])
    expect(await ids({ age: _.eq(40) })).toEqual(['c'])
  })

  it('neq also matches documents missing the field', async () => {
    expect(await ids({ age: db.command.neq(20) })).toEqual(['b', 'c', 'd'])
    expect(await ids({ 'address.zip': db.command.neq('200000') })).toEqual(['b', 'c', 'd'])
  })

  it('gt, gte, lt, lte compare values of the same type only', async () => {
    const _ = db.command
    expect(await ids({ age: _.gt(30) })).toEqual(['c', 'd'])
    expect(await ids({ age: _.gte(30) })).toEqual(['b', 'c', 'd'])
    expect(await ids({ age: _.lt(30) })).toEqual(['a'])
    expect(await ids({ age: _.lte(30) })).toEqual(['a', 'b'])
    expect(await ids({ age: _.gt('1') })).toEqual([])
  })

  it('in and nin', async () => {
    const _ = db.command
    expect(await ids({ name: _.in(['An', 'Di', 'Zz']) })).toEqual(['a', 'd'])
    expect(await ids({ name: _.nin(['An', 'Di']) })).toEqual(['b', 'c'])
    expect(await ids({ tags: _.in(['x']) })).toEqual(['a'])
  })

  it('exists', async () => {
    const _ = db.command
    expect(await ids({ 'address.zip': _.exists(true) })).toEqual(['a', 'c'])
    expect(await ids({ address: _.exists(false) })).toEqual(['d'])
    expect(await ids({ nick: _.exists(true) })).toEqual(['b'])
  })

  it('field-level and/or: chained, and as _.and/_.or of commands', async () => {
    const _ = db.command
    expect(await ids({ age: _.gt(20).and(_.lt(50)) })).toEqual(['b', 'c'])
    expect(await ids({ age: _.lt(25).or(_.gt(45)) })).toEqual(['a', 'd'])
    expect(await ids({ age: _.and(_.gte(30), _.lte(40)) })).toEqual(['b', 'c'])
    expect(await ids({ age: _.or([_.eq(20), _.eq(40)]) })).toEqual(['a', 'c'])
  })

  it('top-level _.or / _.and of where-objects', async () => {
    const _ = db.command
    expect(await ids(_.or([{ name: 'An' }, { age: _.gt(45) }]))).toEqual(['a', 'd'])
    expect(await ids(_.and([{ 'address.city': 'SH' }, { age: _.gt(25) }]))).toEqual(['c'])
    expect(await ids(_.or({ name: 'Bo' }, _.and([{ age: 40 }, { tags: _.exists(true) }])))).toEqual(['b', 'c'])
  })

  it('nested fields: dotted keys and nested plain objects mean the same', async () => {
    expect(await ids({ 'address.city': 'SH' })).toEqual(['a', 'c'])
    expect(await ids({ address: { city: 'SH' } })).toEqual(['a', 'c'])
    expect(await ids({ address: { city: 'SH', zip: '200001' } })).toEqual(['c'])
    expect(await ids({ address: { zip: db.command.exists(true) } })).toEqual(['a', 'c'])
  })

  it('array fields match an element by equality, and paths walk arrays of objects', async () => {
    expect(await ids({ tags: 'y' })).toEqual(['a', 'b'])
    expect(await ids({ tags: ['y'] })).toEqual(['b'])
    expect(await ids({ 'items.k': 2 })).toEqual(['d'])
    expect(await ids({ items: { k: 1 } })).toEqual(['d'])
  })

  it('null matches null and missing fields', async () => {
    expect(await ids({ nick: null })).toEqual(['a', 'b', 'c', 'd'])
    expect(await ids({ nick: db.command.neq(null) })).toEqual([])
  })

  // The SDK sends an update command in a where as a plain object ({ operator, operands, fieldName }),
  // an equality CloudBase matches nothing with; the local engine refuses it instead.
  engineGuard('an update command in a where is rejected', async () => {
    const e = await rejection(db.collection('people').where({ age: db.command.inc(1) }).get())
    expect(e.errCode).toBe(-501007)
  })
})

describe('orderBy, skip, limit, field, count', () => {
  let db: LocalDatabase
  beforeAll(async () => {
    db = await open()
    await db.collection('rows').add({
      data: [
        { _id: 'r1', city: 'SH', age: 30, name: 'A', secret: 1 },
        { _id: 'r2', city: 'BJ', age: 20, name: 'B', secret: 2 },
        { _id: 'r3', city: 'SH', age: 50, name: 'C', secret: 3 },
        { _id: 'r4', city: 'BJ', age: 40, name: 'D', secret: 4 },
        { _id: 'r5', city: 'SH', age: 40, name: 'E', secret: 5 },
      ],
    })
  })

  it('orderBy called twice sorts by both keys; skip, limit and field apply after', async () => {
    const res = await db
      .collection('rows')
      .orderBy('city', 'desc')
      .orderBy('age', 'asc')
      .skip(1)
      .limit(3)
      .field({ name: true, age: 1 })
      .get()
    expect(res.data).toEqual([
      { _id: 'r5', age: 40, name: 'E' },
      { _id: 'r3', age: 50, name: 'C' },
      { _id: 'r2', age: 20, name: 'B' },
    ])
  })

  it('field excludes with false, and drops _id only when asked', async () => {
    const rows = db.collection('rows').where({ _id: 'r1' })
    expect((await rows.field({ secret: false, city: 0 }).get()).data).toEqual([{ _id: 'r1', age: 30, name: 'A' }])
    expect((await rows.field({ name: true, _id: false }).get()).data).toEqual([{ name: 'A' }])
    expect((await rows.field({ _id: true }).get()).data).toEqual([{ _id: 'r1' }])
  })

  it('field cannot mix inclusion and exclusion (the server refuses it)', async () => {
    const e = await rejection(db.collection('rows').field({ name: true, secret: false }).get())
    expect(e.errCode).toBe(-502001)
    expect(e.errMsg).toContain('Cannot do exclusion on field secret in inclusion projection')
  })

  it('count ignores skip and limit', async () => {
    expect((await db.collection('rows').where({ city: 'SH' }).skip(2).limit(1).count()).total).toBe(3)
  })

  it('get returns 100 records by default and limit is capped at 1000', async () => {
    const big = await open()
    const data = Array.from({ length: 1100 }, (_v, i) => ({ i }))
    expect((await big.collection('many').add({ data }))._ids).toHaveLength(1100)
    expect((await big.collection('many').get()).data).toHaveLength(100)
    expect((await big.collection('many').limit(1000).get()).data).toHaveLength(1000)
    expect((await big.collection('many').limit(5000).get()).data).toHaveLength(1000)
    expect((await big.collection('many').orderBy('i', 'asc').skip(1050).limit(1000).get()).data.map((d) => d.i)).toEqual(
      Array.from({ length: 50 }, (_v, k) => 1050 + k),
    )
    expect((await big.collection('many').count()).total).toBe(1100)
  })
})

describe('update operators', () => {
  type Row = Doc & Record<string, unknown>
  let _: Command
  beforeAll(async () => {
    _ = (await open()).command
  })
  async function after(data: Record<string, unknown>, start: Record<string, unknown>): Promise<Row> {
    const db = await open()
    const doc = db.collection<Row>('ops').doc('x')
    await doc.set({ data: start })
    await doc.update({ data })
    return (await doc.get()).data
  }

  it('_.set replaces a field value, even a whole object', async () => {
    expect(await after({ o: _.set({ b: 1 }) }, { o: { a: 1 }, k: 1 })).toEqual({ _id: 'x', o: { b: 1 }, k: 1 })
  })

  it('_.remove unsets a field', async () => {
    expect(await after({ 'o.a': _.remove(), k: _.remove() }, { o: { a: 1, b: 2 }, k: 1 })).toEqual({ _id: 'x', o: { b: 2 } })
  })

  it('_.inc adds to a number, starting from 0 when missing', async () => {
    expect(await after({ n: _.inc(2), m: _.inc(-1) }, { n: 1 })).toEqual({ _id: 'x', n: 3, m: -1 })
  })

  it('_.push appends a value, an array of values, or with position/sort/slice', async () => {
    expect(await after({ l: _.push(3) }, { l: [1, 2] })).toEqual({ _id: 'x', l: [1, 2, 3] })
    expect(await after({ l: _.push([3, 4]) }, { l: [1] })).toEqual({ _id: 'x', l: [1, 3, 4] })
    expect(await after({ l: _.push({ each: [0], position: 0 }) }, { l: [1, 2] })).toEqual({ _id: 'x', l: [0, 1, 2] })
    expect(await after({ l: _.push({ each: [5, 0], sort: -1, slice: 3 }) }, { l: [3, 1] })).toEqual({ _id: 'x', l: [5, 3, 1] })
    expect(await after({ l: _.push('a') }, { k: 1 })).toEqual({ _id: 'x', k: 1, l: ['a'] })
  })

  it('_.pull removes equal elements, or elements matching a command or a where-object', async () => {
    expect(await after({ l: _.pull(2) }, { l: [1, 2, 3, 2] })).toEqual({ _id: 'x', l: [1, 3] })
    expect(await after({ l: _.pull(_.gt(1)) }, { l: [1, 2, 3] })).toEqual({ _id: 'x', l: [1] })
    expect(await after({ l: _.pull({ k: 1 }) }, { l: [{ k: 1, v: 'a' }, { k: 2 }] })).toEqual({ _id: 'x', l: [{ k: 2 }] })
  })

  it('_.addToSet adds values not already present', async () => {
    expect(await after({ s: _.addToSet('b') }, { s: ['a', 'b'] })).toEqual({ _id: 'x', s: ['a', 'b'] })
    expect(await after({ s: _.addToSet({ each: ['b', 'c', 'c'] }) }, { s: ['a', 'b'] })).toEqual({ _id: 'x', s: ['a', 'b', 'c'] })
  })

  it('a path through a non-object fails like CloudBase (Cannot create field)', async () => {
    const db = await open()
    const doc = db.collection('ops').doc('x')
    await doc.set({ data: { a: null } })
    const e = await rejection(doc.update({ data: { 'a.b': 1 } }))
    expect(e.errCode).toBe(-502001)
    expect(e.errMsg).toContain("Cannot create field 'b' in element {a: null}")
  })

  it('query update and remove act on every matching document and report stats', async () => {
    const db = await open()
    const c = db.collection('ops')
    await c.add({ data: [{ g: 1, n: 1 }, { g: 1, n: 2 }, { g: 2, n: 3 }] })
    expect(await c.where({ g: 1 }).limit(1).update({ data: { n: _.inc(10) } })).toEqual({ stats: { updated: 2 }, errMsg: 'collection.update:ok' })
    expect((await c.orderBy('n', 'asc').get()).data.map((d) => d.n)).toEqual([3, 11, 12])
    expect(await c.where({ n: _.gt(10) }).remove()).toEqual({ stats: { removed: 2 }, errMsg: 'collection.remove:ok' })
    expect((await c.count()).total).toBe(1)
  })
})

describe('serverDate', () => {
  it('becomes the injected now in add, nested data, update and where', async () => {
    let t = Date.UTC(2026, 0, 1)
    const db = await open({ now: () => new Date(t) })
    const c = db.collection('events')
    await c.add({ data: { _id: 'e1', at: db.serverDate(), meta: { seen: [db.serverDate()] } } })
    expect((await c.doc('e1').get()).data).toEqual({ _id: 'e1', at: new Date(t), meta: { seen: [new Date(t)] } })
    expect((await c.where({ at: db.serverDate() }).count()).total).toBe(1)
    t += 60_000
    await c.doc('e1').update({ data: { at: db.serverDate(), meta: { edited: db.serverDate() } } })
    const data = (await c.doc('e1').get()).data
    expect(data.at).toEqual(new Date(t))
    expect(data.meta).toEqual({ seen: [new Date(t - 60_000)], edited: new Date(t) })
    expect((await c.where({ at: db.command.lt(db.serverDate()) }).count()).total).toBe(0)
  })
})

describe('transactions', () => {
  async function bank(): Promise<LocalDatabase> {
    const db = await open()
    await db.collection('accounts').add({ data: [{ _id: 'a', balance: 100 }, { _id: 'b', balance: 0 }] })
    return db
  }
  const balances = async (db: LocalDatabase) =>
    (await db.collection('accounts').orderBy('_id', 'asc').get()).data.map((d) => d.balance)

  it('commits all writes together and resolves with the callback result', async () => {
    const db = await bank()
    const _ = db.command
    const result = await db.runTransaction(async (tx) => {
      await tx.collection('accounts').doc('a').update({ data: { balance: _.inc(-30) } })
      await tx.collection('accounts').doc('b').update({ data: { balance: _.inc(30) } })
      const { _id } = await tx.collection('log').add({ data: { amount: 30 } })
      return _id
    })
    expect(result).toMatch(/^[0-9a-f]{32}$/)
    expect(await balances(db)).toEqual([70, 30])
    expect((await db.collection('log').doc(result).get()).data).toEqual({ _id: result, amount: 30 })
  })

  it('rollback(reason) discards everything and rejects with the reason', async () => {
    const db = await bank()
    const p = db.runTransaction(async (tx) => {
      await tx.collection('accounts').doc('a').set({ data: { balance: 0 } })
      await tx.collection('accounts').add({ data: { _id: 'c', balance: 1 } })
      await tx.rollback(-100)
      return 'unreached'
    })
    await expect(p).rejects.toBe(-100)
    expect(await balances(db)).toEqual([100, 0])
  })

  it('a throw discards everything and rejects with the error', async () => {
    const db = await bank()
    const boom = new Error('boom')
    const p = db.runTransaction(async (tx) => {
      await tx.collection('accounts').doc('b').remove()
      throw boom
    })
    await expect(p).rejects.toBe(boom)
    expect(await balances(db)).toEqual([100, 0])
  })

  it('reads inside the transaction see its own writes; reads outside see the committed state', async () => {
    const db = await bank()
    await db.runTransaction(async (tx) => {
      const a = tx.collection('accounts').doc('a')
      await a.update({ data: { balance: 1 } })
      expect((await a.get()).data.balance).toBe(1)
      expect((await db.collection('accounts').doc('a').get()).data.balance).toBe(100)
      await tx.collection('accounts').doc('b').remove()
      expect(isDbError(await rejection(tx.collection('accounts').doc('b').get()), DB_NOT_FOUND)).toBe(true)
    })
    expect(await balances(db)).toEqual([1])
  })

  it('a where-query in a transaction is refused', async () => {
    const db = await bank()
    const p = db.runTransaction(async (tx) => {
      const col = tx.collection('accounts') as unknown as { where(c: object): { get(): Promise<unknown> } }
      await col.where({ balance: 0 }).get()
    })
    await expect(p).rejects.toThrow(/where/)
    expect(await balances(db)).toEqual([100, 0])
  })

  // Through the SDK this write would wait for the transaction's lock until the SDK's timeout.
  engineGuard('a non-transactional write inside the transaction fails fast instead of deadlocking', async () => {
    const db = await bank()
    let inner: unknown
    await db.runTransaction(async (tx) => {
      inner = await rejection(db.collection('accounts').doc('a').update({ data: { balance: 5 } }))
      await tx.collection('accounts').doc('b').update({ data: { balance: 7 } })
    })
    expect(String(inner)).toMatch(/deadlock/)
    expect(await balances(db)).toEqual([100, 7])
    await db.collection('accounts').doc('a').update({ data: { balance: 5 } })
    expect(await balances(db)).toEqual([5, 7])
  })
})

describe('unique indexes', () => {
  const indexes: IndexMap = {
    users: [{ fields: [['phone', 1]], unique: true }],
    bookings: [{ fields: [['venueId', 1], ['slot', 1]], unique: true }, { fields: [['createdAt', -1]] }],
  }

  it('a single-field unique index rejects a duplicate on add and on update', async () => {
    const db = await open({ indexes })
    const users = db.collection('users')
    await users.add({ data: { _id: 'u1', phone: '1' } })
    await users.add({ data: { _id: 'u2', phone: '2' } })
    const e = await rejection(users.add({ data: { _id: 'u3', phone: '1' } }))
    expect(isDbError(e, DB_DUPLICATE_KEY)).toBe(true)
    expect(e.errMsg).toContain('index: phone_1 dup key: { phone: "1" }')
    expect(isDbError(await rejection(users.doc('u2').update({ data: { phone: '1' } })), DB_DUPLICATE_KEY)).toBe(true)
    expect((await users.orderBy('_id', 'asc').get()).data).toEqual([
      { _id: 'u1', phone: '1' },
      { _id: 'u2', phone: '2' },
    ])
  })

  it('a compound unique index rejects only a repeated combination', async () => {
    const db = await open({ indexes })
    const bookings = db.collection('bookings')
    await bookings.add({ data: { venueId: 'v1', slot: 9 } })
    await bookings.add({ data: { venueId: 'v1', slot: 10 } })
    await bookings.add({ data: { venueId: 'v2', slot: 9 } })
    const e = await rejection(bookings.add({ data: { venueId: 'v1', slot: 9 } }))
    expect(isDbError(e, DB_DUPLICATE_KEY)).toBe(true)
    expect((await bookings.count()).total).toBe(3)
  })

  it("a unique index also counts the transaction's own writes", async () => {
    const db = await open({ indexes })
    await db.collection('users').add({ data: { _id: 'u1', phone: '1' } })
    await db.runTransaction(async (tx) => {
      await tx.collection('users').doc('u1').update({ data: { phone: '9' } })
      await tx.collection('users').add({ data: { _id: 'u2', phone: '1' } }) // '1' was freed above
      const e = await rejection(tx.collection('users').add({ data: { _id: 'u3', phone: '9' } }))
      expect(isDbError(e, DB_DUPLICATE_KEY)).toBe(true)
    })
    expect((await db.collection('users').orderBy('_id', 'asc').get()).data).toEqual([
      { _id: 'u1', phone: '9' },
      { _id: 'u2', phone: '1' },
    ])
  })

  it('unique indexes hold across a reopen, and data already breaking one is refused at open', async () => {
    const dir = tempDir()
    const plain = await open({ dir })
    await plain.collection('users').add({ data: [{ _id: 'u1', phone: '1' }, { _id: 'u2', phone: '2' }] })
    await plain.close()
    const indexed = await open({ dir, indexes })
    expect(isDbError(await rejection(indexed.collection('users').add({ data: { phone: '2' } })), DB_DUPLICATE_KEY)).toBe(true)
    await indexed.collection('users').doc('u2').remove()
    await indexed.collection('users').add({ data: { _id: 'u3', phone: '2' } })
    await indexed.collection('users').add({ data: { _id: 'u4' } }) // a missing field indexes as null…
    expect(isDbError(await rejection(indexed.collection('users').add({ data: { _id: 'u5' } })), DB_DUPLICATE_KEY)).toBe(true) // …once
    await indexed.close()
    const broken = tempDir()
    const seed = await open({ dir: broken })
    await seed.collection('users').add({ data: [{ phone: '7' }, { phone: '7' }] })
    await seed.close()
    await expect(openLocalDatabase({ dir: broken, indexes })).rejects.toMatchObject({ errCode: DB_DUPLICATE_KEY })
  })
})

describe('indexed queries', () => {
  // A non-unique index on `status`, a compound one on owner+createdAt, and two to reach a nested
  // path and an array field; `status` twice (one index per first field).
  const indexes: IndexMap = {
    items: [
      { fields: [['status', 1]] },
      { fields: [['owner', 1], ['createdAt', -1]] },
      { fields: [['meta.kind', 1]] },
      { fields: [['tags', 1]] },
      { fields: [['status', 1], ['n', -1]] },
    ],
  }
  type Where = Parameters<Query['where']>[0]

  /** A small seeded generator (mulberry32), so a failure replays. */
  function random(seed: number): { int(n: number): number; pick<T>(xs: readonly T[]): T } {
    let a = seed
    const next = (): number => {
      a = (a + 0x6d2b79f5) | 0
      let t = Math.imul(a ^ (a >>> 15), 1 | a)
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296
    }
    return { int: (n) => Math.floor(next() * n), pick: (xs) => xs[Math.floor(next() * xs.length)] }
  }

  const STATUSES = ['open', 'done', 'held', null, 1, '1', true, new Date(5), undefined]
  const OWNERS = ['u1', 'u2', 'u3', undefined, ['u1', 'u4']]
  const TAGS = [['a'], ['a', 'b'], [], ['c', ['a']], undefined]
  const METAS = [{ kind: 'x' }, { kind: 'y' }, [{ kind: 'x' }, { kind: 'z' }], { kind: null }, {}, undefined]

  function randomDoc(r: ReturnType<typeof random>): Record<string, unknown> {
    return {
      n: r.int(100),
      createdAt: new Date(1_000 + r.int(20) * 1_000),
      status: r.pick(STATUSES),
      owner: r.pick(OWNERS),
      tags: r.pick(TAGS),
      meta: r.pick(METAS),
    }
  }

  /** Runs `f` on every database and expects the same outcome (a value or an error message) from each. */
  async function same<R>(dbs: LocalDatabase[], f: (db: LocalDatabase) => Promise<R>): Promise<R | string> {
    const outcomes = await Promise.all(
      dbs.map((db) => f(db).catch((e: unknown) => `error: ${(e as Partial<DbError>).errMsg ?? String(e)}`)),
    )
    for (const outcome of outcomes.slice(1)) expect(outcome).toEqual(outcomes[0])
    return outcomes[0]
  }

  /** A random mix of writes, the same on every database; ends with a transaction. */
  async function mutate(dbs: LocalDatabase[], seed: number, steps: number): Promise<void> {
    const r = random(seed)
    const _ = dbs[0].command
    const ids: string[] = []
    const id = (): string => (ids.length > 0 ? r.pick(ids) : 'none')
    const fresh = (): string => {
      ids.push(`${seed}-${ids.length}`)
      return ids[ids.length - 1]
    }
    const statusUpdate = (): Record<string, unknown> => {
      const status = r.pick(STATUSES)
      return { status: status === undefined ? _.remove() : _.set(status) }
    }
    const items = (db: LocalDatabase) => db.collection('items')
    for (let step = 0; step < steps; step++) {
      const op = r.int(10)
      if (op <= 1) {
        const data = Array.from({ length: 1 + r.int(4) }, () => ({ _id: fresh(), ...randomDoc(r) }))
        await same(dbs, (db) => items(db).add({ data }))
      } else if (op === 2) {
        const data = { _id: id(), ...randomDoc(r) } // often a duplicate (refused alike), or a removed id coming back
        await same(dbs, (db) => items(db).add({ data }))
      } else if (op === 3) {
        const [target, data] = [id(), { ...statusUpdate(), n: _.inc(1) }]
        await same(dbs, (db) => items(db).doc(target).update({ data }))
      } else if (op === 4) {
        const [target, data] = [id(), randomDoc(r)]
        await same(dbs, (db) => items(db).doc(target).set({ data }))
      } else if (op === 5) {
        const target = id()
        await same(dbs, (db) => items(db).doc(target).remove())
      } else if (op === 6) {
        const [target, data] = [id(), r.pick([{ tags: _.push(r.pick(['a', 'b', 'd'])) }, { meta: { kind: r.pick(['x', 'y', null]) } }])]
        await same(dbs, (db) => items(db).doc(target).update({ data }))
      } else if (op === 7) {
        const [where, data] = [{ status: r.pick(STATUSES.slice(0, 8)) }, statusUpdate()]
        await same(dbs, (db) => items(db).where(where).update({ data }))
      } else if (op === 8) {
        const where = r.pick<Where>([{ owner: r.pick(['u1', 'u2', 'u3']), n: _.lt(10) }, { tags: 'd', n: _.lt(20) }, { status: _.in(['held', true]), n: _.lt(20) }])
        await same(dbs, (db) => items(db).where(where).remove())
      } else {
        const [a, b, c] = [id(), id(), fresh()]
        const [aData, doc] = [statusUpdate(), randomDoc(r)]
        await same(dbs, (db) =>
          db.runTransaction(async (tx) => {
            await tx.collection('items').doc(a).update({ data: aData })
            await tx.collection('items').doc(b).remove()
            await tx.collection('items').add({ data: { _id: c, ...doc } })
            await tx.collection('items').doc(c).update({ data: { owner: 'u2' } })
            return (await tx.collection('items').doc(c).get()).data
          }),
        )
      }
    }
  }

  function queries(_: Command): Where[] {
    return [
      { status: 'open' },
      { status: _.eq('done') },
      { status: _.in(['open', 'held']) },
      { status: null },
      { status: 1 },
      { status: '1' },
      { status: true },
      { status: new Date(5) },
      { status: _.in([]) },
      { status: 'open', n: _.gte(50) },
      _.and([{ status: 'open' }, { n: _.lt(50) }]),
      _.and([{ owner: 'u1' }, _.and([{ status: _.in(['open', 1]) }])]),
      { owner: 'u1' },
      { owner: 'u4' },
      { owner: _.in(['u2', 'u3', null]) },
      { owner: 'u1', createdAt: _.gte(new Date(10_000)) },
      { owner: 'u2', status: 'done' },
      { meta: { kind: 'x' } },
      { 'meta.kind': 'z' },
      { 'meta.kind': null },
      { tags: 'a' },
      { tags: _.in(['b', 'd']) },
      { _id: '1-3' },
      { _id: _.in(['1-1', '1-5', '2-9', 'nope']) },
      { _id: '1-3', status: 'open' },
      // no index applies: these scan
      { tags: ['a', 'b'] },
      { status: /^o/ },
      { status: _.neq('open') },
      { status: _.in(['open', /^d/]) },
      _.or([{ status: 'open' }, { owner: 'u2' }]),
      { n: _.gt(50) },
      { createdAt: new Date(3_000) },
      { meta: _.eq({ kind: 'x' }) },
      {},
    ]
  }

  /** Every query, read every way, alike on all the databases; returns the total documents tested. */
  async function compareReads(dbs: LocalDatabase[]): Promise<number[]> {
    const before = dbs.map((db) => db.scannedDocs)
    for (const where of queries(dbs[0].command)) {
      const q = (db: LocalDatabase): Query => db.collection('items').where(where)
      await same(dbs, async (db) => (await q(db).get()).data) // natural order, default limit
      await same(dbs, async (db) => (await q(db).limit(1000).get()).data)
      await same(dbs, async (db) => (await q(db).orderBy('n', 'desc').skip(2).limit(5).get()).data)
      await same(dbs, async (db) => (await q(db).orderBy('owner', 'asc').orderBy('createdAt', 'desc').field({ n: true }).get()).data)
      await same(dbs, async (db) => (await q(db).count()).total)
    }
    return dbs.map((db, i) => db.scannedDocs - before[i])
  }

  const snapshot = async (db: LocalDatabase): Promise<Doc[]> => (await db.collection('items').limit(1000).get()).data

  it('answers every query exactly as a scan does, after random writes and transactions', async () => {
    for (const seed of [1, 2, 3, 4]) {
      const dbs = [await open({ indexes }), await open()]
      await mutate(dbs, seed, 300)
      expect((await snapshot(dbs[0])).length).toBeGreaterThan(100) // so the default limit cuts
      const [indexed, plain] = await compareReads(dbs)
      expect(indexed).toBeLessThan(plain / 2)
      // query update and remove through the planner: same stats, then the same documents
      const _ = dbs[0].command
      for (const where of queries(_)) {
        await same(dbs, (db) => db.collection('items').where(where).update({ data: { seen: _.inc(1) } }))
      }
      for (const where of queries(_).slice(0, 25)) {
        if (seed % 2 === 0) await same(dbs, (db) => db.collection('items').where(where).remove())
      }
      await same(dbs, snapshot)
      await mutate(dbs, seed + 100, 50)
      await compareReads(dbs)
    }
  })

  it('the indexes survive close, compaction and reopen', async () => {
    const dir = tempDir()
    const first = await open({ dir, indexes })
    const plain = await open()
    await mutate([first, plain], 7, 150)
    await first.compact()
    await mutate([first, plain], 8, 150) // appended after the compaction: updates, removals, re-adds
    await first.close()
    const reopened = await open({ dir, indexes })
    await same([reopened, plain], snapshot)
    const [indexed, scanned] = await compareReads([reopened, plain])
    expect(indexed).toBeLessThan(scanned / 2)
    await mutate([reopened, plain], 9, 100)
    await compareReads([reopened, plain])
  })

  it('ordered indexes answer sorted and ranged pages exactly as a scan and a sort do', async () => {
    const ordered: IndexMap = {
      cases: [
        { fields: [['community', 1], ['status', 1], ['at', -1]] },
        { fields: [['community', 1], ['due', 1]] },
        { fields: [['at', 1]] },
      ],
    }
    const dbs = [await open({ indexes: ordered }), await open()]
    const r = random(42)
    const DUES = [null, undefined, 3, 7, 7, new Date(9_000), '7', true]
    const doc = () => ({
      community: r.pick(['c1', 'c2', 'c3', undefined]),
      status: r.pick(['open', 'done', null, 2]),
      at: new Date(1_000 * r.int(40)), // many ties
      due: r.pick(DUES),
      n: r.int(10),
    })
    let k = 0
    for (let i = 0; i < 6; i++) {
      const data = Array.from({ length: 40 + r.int(40) }, () => ({ _id: `c${k++}`, ...doc() }))
      await same(dbs, (db) => db.collection('cases').add({ data }))
      // updates that move documents across the order (or, `n`, touch no indexed field), removals, re-adds
      for (let j = 0; j < 20; j++) {
        const [id, data2] = [`c${r.int(k)}`, r.pick([{ at: new Date(1_000 * r.int(40)) }, { status: r.pick(['open', 'done']) }, { due: r.pick([3, 7, null]) }, { n: r.int(10) }])]
        await same(dbs, (db) => db.collection('cases').doc(id).update({ data: data2 }))
      }
      const gone = `c${r.int(k)}`
      await same(dbs, (db) => db.collection('cases').doc(gone).remove())
    }
    const _ = dbs[0].command
    const wheres: Where[] = [
      { community: 'c1', status: 'open' },
      { community: _.in(['c1', 'c3']), status: 'open' },
      { community: 'c1', status: _.in(['open', null, 2]) },
      { community: _.in(['c2', 'c2', null]), status: _.in(['done', 'open']), at: _.lt(new Date(25_000)) },
      { community: 'c2', status: null },
      { community: null, status: 2 },
      { community: 'c1', status: 'open', at: _.gte(new Date(10_000)) },
      { community: 'c1', status: 'open', at: _.gt(new Date(10_000)).and(_.lte(new Date(30_000))) },
      { community: 'c3', status: 'done', n: _.lt(5) },
      { community: 'c1' },
      { community: 'c1', due: _.gte(3) },
      { community: 'c2', due: _.lt(7) },
      { community: 'c2', due: _.gte(new Date(0)) },
      {},
      { at: _.lt(new Date(20_000)) },
      { n: 3 },
      _.or([{ community: 'c1' }, { n: 2 }]),
    ]
    const orders: Array<Array<[string, 'asc' | 'desc']>> = [
      [['at', 'desc']],
      [['at', 'asc']],
      [['status', 'asc'], ['at', 'desc']],
      [['status', 'desc'], ['at', 'asc']],
      [['due', 'asc']],
      [['due', 'desc']],
      [['community', 'asc'], ['status', 'asc'], ['at', 'desc']],
    ]
    for (const where of wheres) {
      for (const order of orders) {
        for (const [skip, limit] of [[0, 5], [3, 10], [0, 1000], [50, 20]]) {
          await same(dbs, async (db) => {
            let q: Query = db.collection('cases').where(where)
            for (const [f, d] of order) q = q.orderBy(f, d)
            return (await q.skip(skip).limit(limit).get()).data
          })
        }
      }
    }
  })

  it('a sorted page from a compound index reads only the page', async () => {
    const db = await open({ indexes: { cases: [{ fields: [['community', 1], ['at', -1]] }] } })
    const _ = db.command
    const cases = db.collection('cases')
    for (let i = 0; i < 20_000; i += 1_000) {
      await cases.add({ data: Array.from({ length: 1_000 }, (_v, j) => ({ _id: `k${i + j}`, community: `c${(i + j) % 4}`, at: new Date((i + j) * 1_000), open: (i + j) % 3 !== 0 })) })
    }
    const visited = async (q: Query): Promise<{ ids: string[]; tested: number }> => {
      const before = db.scannedDocs
      const ids = (await q.get()).data.map((d) => d._id)
      return { ids, tested: db.scannedDocs - before }
    }
    // The newest 20 of community c1: 20 documents read, not 5,000 matched and sorted.
    const first = await visited(cases.where({ community: 'c1' }).orderBy('at', 'desc').limit(20))
    expect(first.ids.slice(0, 3)).toEqual(['k19997', 'k19993', 'k19989'])
    expect(first.tested).toBe(20)
    // The third page: skip + limit read.
    expect((await visited(cases.where({ community: 'c1' }).orderBy('at', 'desc').skip(40).limit(20))).tested).toBe(60)
    // Reversed direction, and a range on the ordered field: the bound is where reading starts.
    const oldest = await visited(cases.where({ community: 'c2', at: _.gte(new Date(10_000_000)) }).orderBy('at', 'asc').limit(10))
    expect(oldest.ids[0]).toBe('k10002')
    expect(oldest.tested).toBe(10)
    // A further condition is tested on the documents read, in order, until the page is full.
    const filtered = await visited(cases.where({ community: 'c3', open: false }).orderBy('at', 'desc').limit(10))
    expect(filtered.tested).toBeLessThanOrEqual(30)
    expect(filtered.ids).toHaveLength(10)
    // An _.in on the prefix: the runs of each value are merged, still reading only the page.
    const either = await visited(cases.where({ community: _.in(['c1', 'c2']) }).orderBy('at', 'desc').limit(20))
    expect(either.ids.slice(0, 4)).toEqual(['k19998', 'k19997', 'k19994', 'k19993'])
    expect(either.tested).toBe(20)
    // No ordered index serves orderBy on another field: every match is read and sorted, and reported.
    const reports: string[] = []
    const watched = await open({ indexes: { cases: [{ fields: [['community', 1], ['at', -1]] }] }, onQueryReport: (r) => reports.push(`${r.kind} ${r.collection} ${r.scanned}`) })
    await watched.collection('cases').add({ data: Array.from({ length: 100 }, (_v, j) => ({ community: `c${j % 4}`, at: new Date(j), n: j })) })
    await watched.collection('cases').where({ community: 'c1' }).orderBy('at', 'desc').limit(5).get()
    expect(reports).toEqual([])
    await watched.collection('cases').where({ community: 'c1' }).orderBy('n', 'desc').limit(5).get()
    await watched.collection('cases').where({ n: 3 }).get()
    expect(reports).toEqual(['sort cases 25', 'scan cases 100'])
  })

  it('an indexed equality on 10,000 documents tests only the matching ones', async () => {
    const db = await open({ indexes })
    const _ = db.command
    const items = db.collection('items')
    for (let i = 0; i < 10_000; i += 1_000) {
      await items.add({ data: Array.from({ length: 1_000 }, (_v, j) => ({ _id: `i${i + j}`, n: i + j, status: `s${(i + j) % 10}` })) })
    }
    const tested = async (q: Query): Promise<number> => {
      const before = db.scannedDocs
      await q.count()
      return db.scannedDocs - before
    }
    expect((await items.where({ status: 's3' }).count()).total).toBe(1_000)
    expect(await tested(items.where({ status: 's3' }))).toBe(1_000)
    expect(await tested(items.where({ status: _.in(['s3', 's4']) }))).toBe(2_000)
    expect(await tested(items.where(_.and([{ status: 's3' }, { n: _.lt(100) }])))).toBe(1_000)
    expect(await tested(items.where({ status: 'none' }))).toBe(0)
    expect(await tested(items.where({ _id: 'i42', status: 's2' }))).toBe(1)
    expect(await tested(items.where({ n: 42 }))).toBe(10_000) // no index on n: a scan
    const page = await items.where({ status: 's3' }).skip(10).limit(3).get()
    expect(page.data.map((d) => d._id)).toEqual(['i103', 'i113', 'i123']) // natural order
  })
})

describe('concurrency', () => {
  it('500 parallel guarded _.inc on one document stop exactly at capacity', async () => {
    const db = await open({ dir: tempDir() })
    const _ = db.command
    const cap = 37
    await db.collection('slots').add({ data: { _id: 's', taken: 0 } })
    const results = await Promise.all(
      Array.from({ length: 500 }, () =>
        db.collection('slots').where({ _id: 's', taken: _.lt(cap) }).update({ data: { taken: _.inc(1) } }),
      ),
    )
    expect(results.filter((r) => r.stats.updated === 1)).toHaveLength(cap)
    expect(results.filter((r) => r.stats.updated === 0)).toHaveLength(500 - cap)
    expect((await db.collection('slots').doc('s').get()).data.taken).toBe(cap)
  })

  it('200 parallel adds of the same _id: exactly one succeeds', async () => {
    const db = await open({ dir: tempDir() })
    const settled = await Promise.allSettled(
      Array.from({ length: 200 }, (_v, i) => db.collection('claims').add({ data: { _id: 'once', by: i } })),
    )
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(1)
    const failures = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected')
    expect(failures).toHaveLength(199)
    expect(failures.every((f) => isDbError(f.reason, DB_DUPLICATE_KEY))).toBe(true)
    expect((await db.collection('claims').count()).total).toBe(1)
  })

  it('readers never see part of a multi-document write', async () => {
    const db = await open({ dir: tempDir() })
    const c = db.collection('batch')
    await c.add({ data: Array.from({ length: 50 }, (_v, i) => ({ i, v: 0 })) })
    const seen = new Set<number>()
    let done = false
    const writing = c.update({ data: { v: 1 } }).finally(() => {
      done = true
    })
    while (!done) {
      seen.add((await c.where({ v: 1 }).count()).total)
      await new Promise((r) => setImmediate(r))
    }
    expect((await writing).stats.updated).toBe(50)
    seen.add((await c.where({ v: 1 }).count()).total)
    expect(seen.has(0)).toBe(true) // a read ran while the write was in flight
    expect([...seen].every((n) => n === 0 || n === 50)).toBe(true)
  })
})

describe('persistence', () => {
  it('survives close and reopen: documents, Dates, updates and removals', async () => {
    const dir = tempDir()
    const db = await open({ dir })
    const _ = db.command
    await db.collection('notes').add({ data: [{ _id: 'n1', at: new Date(123), v: 1 }, { _id: 'n2' }, { _id: 'n3' }] })
    await db.collection('notes').doc('n1').update({ data: { v: _.inc(1), tags: ['a'] } })
    await db.collection('notes').doc('n2').remove()
    await db.collection('Odd name/../x').add({ data: { _id: 'o1' } })
    await db.close()

    const again = await open({ dir })
    const notes = (await again.collection('notes').get()).data
    expect(notes).toEqual([{ _id: 'n1', at: new Date(123), v: 2, tags: ['a'] }, { _id: 'n3' }])
    expect((notes[0] as Doc & { at: unknown }).at).toBeInstanceOf(Date)
    expect(isDbError(await rejection(again.collection('notes').doc('n2').get()), DB_NOT_FOUND)).toBe(true)
    expect((await again.collection('Odd name/../x').doc('o1').get()).data).toEqual({ _id: 'o1' })
    expect(readdirSync(dir).sort()).toEqual(['^odd%0020name%002f%002e%002e%002fx.db', 'notes.db'])
  })

  it('compact keeps exactly the current documents', async () => {
    const dir = tempDir()
    const db = await open({ dir })
    for (let i = 0; i < 20; i++) await db.collection('c').doc('k').set({ data: { i } })
    await db.compact()
    await db.collection('c').add({ data: { _id: 'k2' } })
    await db.close()
    const again = await open({ dir })
    expect((await again.collection('c').get()).data).toEqual([{ _id: 'k', i: 19 }, { _id: 'k2' }])
  })

  it('a transaction over two collections cut short between its appends is completed at the next open (the commit journal)', async () => {
    const dir = tempDir()
    const db = await open({ dir })
    await db.collection('stats').add({ data: { _id: 's', n: 1 } })
    await db.collection('cases').add({ data: { _id: 'c', pending: true } })
    await db.close()
    // What a process killed after the journal and the first append leaves behind.
    await writeJournal(dir, [
      ['stats', [['s', { _id: 's', n: 2 }]]],
      ['cases', [['c', { _id: 'c', pending: false, at: new Date(1700000000000) }]]],
    ])
    writeFileSync(join(dir, 'stats.db'), `${JSON.stringify({ _id: 's', n: 2 })}\n`, { flag: 'a' })
    const again = await open({ dir })
    expect((await again.collection('stats').doc('s').get()).data).toEqual({ _id: 's', n: 2 })
    expect((await again.collection('cases').doc('c').get()).data).toEqual({ _id: 'c', pending: false, at: new Date(1700000000000) })
    expect(readdirSync(dir)).not.toContain(JOURNAL)
    await again.close()
    // A journal cut off while it was written was never applied anywhere: ignored and removed.
    writeFileSync(join(dir, JOURNAL), '{"batches":[{"collection":"stats","writes":[{"id":"s","doc":{"_id":"s","n":99}}]}]')
    const third = await open({ dir })
    expect((await third.collection('stats').doc('s').get()).data).toEqual({ _id: 's', n: 2 })
    expect(readdirSync(dir)).not.toContain(JOURNAL)
  })

  it('a journal is replayed after a torn last line of the datafile it appends to, not glued onto it', async () => {
    const dir = tempDir()
    const db = await open({ dir })
    await db.collection('stats').add({ data: { _id: 's', n: 1 } })
    await db.collection('cases').add({ data: { _id: 'c', n: 1 } })
    await db.close()
    // Killed in the middle of the second append of a journaled transaction: the cases file ends in half a line.
    await writeJournal(dir, [
      ['stats', [['s', { _id: 's', n: 2 }]]],
      ['cases', [['c', { _id: 'c', n: 2 }]]],
    ])
    writeFileSync(join(dir, 'stats.db'), `${JSON.stringify({ _id: 's', n: 2 })}\n`, { flag: 'a' })
    writeFileSync(join(dir, 'cases.db'), '{"_id":"c","n":', { flag: 'a' })
    const again = await open({ dir })
    expect((await again.collection('stats').doc('s').get()).data).toEqual({ _id: 's', n: 2 })
    expect((await again.collection('cases').doc('c').get()).data).toEqual({ _id: 'c', n: 2 })
    expect(readFileSync(join(dir, 'cases.db'), 'utf8')).toBe(`${JSON.stringify({ _id: 'c', n: 2 })}\n`)
  })

  it('a transaction leaves no journal behind once it is written', async () => {
    const dir = tempDir()
    const db = await open({ dir })
    await db.runTransaction(async (tx) => {
      await tx.collection('a').doc('1').set({ data: { n: 1 } })
      await tx.collection('b').doc('1').set({ data: { n: 1 } })
    })
    expect(readdirSync(dir).sort()).toEqual(['a.db', 'b.db'])
  })

  it('acknowledged writes survive kill -9 of the process', async () => {
    const work = tempDir()
    const dir = join(work, 'data')
    const bundle = join(work, 'engine.js')
    const script = join(work, 'writer.js')
    // esbuild's JS API misbehaves inside jest's sandbox, so bundle the engine from a plain node process.
    const options = { entryPoints: [ENGINE], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: bundle }
    execFileSync(process.execPath, ['-e', `require('esbuild').buildSync(${JSON.stringify(options)})`], { cwd: resolve(__dirname, '../..') })
    writeFileSync(
      script,
      `const { openLocalDatabase } = require(${JSON.stringify(bundle)})
      ;(async () => {
        const db = await openLocalDatabase({ dir: ${JSON.stringify(dir)} })
        for (let i = 0; ; i++) {
          await db.collection('acks').add({ data: { _id: 'doc' + i, i, at: new Date(1700000000000 + i) } })
          process.stdout.write('written doc' + i + '\\n')
        }
      })()`,
    )
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] })
    const acknowledged: string[] = []
    let buffered = ''
    const killed = new Promise<void>((resolveKilled, reject) => {
      child.on('error', reject)
      child.on('exit', () => resolveKilled())
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8')
        const lines = buffered.split('\n')
        buffered = lines.pop() ?? ''
        for (const line of lines) acknowledged.push(line.replace(/^written /, ''))
        if (acknowledged.length >= 300 && child.exitCode === null) child.kill('SIGKILL')
      })
    })
    await killed
    expect(child.signalCode).toBe('SIGKILL')
    expect(acknowledged.length).toBeGreaterThanOrEqual(300)

    const db = await open({ dir })
    expect((await db.collection('acks').count()).total).toBeGreaterThanOrEqual(acknowledged.length)
    for (const id of acknowledged) {
      const i = Number(id.slice(3))
      expect((await db.collection('acks').doc(id).get()).data).toEqual({ _id: id, i, at: new Date(1700000000000 + i) })
    }
  }, 120_000) // bundles the engine and runs a writer process: slow on a busy machine
})
