/**
 * The `Database` port on the local engine: query builders and references over the operations in
 * ops.ts, the write lock, and transactions.
 *
 * Concurrency: every write (and every whole transaction) runs under one lock per database, a
 * promise chain, doing read-match-modify-persist inside it; so a conditional update is atomic.
 * Compaction of the datafiles a write left wasteful runs under the same lock, right after the
 * write is answered (store.ts `housekeep`), so later writes queue behind it, in order.
 * Reads do not take the lock: they read the committed state (and its indexes) synchronously, and a write becomes
 * visible in one synchronous step after it is persisted (store.ts), so a read never sees part of
 * one. Inside a transaction, non-transactional reads see the committed state, not the
 * transaction's writes; a non-transactional *write* on the same database from inside the
 * transaction's callback would wait for the lock the transaction holds, so it is refused with an
 * error instead (detected with AsyncLocalStorage).
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type {
  AddManyResult,
  AddResult,
  Collection,
  Command,
  CountResult,
  Database,
  DbCommand,
  Doc,
  DocData,
  DocRef,
  GetResult,
  Query,
  QueryCommand,
  RemoveResult,
  SetResult,
  Transaction,
  TxCollection,
  TxDocRef,
  UpdateResult,
} from '../../db'
import { command, serverDate } from './commands'
import { collectionExists, collectionNotExist, sdkError, TX_SINGLE_RECORD } from './errors'
import * as ops from './ops'
import { type Store, type View, WorkingSet } from './store'
import { isPlainObject } from './values'

export interface LocalDatabase extends Database {
  /** Waits for pending writes, then closes the datafiles; later calls reject. */
  close(): Promise<void>
  /** Rewrites every datafile to just its current documents (they are append-only). */
  compact(): Promise<void>
  /** How many documents where-conditions have been tested on so far: shows whether a query used an index. */
  readonly scannedDocs: number
  /**
   * CloudBase's `db.createCollection(name)`: resolves once it exists; rejects when it already did
   * (as the server does), so a setup that may run twice checks `exists` first or ignores that.
   */
  createCollection(name: string): Promise<{ created: true }>
  /** Whether the collection exists (an undeclared one is refused with -502005 when the database is strict). */
  collectionExists(name: string): boolean
}

/** Where operations run: on the committed state (the database) or in a transaction. */
/** Every answer carries the SDK's `errMsg: '<api>:ok'`. */
type Answered<R> = R & { errMsg: string }
const answered = <R extends object>(api: string, result: R): Answered<R> => ({ ...result, errMsg: `${api}:ok` })

interface Runner {
  read<R extends object>(api: string, collection: string, op: (view: View, env: ops.Env) => R): Promise<Answered<R>>
  write<R extends object>(api: string, collection: string, op: (ws: WorkingSet, env: ops.Env) => R): Promise<Answered<R>>
}

interface TxScope {
  db: LocalDb
  active: boolean
}
const txScope = new AsyncLocalStorage<TxScope>()

/**
 * A promise chain: each task starts when the previous one has settled. After each task, once its
 * caller has been answered, `after` (the store's housekeeping: compaction) runs still holding the
 * lock, so the next task waits for it; it must not reject.
 */
class Lock {
  private tail: Promise<unknown> = Promise.resolve()

  constructor(private readonly after: () => Promise<void>) {}

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task)
    this.tail = result.then(this.after, this.after).catch(() => undefined)
    return result
  }
}

function checkCollectionName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name === '') throw new Error('集合名称不合法')
}

function checkDocId(id: unknown): asserts id is string {
  if (typeof id !== 'string') throw new Error('docId必须为字符串')
}

export class LocalDb implements LocalDatabase, Runner {
  readonly command: Command = command
  private readonly lock: Lock
  private closed = false
  private readonly stats = { scannedDocs: 0 }

  constructor(
    private readonly store: Store,
    private readonly clock: () => Date,
    private readonly report?: (r: ops.QueryReport) => void,
  ) {
    this.lock = new Lock(() => store.housekeep())
  }

  serverDate(): DbCommand {
    return serverDate()
  }

  collection<T = Doc>(name: string): Collection<T> {
    checkCollectionName(name)
    return new CollectionRef<T>(this, name, { orders: [], skip: 0 })
  }

  get scannedDocs(): number {
    return this.stats.scannedDocs
  }

  env(api: string): ops.Env {
    return { api, now: this.clock(), stats: this.stats, report: this.report }
  }

  async read<R extends object>(api: string, collection: string, op: (view: View, env: ops.Env) => R): Promise<Answered<R>> {
    this.assertOpen()
    this.assertExists(api, collection)
    return answered(api, op(this.store, this.env(api)))
  }

  async write<R extends object>(api: string, collection: string, op: (ws: WorkingSet, env: ops.Env) => R): Promise<Answered<R>> {
    this.assertOpen()
    this.assertNotInTransaction(api)
    return this.lock.run(async () => {
      this.assertOpen()
      this.assertExists(api, collection)
      const ws = new WorkingSet(this.store)
      const result = op(ws, this.env(api))
      await this.store.commit(ws)
      return answered(api, result)
    })
  }

  /**
   * Runs `fn` holding the write lock; its writes are buffered and committed together when it
   * returns. A throw or `tx.rollback(reason)` discards them and rejects with the error or the
   * reason, as CloudBase does. `retries` is accepted for compatibility: with the lock held there
   * are no conflicts to retry.
   */
  async runTransaction<R>(fn: (tx: Transaction) => Promise<R>, _retries?: number): Promise<R> {
    this.assertOpen()
    this.assertNotInTransaction('runTransaction')
    return this.lock.run(async () => {
      this.assertOpen()
      const tx = new LocalTransaction(this, new WorkingSet(this.store))
      const scope: TxScope = { db: this, active: true }
      let result: R
      try {
        result = await txScope.run(scope, () => fn(tx))
      } catch (e) {
        throw tx.aborted ? tx.abortReason : e
      } finally {
        scope.active = false
        tx.end()
      }
      if (tx.aborted) throw tx.abortReason
      await this.store.commit(tx.ws)
      return result
    })
  }

  collectionExists(name: string): boolean {
    return this.store.exists(name)
  }

  async createCollection(name: string): Promise<{ created: true }> {
    checkCollectionName(name)
    this.assertOpen()
    this.assertNotInTransaction('createCollection')
    return this.lock.run(async () => {
      this.assertOpen()
      if (!(await this.store.createCollection(name))) throw collectionExists('database.createCollection', name)
      return { created: true as const }
    })
  }

  assertExists(api: string, collection: string): void {
    if (!this.store.exists(collection)) throw collectionNotExist(api, collection)
  }

  async compact(): Promise<void> {
    this.assertOpen()
    this.assertNotInTransaction('compact')
    await this.lock.run(async () => {
      this.assertOpen()
      await this.store.compact()
    })
  }

  async close(): Promise<void> {
    this.assertNotInTransaction('close')
    await this.lock.run(async () => {
      if (this.closed) return
      this.closed = true
      await this.store.close()
    })
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('local db: the database is closed')
  }

  private assertNotInTransaction(api: string): void {
    const scope = txScope.getStore()
    if (scope !== undefined && scope.db === this && scope.active) {
      throw new Error(
        `local db: ${api} was called outside the transaction but inside runTransaction() on the same database. ` +
          'It would wait for the transaction to finish, which waits for it: a deadlock. ' +
          'Do this write through the transaction (tx.collection(...)) or after runTransaction() resolves.',
      )
    }
  }
}

class LocalTransaction implements Transaction, Runner {
  aborted = false
  abortReason: unknown = undefined
  private ended = false

  constructor(
    private readonly db: LocalDb,
    readonly ws: WorkingSet,
  ) {}

  collection<T = Doc>(name: string): TxCollection<T> {
    checkCollectionName(name)
    return new TxCollectionRef<T>(this, name)
  }

  async rollback(reason?: unknown): Promise<void> {
    this.assertActive('transaction.rollback')
    this.aborted = true
    this.abortReason = reason
  }

  /** Transaction reads see its own writes: both go to its working set. */
  async read<R extends object>(api: string, collection: string, op: (view: View, env: ops.Env) => R): Promise<Answered<R>> {
    this.assertActive(api)
    this.db.assertExists(api, collection)
    return answered(api, op(this.ws, this.db.env(api)))
  }

  async write<R extends object>(api: string, collection: string, op: (ws: WorkingSet, env: ops.Env) => R): Promise<Answered<R>> {
    this.assertActive(api)
    this.db.assertExists(api, collection)
    return answered(api, op(this.ws, this.db.env(api)))
  }

  end(): void {
    this.ended = true
  }

  private assertActive(api: string): void {
    if (this.ended || this.aborted) throw sdkError(api, 'the transaction has already been committed or rolled back')
  }
}

/** A document reference, on the database or in a transaction. */
class DocRefImpl<T> implements DocRef<T>, TxDocRef<T> {
  constructor(
    private readonly runner: Runner,
    private readonly name: string,
    private readonly id: string,
  ) {}

  get(): Promise<{ data: T; errMsg: string }> {
    return this.runner.read('document.get', this.name, (view, env) => ({
      data: ops.getDoc(view, this.name, this.id, env) as unknown as T,
    }))
  }

  set(opts: { data: DocData }): Promise<SetResult> {
    return this.runner.write('document.set', this.name, (ws, env) => ops.setDoc(ws, this.name, this.id, opts?.data, env))
  }

  update(opts: { data: DocData }): Promise<UpdateResult> {
    return this.runner.write('document.update', this.name, (ws, env) => ops.updateDoc(ws, this.name, this.id, opts?.data, env))
  }

  remove(): Promise<RemoveResult> {
    return this.runner.write('document.remove', this.name, (ws, env) => ops.removeDoc(ws, this.name, this.id, env))
  }
}

function add(runner: Runner, name: string, data: unknown): Promise<AddResult | AddManyResult> {
  return runner.write('collection.add', name, (ws, env) => ops.add(ws, name, data, env))
}

const ORDER = { asc: 1, desc: -1 } as const

function checkInteger(name: string, n: unknown): asserts n is number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new Error(`${name} must be integer`)
}

class QueryRef<T> implements Query<T> {
  constructor(
    protected readonly db: LocalDb,
    protected readonly name: string,
    private readonly spec: ops.QuerySpec,
  ) {}

  /** Like CloudBase, a later where() replaces an earlier one. */
  where(cond: DocData | QueryCommand): Query<T> {
    if (Object.prototype.toString.call(cond) !== '[object Object]') throw new Error('查询参数必须为对象')
    if (isPlainObject(cond)) {
      const values = Object.values(cond)
      if (values.length > 0 && values.every((v) => v === undefined)) throw new Error('查询参数对象值不能均为undefined')
    }
    return this.with({ where: cond })
  }

  /** Each call adds a sort key; ordering by the same field again changes its direction in place (as the SDK's Object.assign does). */
  orderBy(field: string, order: 'asc' | 'desc'): Query<T> {
    if (typeof field !== 'string' || field === '') throw new Error('字段路径不合法')
    if (order !== 'asc' && order !== 'desc') throw new Error('排序字符不合法')
    const orders = this.spec.orders.some(([f]) => f === field)
      ? this.spec.orders.map(([f, d]) => [f, f === field ? ORDER[order] : d] as const)
      : [...this.spec.orders, [field, ORDER[order]] as const]
    return this.with({ orders })
  }

  skip(n: number): Query<T> {
    checkInteger('offset', n)
    return this.with({ skip: n })
  }

  /** 0 means the default (100); above 1000 is capped at 1000, as the SDK does. */
  limit(n: number): Query<T> {
    checkInteger('limit', n)
    return this.with({ limit: n })
  }

  field(projection: Record<string, boolean | 0 | 1>): Query<T> {
    if (!isPlainObject(projection)) throw new Error('projection must be an object')
    return this.with({ projection: { ...projection } })
  }

  get(): Promise<GetResult<T>> {
    return this.db.read('collection.get', this.name, (view, env) => ({
      data: ops.query(view, this.name, this.spec, env) as unknown as T[],
    }))
  }

  count(): Promise<CountResult> {
    return this.db.read('collection.count', this.name, (view, env) => ({ total: ops.count(view, this.name, this.spec.where, env) }))
  }

  /** Updates every matching document (server SDK semantics; orderBy/skip/limit do not apply). */
  update(opts: { data: DocData }): Promise<UpdateResult> {
    return this.db.write('collection.update', this.name, (ws, env) => ops.updateWhere(ws, this.name, this.spec.where, opts?.data, env))
  }

  /** Removes every matching document (orderBy/skip/limit do not apply). */
  remove(): Promise<RemoveResult> {
    return this.db.write('collection.remove', this.name, (ws, env) => ops.removeWhere(ws, this.name, this.spec.where, env))
  }

  private with(change: Partial<ops.QuerySpec>): Query<T> {
    return new QueryRef<T>(this.db, this.name, { ...this.spec, ...change })
  }
}

class CollectionRef<T> extends QueryRef<T> implements Collection<T> {
  doc(id: string): DocRef<T> {
    checkDocId(id)
    return new DocRefImpl<T>(this.db, this.name, id)
  }

  add(opts: { data: DocData }): Promise<AddResult>
  add(opts: { data: DocData[] }): Promise<AddManyResult>
  add(opts: { data: DocData | DocData[] }): Promise<AddResult | AddManyResult> {
    return add(this.db, this.name, opts?.data)
  }
}

class TxCollectionRef<T> implements TxCollection<T> {
  constructor(
    private readonly tx: LocalTransaction,
    private readonly name: string,
  ) {}

  doc(id: string): TxDocRef<T> {
    checkDocId(id)
    return new DocRefImpl<T>(this.tx, this.name, id)
  }

  add(opts: { data: DocData }): Promise<AddResult> {
    return add(this.tx, this.name, opts?.data) as Promise<AddResult>
  }

  /** CloudBase: 在事务中仅能进行单记录操作，也就是不能使用 where、aggregate 接口 (Transaction.collection docs). */
  where(_cond?: unknown): never {
    throw sdkError('collection.where', TX_SINGLE_RECORD)
  }

  aggregate(): never {
    throw sdkError('collection.aggregate', '在事务中仅能进行单记录操作，不能使用 where、aggregate 接口 (aggregate is not supported in a transaction)')
  }
}
