/**
 * The local cloud's database: an embedded engine implementing the `Database` port (platform/db.ts)
 * with CloudBase's semantics, for offline development, the demo and tests.
 *
 *   const db = await openLocalDatabase({ dir: '.local-cloud/db', indexes })
 *
 * - `dir`: one datafile per collection there (nedb's format, see files.ts); omit for in-memory.
 * - `indexes`: unique indexes (single-field and compound) are enforced on every write; a
 *   violation rejects like a duplicate `_id` (DB_DUPLICATE_KEY). Every index's first field also
 *   serves queries with an equality or `_.in` on it (ops.ts, `candidates`), and every index
 *   serves, in order, a query with equalities on its first fields and `orderBy` on all the rest
 *   (each in its direction, or all reversed), from the bounds of a range on the first ordered
 *   field, stopping after `skip + limit` matches (indexes.ts `OrderedIndex`). Results are the same
 *   as without indexes, only found without scanning (and sorting) the collection.
 * - `now`: the clock behind `db.serverDate()` (tests inject one).
 *
 * - `collections`: the collections that exist besides those already on disk (the local cloud
 *   passes the declared list, functions/indexes.ts, as the production `setup` creates it). Given,
 *   the database is strict like CloudBase: any other name is refused with -502005 (reads and writes)
 *   until `createCollection` creates it. Omitted, any name exists (the contract suite's convenience).
 *
 * Known differences from CloudBase: an array `add` with a
 * duplicate inserts nothing (all-or-nothing; CloudBase's behaviour here is not documented); a
 * transaction's commit and a multi-document write are atomic for readers in this process but are
 * not crash-atomic across several collections' datafiles.
 */
import type { IndexMap } from '../../db'
import { LocalDb, type LocalDatabase } from './database'
import type { QueryReport } from './ops'
import { Store } from './store'

export type { LocalDatabase } from './database'
export type { QueryReport } from './ops'

export interface LocalDatabaseOptions {
  /** Folder for the datafiles; `undefined` keeps everything in memory. */
  dir?: string
  indexes?: IndexMap
  now?: () => Date
  collections?: readonly string[]
  /**
   * Told of every query no index fully served, as CloudBase's slow-query log would list it:
   * `scan` (no index narrowed the candidates: every document was tested) or `sort` (an orderBy no
   * ordered index serves: the candidates were sorted in memory). Tests may turn it into a failure.
   */
  onQueryReport?: (r: QueryReport) => void
}

export async function openLocalDatabase(opts: LocalDatabaseOptions = {}): Promise<LocalDatabase> {
  const store = await Store.open(opts.dir, opts.indexes, opts.collections !== undefined)
  const db = new LocalDb(store, opts.now ?? (() => new Date()), opts.onQueryReport)
  for (const name of opts.collections ?? []) if (!db.collectionExists(name)) await db.createCollection(name)
  return db
}
