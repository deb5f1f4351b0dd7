/**
 * The local cloud's database: an embedded engine implementing the `Database` port (platform/db.ts)
 * with CloudBase's semantics, for offline development, the demo and tests.
 *
 *   const db = await openLocalDatabase({ dir: '.local-cloud/db', indexes })
 *
 * - `dir`: one datafile per collection there (nedb's format, see files.ts); omit for in-memory.
 * - `indexes`: unique indexes (single-field and compound) are enforced on every write; a
 *   violation rejects like a duplicate `_id` (DB_DUPLICATE_KEY). Every index's first field also
 *   serves queries with an equality or `_.in` on it (ops.ts, `candidates`); results are the same
 *   as without indexes, only found without scanning the collection.
 * - `now`: the clock behind `db.serverDate()` (tests inject one).
 *
 * Known differences from CloudBase: collections spring into existence on first write (CloudBase
 * rejects with -502005 until a collection is created in the console); an array `add` with a
 * duplicate inserts nothing (all-or-nothing; CloudBase's behaviour here is not documented); a
 * transaction's commit and a multi-document write are atomic for readers in this process but are
 * not crash-atomic across several collections' datafiles.
 */
import type { IndexMap } from '../../db'
import { LocalDb, type LocalDatabase } from './database'
import { Store } from './store'

export type { LocalDatabase } from './database'

export interface LocalDatabaseOptions {
  /** Folder for the datafiles; `undefined` keeps everything in memory. */
  dir?: string
  indexes?: IndexMap
  now?: () => Date
}

export async function openLocalDatabase(opts: LocalDatabaseOptions = {}): Promise<LocalDatabase> {
  const store = await Store.open(opts.dir, opts.indexes)
  return new LocalDb(store, opts.now ?? (() => new Date()))
}
