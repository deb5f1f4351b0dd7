/**
 * Unique indexes (single-field and compound), enforced by the engine on every write; CloudBase
 * enforces them server-side. Each index keeps a map from key to the `_id` owning it for the
 * committed state, so checking a write costs only the documents it changes.
 * Non-unique indexes only speed CloudBase up; here they need nothing.
 */
import type { IndexSpec } from '../../db'
import { duplicateKey } from './errors'
import type { StoredDoc } from './files'
import { collectValues, serialize, splitPath } from './values'

interface IndexKey {
  key: string
  shown: string
}

export class UniqueIndex {
  /** Mongo's default index name, e.g. `venueId_1_slot_1`. */
  readonly name: string
  private readonly fields: string[]
  private readonly paths: string[][]
  private readonly owners = new Map<string, string>()

  constructor(spec: IndexSpec) {
    this.name = spec.fields.map(([field, dir]) => `${field}_${dir}`).join('_')
    this.fields = spec.fields.map(([field]) => field)
    this.paths = this.fields.map(splitPath)
  }

  static forSpecs(specs: readonly IndexSpec[] | undefined): UniqueIndex[] {
    return (specs ?? []).filter((s) => s.unique === true && s.fields.length > 0).map((s) => new UniqueIndex(s))
  }

  /**
   * Mongo's index keys: a missing field indexes as null (two documents lacking a uniquely
   * indexed field collide, as in CloudBase without a sparse index); an array contributes one key
   * per element.
   */
  private keys(doc: StoredDoc): IndexKey[] {
    let tuples: unknown[][] = [[]]
    for (const parts of this.paths) {
      const values = collectValues(doc, parts).flatMap((v) => (Array.isArray(v) ? (v.length > 0 ? v : [null]) : [v]))
      const options = values.length > 0 ? values : [null]
      tuples = tuples.flatMap((t) => options.map((v) => [...t, v ?? null]))
    }
    return tuples.map((tuple) => ({
      key: serialize(tuple),
      shown: `{ ${this.fields.map((f, i) => `${f}: ${serialize(tuple[i])}`).join(', ')} }`,
    }))
  }

  /**
   * Rejects (DB_DUPLICATE_KEY) unless the committed state with `pending` applied keeps keys
   * unique. `pending` holds every uncommitted change of the collection (`null` = removed).
   */
  check(api: string, collection: string, pending: ReadonlyMap<string, StoredDoc | null>): void {
    const claimed = new Map<string, string>()
    for (const [id, doc] of pending) {
      if (doc === null) continue
      for (const { key, shown } of this.keys(doc)) {
        const local = claimed.get(key)
        const committed = this.owners.get(key)
        const clash =
          (local !== undefined && local !== id) || (committed !== undefined && committed !== id && !pending.has(committed))
        if (clash) throw duplicateKey(api, collection, this.name, shown)
        claimed.set(key, id)
      }
    }
  }

  /** Records a committed change (`before`/`after` undefined = absent). */
  apply(id: string, before: StoredDoc | undefined, after: StoredDoc | undefined): void {
    if (before !== undefined) {
      for (const { key } of this.keys(before)) if (this.owners.get(key) === id) this.owners.delete(key)
    }
    if (after !== undefined) for (const { key } of this.keys(after)) this.owners.set(key, id)
  }
}
