/**
 * The committed state (one Map of documents per collection, in natural = insertion order) with
 * its unique indexes, and `WorkingSet`, the overlay every write is computed in.
 *
 * Stored documents are never mutated: a write builds new document objects in a WorkingSet,
 * persists them, then swaps them into the Maps in one synchronous step. So a reader, which scans
 * the Maps synchronously, sees either all or none of any write, without taking the write lock.
 */
import type { IndexMap } from '../../db'
import { CollectionFile, docLine, listCollections, removalLine, type StoredDoc } from './files'
import { UniqueIndex } from './indexes'

/** Read access to documents; stored objects, so callers copy before handing anything out. */
export interface View {
  get(collection: string, id: string): StoredDoc | undefined
  scan(collection: string): Iterable<StoredDoc>
}

const EMPTY: ReadonlyMap<string, StoredDoc> = new Map()

export class Store implements View {
  private readonly collections = new Map<string, Map<string, StoredDoc>>()
  private readonly files = new Map<string, CollectionFile>()
  private readonly uniques = new Map<string, UniqueIndex[]>()

  private constructor(private readonly dir: string | undefined) {}

  /** Loads every collection in `dir` (compacting stale datafiles) and builds the unique indexes. */
  static async open(dir: string | undefined, indexes: IndexMap = {}): Promise<Store> {
    const store = new Store(dir)
    if (dir !== undefined) {
      for (const name of await listCollections(dir)) {
        const file = store.file(name)
        if (file === undefined) continue
        const { docs, stale } = await file.load()
        if (stale) await file.rewrite(docs.values())
        store.collections.set(name, docs)
      }
    }
    for (const [name, specs] of Object.entries(indexes)) {
      const uniques = UniqueIndex.forSpecs(specs)
      const docs = store.collections.get(name) ?? EMPTY
      for (const index of uniques) {
        // Like creating a unique index on a collection that already breaks it: refused.
        index.check('createIndex', name, docs)
        for (const [id, doc] of docs) index.apply(id, undefined, doc)
      }
      store.uniques.set(name, uniques)
    }
    return store
  }

  get(collection: string, id: string): StoredDoc | undefined {
    return this.collections.get(collection)?.get(id)
  }

  scan(collection: string): Iterable<StoredDoc> {
    return (this.collections.get(collection) ?? EMPTY).values()
  }

  /** Rejects (DB_DUPLICATE_KEY) unless `pending`, all uncommitted changes of `collection`, keeps its unique indexes. */
  checkUnique(api: string, collection: string, pending: ReadonlyMap<string, StoredDoc | null>): void {
    for (const index of this.uniques.get(collection) ?? []) index.check(api, collection, pending)
  }

  /** Persists the working set's changes, then makes them visible, all at once. */
  async commit(ws: WorkingSet): Promise<void> {
    const batches = [...ws.changes()].filter(([, changes]) => changes.size > 0)
    if (this.dir !== undefined) {
      for (const [collection, changes] of batches) {
        const lines: string[] = []
        for (const [id, doc] of changes) {
          if (doc !== null) lines.push(docLine(doc))
          else if (this.get(collection, id) !== undefined) lines.push(removalLine(id))
        }
        await this.file(collection)?.append(lines)
      }
    }
    for (const [collection, changes] of batches) {
      let docs = this.collections.get(collection)
      if (docs === undefined) this.collections.set(collection, (docs = new Map()))
      const uniques = this.uniques.get(collection) ?? []
      for (const [id, doc] of changes) {
        const before = docs.get(id)
        if (doc === null) docs.delete(id)
        else docs.set(id, doc)
        for (const index of uniques) index.apply(id, before, doc ?? undefined)
      }
    }
  }

  /** Rewrites every datafile to its current documents. */
  async compact(): Promise<void> {
    for (const [name, docs] of this.collections) await this.file(name)?.rewrite(docs.values())
  }

  async close(): Promise<void> {
    for (const file of this.files.values()) await file.close()
    this.files.clear()
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
