/**
 * The database port: the subset of the WeChat CloudBase document-database API
 * (`wx-server-sdk` `cloud.database()`) that handlers use. The wx adapter hands the real
 * CloudBase object through unchanged; the local adapter (platform/local/db) implements the
 * same behaviour on an embedded store. Handlers program against these types only.
 *
 * Semantics both sides honour (and the contract suite in test/contract checks locally):
 * - `get()` returns at most 100 records unless `limit(n)` is given; `limit` is capped at 1000.
 * - `add` of a duplicate `_id` rejects with a DbError whose `errCode` is DB_DUPLICATE_KEY.
 * - `stats.updated` counts only documents whose content actually changed.
 * - inside `runTransaction` only `collection().doc(id)` operations exist (no where-queries).
 * - plain nested objects in `where` and `update` address nested fields (`{a: {b: 1}}` means
 *   `'a.b': 1`); `_.set(obj)` replaces a whole object field.
 */

export type DocData = Record<string, unknown>
export interface Doc extends DocData {
  _id: string
}

/** Opaque marker values produced by `db.command` and `db.serverDate()`. */
export interface DbCommand {
  readonly __cmd: string
}

/** A query command: chainable like CloudBase's, `_.gt(1).and(_.lt(5))`. */
export interface QueryCommand extends DbCommand {
  and(...conds: unknown[]): QueryCommand
  or(...conds: unknown[]): QueryCommand
}

export interface Command {
  eq(v: unknown): QueryCommand
  neq(v: unknown): QueryCommand
  gt(v: unknown): QueryCommand
  gte(v: unknown): QueryCommand
  lt(v: unknown): QueryCommand
  lte(v: unknown): QueryCommand
  in(v: unknown[]): QueryCommand
  nin(v: unknown[]): QueryCommand
  exists(v: boolean): QueryCommand
  /** `_.and(a, b)` / `_.and([a, b])` — field-level (commands) or top-level (where-objects). */
  and(...conds: unknown[]): QueryCommand
  or(...conds: unknown[]): QueryCommand
  // update operators
  set(v: unknown): DbCommand
  remove(): DbCommand
  inc(n: number): DbCommand
  push(v: unknown): DbCommand
  pull(v: unknown): DbCommand
  addToSet(v: unknown): DbCommand
}

/** Every answer carries the SDK's `errMsg`, `<api>:ok` (e.g. `collection.get:ok`). */
interface Answer {
  errMsg: string
}
export interface GetResult<T = Doc> extends Answer {
  data: T[]
}
export interface CountResult extends Answer {
  total: number
}
export interface UpdateResult extends Answer {
  stats: { updated: number }
}
export interface RemoveResult extends Answer {
  stats: { removed: number }
}
export interface SetResult extends Answer {
  _id: string
  stats: { updated: number; created: number }
}
export interface AddResult extends Answer {
  _id: string
}
export interface AddManyResult extends Answer {
  _ids: string[]
}

export interface Query<T = Doc> {
  /** A where-object, or a top-level `_.and([...])` / `_.or([...])` of where-objects. */
  where(cond: DocData | QueryCommand): Query<T>
  orderBy(field: string, order: 'asc' | 'desc'): Query<T>
  skip(n: number): Query<T>
  limit(n: number): Query<T>
  field(projection: Record<string, boolean | 0 | 1>): Query<T>
  get(): Promise<GetResult<T>>
  count(): Promise<CountResult>
  update(opts: { data: DocData }): Promise<UpdateResult>
  remove(): Promise<RemoveResult>
}

export interface DocRef<T = Doc> {
  /** Rejects with DbError(DB_NOT_FOUND) when the document does not exist, like CloudBase. */
  get(): Promise<{ data: T; errMsg: string }>
  set(opts: { data: DocData }): Promise<SetResult>
  update(opts: { data: DocData }): Promise<UpdateResult>
  remove(): Promise<RemoveResult>
}

export interface Collection<T = Doc> extends Query<T> {
  doc(id: string): DocRef<T>
  add(opts: { data: DocData }): Promise<AddResult>
  add(opts: { data: DocData[] }): Promise<AddManyResult>
}

export interface TxDocRef<T = Doc> {
  get(): Promise<{ data: T; errMsg: string }>
  set(opts: { data: DocData }): Promise<SetResult>
  update(opts: { data: DocData }): Promise<UpdateResult>
  /** `remove()`, as outside a transaction: wx-server-sdk's document reference has no `delete()`. */
  remove(): Promise<RemoveResult>
}
export interface TxCollection<T = Doc> {
  doc(id: string): TxDocRef<T>
  add(opts: { data: DocData }): Promise<AddResult>
}
export interface Transaction {
  collection<T = Doc>(name: string): TxCollection<T>
  rollback(reason?: unknown): Promise<void>
}

export interface Database {
  command: Command
  serverDate(): DbCommand
  collection<T = Doc>(name: string): Collection<T>
  runTransaction<R>(fn: (tx: Transaction) => Promise<R>, retries?: number): Promise<R>
  /** Creates a collection (CloudBase rejects a name that exists); only `user.setup` calls it. */
  createCollection(name: string): Promise<unknown>
}

/**
 * errCode values as wx-server-sdk 4.0.2 reports them (read from node_modules/wx-server-sdk/index.js):
 * - DB_NOT_FOUND: `doc(id).get()` of a missing document throws the string
 *   `document with _id <id> does not exist` (src/api/database/api/database/document.ts, also for a
 *   transaction's doc().get()); `toSDKError` (src/utils/error.ts) turns a string into an Error with
 *   errCode -1 and errMsg `document.get:fail document with _id <id> does not exist`. (-502005 is
 *   DATABASE_COLLECTION_NOT_EXIST, "database collection not exists".)
 * - DB_DUPLICATE_KEY: the server reports a duplicate `_id` / unique-index violation as
 *   DATABASE_REQUEST_FAILED, mapped by TCB_ERR_CODE to -502001; errMsg is
 *   `collection.add:fail -502001 database request fail. [FailedOperation] ... E11000 duplicate key error ...`.
 * Both numbers are shared with other failures (-1 is the SDK's generic code, -502001 any failed
 * database request), so isDbError() also checks the message for these two codes.
 */
export const DB_NOT_FOUND = -1 as const
export const DB_DUPLICATE_KEY = -502001 as const
/** DATABASE_COLLECTION_NOT_EXIST: a read or write of a collection nobody created. */
export const DB_COLLECTION_NOT_EXIST = -502005 as const

export interface DbError extends Error {
  errCode: number
  errMsg: string
}

const CODE_MESSAGE: Partial<Record<number, RegExp>> = {
  [DB_NOT_FOUND]: /does not exist/,
  [DB_DUPLICATE_KEY]: /E11000|duplicate key/i,
  [DB_COLLECTION_NOT_EXIST]: /not exist/i,
}

export function isDbError(e: unknown, code?: number): e is DbError {
  if (typeof e !== 'object' || e === null) return false
  const { errCode, errMsg } = e as Partial<DbError>
  if (typeof errCode !== 'number') return false
  if (code === undefined) return true
  if (errCode !== code) return false
  const pattern = CODE_MESSAGE[code]
  return pattern === undefined || (typeof errMsg === 'string' && pattern.test(errMsg))
}

/** Index declarations, one list per collection, kept in code (handlers/indexes.ts). */
export interface IndexSpec {
  /** Field paths in order; `-1` for descending. */
  fields: Array<[string, 1 | -1]>
  unique?: boolean
}
export type IndexMap = Record<string, IndexSpec[]>
