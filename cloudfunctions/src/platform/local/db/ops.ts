/**
 * The database operations, written once over a View (reads) or a WorkingSet (writes); database.ts
 * runs them on the committed state, or inside a transaction's working set.
 */
import { randomBytes } from 'node:crypto'
import type { AddManyResult as AddManyAnswer, AddResult as AddAnswer, RemoveResult as RemoveAnswer, SetResult as SetAnswer, UpdateResult as UpdateAnswer } from '../../db'

// The operations' results; database.ts adds the SDK's `errMsg` to each.
type AddResult = Omit<AddAnswer, 'errMsg'>
type AddManyResult = Omit<AddManyAnswer, 'errMsg'>
type RemoveResult = Omit<RemoveAnswer, 'errMsg'>
type SetResult = Omit<SetAnswer, 'errMsg'>
type UpdateResult = Omit<UpdateAnswer, 'errMsg'>
import { isCmd } from './commands'
import { duplicateKey, invalidParam, notFound, requestFailed, sdkError } from './errors'
import type { StoredDoc } from './files'
import { type FieldBounds, indexKey, type Key } from './indexes'
import { compileProjection, compileWhere, type MatchEnv, sortDocs, type SortSpec } from './match'
import type { View, WorkingSet } from './store'
import { applyUpdate, toStoredDoc } from './update'
import { clone, compareValues, deepEqual, flattenPaths, hasOwn, isPlainObject, type PlainObject, serialize } from './values'

/** A query no index fully served (CloudBase's slow-query log): `scan` read every document, `sort` sorted its candidates in memory. */
export interface QueryReport {
  collection: string
  kind: 'scan' | 'sort'
  where: unknown
  orders: SortSpec
  /** Documents the condition was tested on. */
  scanned: number
}

export interface Env extends MatchEnv {
  /** Counts the documents where-conditions were tested on (LocalDatabase.scannedDocs). */
  stats: { scannedDocs: number }
  /** Told of every query no index fully served (openLocalDatabase's `onQueryReport`). */
  report?: (r: QueryReport) => void
}

/** CloudBase's page size rules (node-sdk query.get): 100 by default, at most 1000. */
export const DEFAULT_LIMIT = 100
export const MAX_LIMIT = 1000

export interface QuerySpec {
  where?: unknown
  orders: SortSpec
  skip: number
  limit?: number
  projection?: Readonly<Record<string, unknown>>
}

/** A generated `_id`: 32 hex digits, like CloudBase's. */
export const newId = (): string => randomBytes(16).toString('hex')

/** `opts.data` must be a non-empty object (wx-server-sdk's assertObjectNotEmpty, errCode -1). */
function requireData(data: unknown, env: Env, allowEmpty = false): PlainObject {
  if (!isPlainObject(data)) throw sdkError(env.api, 'options.data must be an object')
  if (!allowEmpty && Object.keys(data).length === 0) throw sdkError(env.api, 'options.data must not be empty')
  return data
}

export function getDoc(view: View, collection: string, id: string, env: Env): PlainObject {
  const doc = view.get(collection, id)
  if (doc === undefined) throw notFound(env.api, id)
  return clone(doc)
}

/** The documents a where-condition matches, in natural order. */
function matching(view: View, collection: string, where: unknown, env: Env, orders: SortSpec = []): StoredDoc[] {
  const predicate = compileWhere(where ?? {}, env)
  const out: StoredDoc[] = []
  const { docs, scan } = candidates(view, collection, where)
  let scanned = 0
  for (const doc of docs) {
    scanned++
    if (predicate(doc)) out.push(doc)
  }
  env.stats.scannedDocs += scanned
  if (env.report !== undefined && (scan || orders.length > 0)) env.report({ collection, kind: scan ? 'scan' : 'sort', where, orders, scanned })
  return out
}

/**
 * The top-level conjuncts an ordered index can use, per path: an equality on a plain value (or
 * `_.eq`), and range bounds (`_.gt/gte/lt/lte`, alone or `_.and`-ed on the field).
 */
function conditions(where: unknown): Map<string, FieldBounds> {
  const out = new Map<string, FieldBounds>()
  const visit = (w: unknown): void => {
    if (isCmd(w)) {
      if (w.__cmd === 'and') w.args.forEach(visit)
      return
    }
    if (!isPlainObject(w)) return
    for (const [path, cond] of flattenPaths(w)) {
      const b = out.get(path) ?? {}
      const range = (c: unknown): void => {
        if (!isCmd(c)) return
        const v = c.args[0]
        if (c.__cmd === 'and') c.args.forEach(range)
        else if (c.__cmd === 'gt' || c.__cmd === 'gte') b.lower = { value: v, inclusive: c.__cmd === 'gte' }
        else if (c.__cmd === 'lt' || c.__cmd === 'lte') b.upper = { value: v, inclusive: c.__cmd === 'lte' }
      }
      const eq = !isCmd(cond) ? cond : cond.__cmd === 'eq' ? cond.args[0] : undefined
      const list = isCmd(cond) && cond.__cmd === 'in' && Array.isArray(cond.args[0]) ? (cond.args[0] as unknown[]) : undefined
      if (eq !== undefined && indexKey(eq) !== undefined) b.eq = { value: eq }
      else if (list !== undefined && list.every((v) => indexKey(v) !== undefined)) {
        b.in = list.filter((v, i) => list.findIndex((w) => compareValues(v, w) === 0) === i)
      } else range(cond)
      out.set(path, b)
    }
  }
  visit(where)
  return out
}

/**
 * A sorted page from an ordered index: reads the documents that can match in the asked order and
 * stops after `skip + limit` matches. `undefined` when no index serves the order.
 */
function orderedPage(view: View, collection: string, spec: QuerySpec, limit: number, env: Env): StoredDoc[] | undefined {
  if (view.ordered === undefined || spec.orders.length === 0) return undefined
  const docs = view.ordered(collection, conditions(spec.where), spec.orders)
  if (docs === undefined) return undefined
  const predicate = compileWhere(spec.where ?? {}, env)
  const want = spec.skip + limit
  const out: StoredDoc[] = []
  let scanned = 0
  for (const doc of docs) {
    scanned++
    if (predicate(doc)) out.push(doc)
    if (out.length >= want) break
  }
  env.stats.scannedDocs += scanned
  return out.slice(spec.skip)
}

/**
 * Query planning, all of it: the documents worth testing, in natural order. Among the equalities
 * and `_.in`s on plain values at the top level of `where` (or of a top-level `_.and`), those on
 * `_id` (the primary Map) or on the first field of a declared index each give a candidate set; the
 * smallest is used. With none, every document is. The matcher still tests each candidate, so the
 * result is exactly the scan's.
 */
function candidates(view: View, collection: string, where: unknown): { docs: Iterable<StoredDoc>; scan: boolean } {
  let best: ReadonlyArray<ReadonlySet<string>> | undefined
  let bestSize = Infinity
  for (const { path, keys } of equalities(where)) {
    const sets = path === '_id' ? [new Set(keys.filter((k) => typeof k === 'string'))] : view.lookup(collection, path, keys)
    const size = sets?.reduce((n, ids) => n + ids.size, 0) ?? Infinity
    if (size < bestSize) [best, bestSize] = [sets, size]
  }
  if (best === undefined) return { docs: view.scan(collection), scan: true }
  return { docs: view.pick(collection, best.length === 1 ? best[0] : new Set(best.flatMap((ids) => [...ids]))), scan: false }
}

/** The top-level conjuncts `path == v` and `path in [v...]`, as index keys; values without a key (objects, arrays, RegExps) are left out. */
function equalities(where: unknown): Array<{ path: string; keys: Key[] }> {
  if (isCmd(where)) return where.__cmd === 'and' ? where.args.flatMap(equalities) : []
  if (!isPlainObject(where)) return []
  const out: Array<{ path: string; keys: Key[] }> = []
  for (const [path, cond] of flattenPaths(where)) {
    const values = !isCmd(cond) ? [cond] : cond.__cmd === 'eq' ? [cond.args[0]] : cond.__cmd === 'in' ? cond.args[0] : undefined
    if (!Array.isArray(values)) continue
    const keys = values.map(indexKey)
    if (keys.every((k) => k !== undefined)) out.push({ path, keys })
  }
  return out
}

export function query(view: View, collection: string, spec: QuerySpec, env: Env): PlainObject[] {
  const project = compileProjection(spec.projection, env.api)
  const limit = spec.limit ? Math.min(spec.limit, MAX_LIMIT) : DEFAULT_LIMIT
  const page = orderedPage(view, collection, spec, limit, env)
  if (page !== undefined) return page.map(project)
  const docs = sortDocs(matching(view, collection, spec.where, env, spec.orders), spec.orders)
  return docs.slice(spec.skip, spec.skip + limit).map(project)
}

export function count(view: View, collection: string, where: unknown, env: Env): number {
  return matching(view, collection, where, env).length
}

export function add(ws: WorkingSet, collection: string, data: unknown, env: Env): AddResult | AddManyResult {
  const many = Array.isArray(data)
  const items: unknown[] = many ? data : [data]
  // An empty batch is what Mongo's insertMany refuses ("Batch cannot be empty").
  if (items.length === 0) throw requestFailed(env.api, 'Invalid BulkOperation, Batch cannot be empty')
  const changes = new Map<string, StoredDoc>()
  for (const item of items) {
    const fields = requireData(item, env, true)
    const given = fields._id
    if (given !== undefined && (typeof given !== 'string' || given === '')) {
      throw invalidParam(env.api, '_id must be a non-empty string')
    }
    const id = given ?? newId()
    // All or nothing: one duplicate (in the collection or in the batch) and nothing is inserted.
    if (ws.get(collection, id) !== undefined || changes.has(id)) {
      throw duplicateKey(env.api, collection, '_id_', `{ _id: ${serialize(id)} }`)
    }
    changes.set(id, toStoredDoc(id, fields, env) as StoredDoc)
  }
  ws.stage(env.api, collection, changes)
  const ids = [...changes.keys()]
  return many ? { _ids: ids } : { _id: ids[0] }
}

export function setDoc(ws: WorkingSet, collection: string, id: string, data: unknown, env: Env): SetResult {
  if (id === '') throw invalidParam(env.api, 'docId不能为空')
  const fields = requireData(data, env)
  if (hasOwn(fields, '_id')) throw invalidParam(env.api, '不能更新_id的值')
  const before = ws.get(collection, id)
  const after = toStoredDoc(id, fields, env) as StoredDoc
  if (before !== undefined && deepEqual(before, after)) return { _id: id, stats: { updated: 0, created: 0 } }
  ws.stage(env.api, collection, new Map([[id, after]]))
  return { _id: id, stats: before === undefined ? { updated: 0, created: 1 } : { updated: 1, created: 0 } }
}

function updateDocs(ws: WorkingSet, collection: string, docs: StoredDoc[], data: unknown, env: Env): UpdateResult {
  const update = requireData(data, env)
  // Checked by the SDK before sending, so even when nothing matches.
  if (hasOwn(update, '_id')) throw invalidParam(env.api, '不能更新_id的值')
  const changes = new Map<string, StoredDoc>()
  for (const doc of docs) {
    const next = applyUpdate(doc, update, env)
    if (!deepEqual(doc, next)) changes.set(doc._id, next)
  }
  ws.stage(env.api, collection, changes)
  return { stats: { updated: changes.size } }
}

export function updateDoc(ws: WorkingSet, collection: string, id: string, data: unknown, env: Env): UpdateResult {
  const doc = ws.get(collection, id)
  return updateDocs(ws, collection, doc === undefined ? [] : [doc], data, env)
}

export function updateWhere(ws: WorkingSet, collection: string, where: unknown, data: unknown, env: Env): UpdateResult {
  return updateDocs(ws, collection, matching(ws, collection, where, env), data, env)
}

function removeDocs(ws: WorkingSet, collection: string, docs: StoredDoc[], env: Env): RemoveResult {
  ws.stage(env.api, collection, new Map(docs.map((doc) => [doc._id, null])))
  return { stats: { removed: docs.length } }
}

export function removeDoc(ws: WorkingSet, collection: string, id: string, env: Env): RemoveResult {
  const doc = ws.get(collection, id)
  return removeDocs(ws, collection, doc === undefined ? [] : [doc], env)
}

export function removeWhere(ws: WorkingSet, collection: string, where: unknown, env: Env): RemoveResult {
  return removeDocs(ws, collection, matching(ws, collection, where, env), env)
}
