/**
 * The committed state (one Map of documents per collection, in natural = insertion order) with
 * its indexes, and `WorkingSet`, the overlay every write is computed in.
 *
 * Stored documents are never mutated: a write builds new document objects in a WorkingSet,
 * persists them, then swaps them, and the indexes' entries for them, into the Maps in one
 * synchronous step. So a reader, which reads the Maps synchronously, sees either all or none of
 * any write, and never an index out of step with the documents, without taking the write lock.
 *
 * Datafiles only grow with each write; `housekeep` compacts the ones a commit left `wasteful`
 * (files.ts). The caller (database.ts) runs commit, compact and housekeep under its one write
 * lock, so an append never meets a rewrite of the same file and no write waits unseen behind one.
 * Readers never touch the files, so compaction does not block them.
 */
import type { IndexMap, IndexSpec } from '../../db'
import { CollectionFile, clearJournal, listCollections, replayJournal, writeJournal, type FileWrite, type StoredDoc } from './files'
import { type FieldBounds, type Key, LookupIndex, OrderedIndex, UniqueIndex } from './indexes'

/** Read access to documents; stored objects, so callers copy before handing anything out. */
export interface View {
  get(collection: string, id: string): StoredDoc | undefined
  /** Every document, in natural order. */
  scan(collection: string): Iterable<StoredDoc>
  /**
   * Per key, the ids of the documents whose `path` may have that equality key (a superset), when
   * `path` is the first field of a declared index; `undefined` otherwise.
   */
  lookup(collection: string, path: string, keys: readonly Key[]): ReadonlyArray<ReadonlySet<string>> | undefined
  /** The existing documents among `ids`, in natural order. */
  pick(collection: string, ids: ReadonlySet<string>): StoredDoc[]
  /**
   * The documents that can match `conds`, in the order `orders` asks, read from an ordered index
   * (indexes.ts `OrderedIndex`) — or `undefined` when no index serves that order. The committed
   * state only: a transaction's working set has none.
   */
  ordered?(collection: string, conds: ReadonlyMap<string, FieldBounds>, orders: ReadonlyArray<readonly [string, 1 | -1]>): Iterable<StoredDoc> | undefined
}

const EMPTY: ReadonlyMap<string, StoredDoc> = new Map()

/** One collection's committed documents, their insertion sequence numbers and their indexes. */
class CollectionState {
  readonly docs = new Map<string, StoredDoc>()
  private readonly seq = new Map<string, number>()
  private next = 0
  readonly uniques: UniqueIndex[]
  private readonly lookups: Map<string, LookupIndex>
  readonly ordered: OrderedIndex[]

  constructor(specs: readonly IndexSpec[]) {
    this.uniques = UniqueIndex.forSpecs(specs)
    this.lookups = new Map(LookupIndex.forSpecs(specs).map((index) => [index.path, index]))
    this.ordered = OrderedIndex.forSpecs(specs)
  }

  /** The one place the state changes: a document set (`null`: removed), with every index. */
  put(id: string, doc: StoredDoc | null): void {
    const before = this.docs.get(id)
    if (doc === null) {
      this.docs.delete(id)
      this.seq.delete(id)
    } else {
      // Replacing keeps a document's place in the Map, so it keeps its number too.
      if (before === undefined) this.seq.set(id, this.next++)
      this.docs.set(id, doc)
    }
    for (const index of this.uniques) index.apply(id, before, doc ?? undefined)
    for (const index of this.lookups.values()) index.apply(id, before, doc ?? undefined)
    const seq = this.seq.get(id) ?? -1
    for (const index of this.ordered) index.stage(id, seq, before, doc ?? undefined)
  }

  /** Ends a batch of `put`s (one commit, or the load): the ordered indexes take them all at once. */
  flush(): void {
    for (const index of this.ordered) index.flush()
  }

  /** The longest-prefix ordered index that serves the query, as ids in order. */
  serve(conds: ReadonlyMap<string, FieldBounds>, orders: ReadonlyArray<readonly [string, 1 | -1]>): Iterable<string> | undefined {
    let best: { prefix: number; ids: () => Iterable<string> } | undefined
    for (const index of this.ordered) {
      const plan = index.serve(conds, orders)
      if (plan !== undefined && (best === undefined || plan.prefix > best.prefix)) best = plan
    }
    return best?.ids()
  }

  lookup(path: string, keys: readonly Key[]): ReadonlySet<string>[] | undefined {
    return this.lookups.get(path)?.lookup(keys)
  }

  /** The ids among `ids` present here, in natural order. */
  order(ids: ReadonlySet<string>): string[] {
    const present: Array<[number, string]> = []
    for (const id of ids) {
      const n = this.seq.get(id)
      if (n !== undefined) present.push([n, id])
    }
    return present.sort((a, b) => a[0] - b[0]).map(([, id]) => id)
  }
}

export class Store implements View {
  private readonly collections = new Map<string, CollectionState>()
  /** Collections that exist (CloudBase: created in the console or by createCollection); `null`: any name does. */
  private readonly existing: Set<string> | null
  private readonly files = new Map<string, CollectionFile>()
  /** Collections whose datafile the last commits left wasteful: `housekeep` compacts them. */
  private readonly due = new Set<string>()
  private closed = false

  private constructor(
    private readonly dir: string | undefined,
    private readonly indexes: ReadonlyMap<string, readonly IndexSpec[]>,
    strict: boolean,
  ) {
    this.existing = strict ? new Set() : null
  }

  /**
   * Loads every collection in `dir` (compacting stale datafiles) and builds the indexes. `strict`:
   * only collections that have a datafile, or are created later, exist (as on CloudBase).
   */
  static async open(dir: string | undefined, indexes: IndexMap = {}, strict = false): Promise<Store> {
    const store = new Store(dir, new Map(Object.entries(indexes)), strict)
    const loaded = new Map<string, Map<string, StoredDoc>>()
    if (dir !== undefined) {
      await listCollections(dir) // creates the folder
      await replayJournal(dir) // a multi-line write a crash cut short: completed before anything is read
      for (const name of await listCollections(dir)) {
        store.existing?.add(name)
        const file = store.file(name)
        if (file === undefined) continue
        const { docs, stale } = await file.load()
        if (stale) await file.rewrite(docs.values())
        loaded.set(name, docs)
      }
    }
    // Like creating a unique index on a collection that already breaks it: refused.
    for (const [name, specs] of store.indexes) {
      for (const index of UniqueIndex.forSpecs(specs)) index.check('createIndex', name, loaded.get(name) ?? EMPTY)
    }
    for (const name of store.indexes.keys()) store.state(name)
    for (const [name, docs] of loaded) {
      const state = store.state(name)
      for (const [id, doc] of docs) state.put(id, doc)
      state.flush()
    }
    return store
  }

  get(collection: string, id: string): StoredDoc | undefined {
    return this.collections.get(collection)?.docs.get(id)
  }

  exists(collection: string): boolean {
    return this.existing === null || this.existing.has(collection)
  }

  /** Creates an empty collection (its datafile too); false when it already exists. Under the write lock. */
  async createCollection(collection: string): Promise<boolean> {
    if (this.existing === null ? this.collections.has(collection) : this.existing.has(collection)) return false
    await this.file(collection)?.rewrite([])
    this.existing?.add(collection)
    this.state(collection)
    return true
  }

  scan(collection: string): Iterable<StoredDoc> {
    return (this.collections.get(collection)?.docs ?? EMPTY).values()
  }

  lookup(collection: string, path: string, keys: readonly Key[]): ReadonlySet<string>[] | undefined {
    return this.collections.get(collection)?.lookup(path, keys)
  }

  pick(collection: string, ids: ReadonlySet<string>): StoredDoc[] {
    return this.order(collection, ids).map((id) => this.get(collection, id) as StoredDoc)
  }

  ordered(collection: string, conds: ReadonlyMap<string, FieldBounds>, orders: ReadonlyArray<readonly [string, 1 | -1]>): Iterable<StoredDoc> | undefined {
    const state = this.collections.get(collection)
    const ids = state?.serve(conds, orders)
    if (ids === undefined || state === undefined) return undefined
    return (function* () {
      for (const id of ids) {
        const doc = state.docs.get(id)
        if (doc !== undefined) yield doc
      }
    })()
  }

  /** The committed ids among `ids`, in natural order. */
  order(collection: string, ids: ReadonlySet<string>): string[] {
    return this.collections.get(collection)?.order(ids) ?? []
  }

  /** Rejects (DB_DUPLICATE_KEY) unless `pending`, all uncommitted changes of `collection`, keeps its unique indexes. */
  checkUnique(api: string, collection: string, pending: ReadonlyMap<string, StoredDoc | null>): void {
    for (const index of this.collections.get(collection)?.uniques ?? []) index.check(api, collection, pending)
  }

  /** Persists the working set's changes, then makes them visible, all at once. */
  async commit(ws: WorkingSet): Promise<void> {
    const batches = [...ws.changes()].filter(([, changes]) => changes.size > 0)
    const appended: string[] = []
    // More than one line: journal it first, so a crash between appends cannot keep only part.
    const journaled = this.dir !== undefined && (batches.length > 1 || (batches[0]?.[1].size ?? 0) > 1)
    if (journaled) await writeJournal(this.dir!, batches.map(([c, changes]) => [c, [...changes] as FileWrite[]] as const))
    try {
      for (const [collection, changes] of batches) {
        const file = this.file(collection)
        if (file === undefined) continue
        appended.push(collection)
        await file.append([...changes])
      }
    } catch (e) {
      // Not committed: the lines that did reach other datafiles must go too (the next housekeep
      // rewrites them all to the committed documents), or a reload would bring back part of it.
      for (const collection of appended) this.files.get(collection)?.invalidate()
      // Nor may the journal complete it at the next start.
      if (journaled) await clearJournal(this.dir!).catch(() => undefined)
      throw e
    } finally {
      for (const collection of appended) if (this.files.get(collection)?.wasteful === true) this.due.add(collection)
    }
    if (journaled) await clearJournal(this.dir!)
    for (const [collection, changes] of batches) {
      const state = this.state(collection)
      for (const [id, doc] of changes) state.put(id, doc)
      state.flush()
    }
  }

  /**
   * Compacts the datafiles the last commits left wasteful, to their committed documents. Call it
   * under the write lock, after a commit; it never rejects: a failed compaction leaves the old
   * file, complete, in use (and is retried once the file has grown again).
   */
  async housekeep(): Promise<void> {
    for (const name of [...this.due]) {
      this.due.delete(name)
      const file = this.files.get(name)
      if (this.closed || file === undefined || !file.wasteful) continue
      try {
        await file.rewrite(this.scan(name))
      } catch (e) {
        console.warn(`[local db] compacting ${file.path} failed; it keeps growing until a later attempt works:`, e)
      }
    }
  }

  /** Rewrites every datafile to its current documents, in natural order (so a reload keeps it). */
  async compact(): Promise<void> {
    this.due.clear()
    for (const [name, state] of this.collections) await this.file(name)?.rewrite(state.docs.values())
  }

  async close(): Promise<void> {
    this.closed = true
    this.due.clear()
    for (const file of this.files.values()) await file.close()
    this.files.clear()
  }

  private state(collection: string): CollectionState {
    let state = this.collections.get(collection)
    if (state === undefined) this.collections.set(collection, (state = new CollectionState(this.indexes.get(collection) ?? [])))
    return state
  }

  private file(collection: string): CollectionFile | undefined {
    if (this.dir === undefined) return undefined
    let file = this.files.get(collection)
    if (file === undefined) this.files.set(collection, (file = CollectionFile.forCollection(this.dir, collection)))
    return file
  }
}

/**
 * Uncommitted changes over the committed state: a single write's, or a whole transaction's
 * (which therefore reads its own writes). `null` marks a removal.
 */
export class WorkingSet implements View {
  private readonly overlay = new Map<string, Map<string, StoredDoc | null>>()

  constructor(private readonly store: Store) {}

  get(collection: string, id: string): StoredDoc | undefined {
    const staged = this.overlay.get(collection)
    if (staged?.has(id)) return staged.get(id) ?? undefined
    return this.store.get(collection, id)
  }

  *scan(collection: string): Iterable<StoredDoc> {
    const staged = this.overlay.get(collection)
    for (const doc of this.store.scan(collection)) {
      if (!staged?.has(doc._id)) yield doc
      else {
        const replaced = staged.get(doc._id)
        if (replaced) yield replaced
      }
    }
    if (staged === undefined) return
    for (const [id, doc] of staged) if (doc !== null && this.store.get(collection, id) === undefined) yield doc
  }

  /** The committed index's ids, plus every staged one (a superset is enough: the matcher decides). */
  lookup(collection: string, path: string, keys: readonly Key[]): ReadonlyArray<ReadonlySet<string>> | undefined {
    const committed = this.store.lookup(collection, path, keys)
    const staged = this.overlay.get(collection)
    return committed === undefined || staged === undefined ? committed : [...committed, new Set(staged.keys())]
  }

  /** In scan's order: committed documents in their place, then the staged new ones. */
  pick(collection: string, ids: ReadonlySet<string>): StoredDoc[] {
    const order = this.store.order(collection, ids)
    for (const id of this.overlay.get(collection)?.keys() ?? []) {
      if (ids.has(id) && this.store.get(collection, id) === undefined) order.push(id)
    }
    return order.flatMap((id) => this.get(collection, id) ?? [])
  }

  /** Stages one operation's changes after checking the unique indexes: all of them or none. */
  stage(api: string, collection: string, changes: ReadonlyMap<string, StoredDoc | null>): void {
    if (changes.size === 0) return
    const pending = new Map(this.overlay.get(collection))
    for (const [id, doc] of changes) pending.set(id, doc)
    this.store.checkUnique(api, collection, pending)
    this.overlay.set(collection, pending)
  }

  changes(): Iterable<[string, ReadonlyMap<string, StoredDoc | null>]> {
    return this.overlay.entries()
  }
}
