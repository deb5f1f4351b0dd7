/**
 * The declared indexes, for the committed state:
 * - `UniqueIndex` (single-field and compound, `unique: true`) is enforced on every write, as
 *   CloudBase does server-side: a map from key to the `_id` owning it, so checking a write costs
 *   only the documents it changes.
 * - `LookupIndex` serves reads: for the first field of every declared index (unique or not), a map
 *   from equality key to the ids of the documents having it. The query planner (ops.ts) takes its
 *   candidates from one and still tests each with the matcher, so an index only needs to return a
 *   superset of the documents an equality matches.
 */
import type { IndexSpec } from '../../db'
import { duplicateKey } from './errors'
import type { StoredDoc } from './files'
import { collectValues, isDate, leafCandidates, serialize, splitPath } from './values'

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

export type Key = string | number | boolean | null

/**
 * The equality key of a value, or `undefined` for values not indexed (objects, arrays, RegExps,
 * commands: an equality on those scans). Keys are equal whenever match.ts's equality holds:
 * `null` stands for null and missing, Dates go by time (a string could share a Date's key; the
 * matcher sorts that out), and Map keys compare numbers as SameValueZero (`0` is `-0`, NaN is NaN).
 */
export function indexKey(v: unknown): Key | undefined {
  if (v === null || v === undefined) return null
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v
  return isDate(v) ? `\u0000date:${v.getTime()}` : undefined
}

const NONE: ReadonlySet<string> = new Set()

export class LookupIndex {
  private readonly parts: string[]
  private readonly ids = new Map<Key, Set<string>>()

  constructor(readonly path: string) {
    this.parts = splitPath(path)
  }

  /** One per distinct first field of `specs`. */
  static forSpecs(specs: readonly IndexSpec[] | undefined): LookupIndex[] {
    const paths = new Set((specs ?? []).flatMap((s) => (s.fields.length > 0 ? [s.fields[0][0]] : [])))
    return [...paths].map((path) => new LookupIndex(path))
  }

  /** What an equality can match: each reached value and array element (multikey), `null` when the field is missing. */
  private keys(doc: StoredDoc): Set<Key> {
    const values = collectValues(doc, this.parts)
    const keys = new Set<Key>(values.length === 0 ? [null] : [])
    for (const leaf of leafCandidates(values)) {
      const key = indexKey(leaf)
      if (key !== undefined) keys.add(key)
    }
    return keys
  }

  /** Per key, the ids of the documents that may have it at `path`. */
  lookup(keys: readonly Key[]): ReadonlySet<string>[] {
    return keys.map((key) => this.ids.get(key) ?? NONE)
  }

  /** Records a committed change (`before`/`after` undefined = absent). */
  apply(id: string, before: StoredDoc | undefined, after: StoredDoc | undefined): void {
    if (before !== undefined) {
      for (const key of this.keys(before)) {
        const ids = this.ids.get(key)
        ids?.delete(id)
        if (ids?.size === 0) this.ids.delete(key)
      }
    }
    if (after === undefined) return
    for (const key of this.keys(after)) {
      let ids = this.ids.get(key)
      if (ids === undefined) this.ids.set(key, (ids = new Set()))
      ids.add(id)
    }
  }
}
