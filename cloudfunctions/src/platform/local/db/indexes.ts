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
import { collectValues, compareValues, isDate, leafCandidates, serialize, splitPath } from './values'

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
const NO_KEYS: ReadonlySet<Key> = new Set()

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

  /** Records a committed change (`before`/`after` undefined = absent): only the keys that changed move. */
  apply(id: string, before: StoredDoc | undefined, after: StoredDoc | undefined): void {
    const was = before === undefined ? NO_KEYS : this.keys(before)
    const is = after === undefined ? NO_KEYS : this.keys(after)
    for (const key of was) {
      if (is.has(key)) continue
      const ids = this.ids.get(key)
      ids?.delete(id)
      if (ids?.size === 0) this.ids.delete(key)
    }
    for (const key of is) {
      if (was.has(key)) continue
      let ids = this.ids.get(key)
      if (ids === undefined) this.ids.set(key, (ids = new Set()))
      ids.add(id)
    }
  }
}

/** A top-level condition on one field the ordered index can use: an equality, or range bounds. */
export interface FieldBounds {
  eq?: { value: unknown }
  /** `_.in` of indexable values, distinct. */
  in?: unknown[]
  lower?: { value: unknown; inclusive: boolean }
  upper?: { value: unknown; inclusive: boolean }
}

interface Entry {
  readonly id: string
  readonly seq: number
  readonly values: readonly unknown[]
}

/** At most this many changes in one commit are spliced in place; more rebuild the order by merging. */
const SPLICE_MAX = 32
/** Entries per block of `Blocks` (a block splits in two above it). */
const BLOCK = 512

/**
 * A sorted sequence kept in blocks of at most BLOCK entries, addressed by position as one array:
 * an insertion or removal moves the entries of one block, not of the whole index. (A flat array
 * made every write to a 200,000-document collection move 200,000 pointers per index: two thirds
 * of the time of a write at district scale, `npm run bench`.)
 */
export class Blocks<T> {
  private blocks: T[][] = []
  /** Position of each block's first entry; recomputed after a change, when next needed. */
  private starts: number[] = []
  private stale = false
  /** The block `at()` found last: reading a run in order finds the next entry there. */
  private last = 0
  size = 0

  static from<T>(items: readonly T[]): Blocks<T> {
    const b = new Blocks<T>()
    const step = Math.max(1, Math.floor((BLOCK * 3) / 4))
    for (let i = 0; i < items.length; i += step) b.blocks.push(items.slice(i, i + step))
    b.size = items.length
    b.stale = true
    return b
  }

  toArray(): T[] {
    return this.blocks.flat()
  }

  private start(block: number): number {
    if (this.stale) {
      let n = 0
      this.starts = this.blocks.map((b) => {
        const at = n
        n += b.length
        return at
      })
      this.stale = false
    }
    return this.starts[block]
  }

  /** The block holding `index` (0 ≤ index < size) and the position within it. */
  private locate(index: number): [number, number] {
    const last = this.last
    if (last < this.blocks.length) {
      const s = this.start(last)
      if (index >= s && index < s + this.blocks[last].length) return [last, index - s]
    }
    let lo = 0
    let hi = this.blocks.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1
      if (this.start(mid) <= index) lo = mid
      else hi = mid - 1
    }
    this.last = lo
    return [lo, index - this.start(lo)]
  }

  at(index: number): T {
    const [b, i] = this.locate(index)
    return this.blocks[b][i]
  }

  /** The first position whose entry is not `before` (entries before it all are: `before` is monotone). */
  lowerBound(before: (item: T) => boolean): number {
    let lo = 0
    let hi = this.blocks.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const b = this.blocks[mid]
      if (before(b[b.length - 1])) lo = mid + 1
      else hi = mid
    }
    if (lo === this.blocks.length) return this.size
    const b = this.blocks[lo]
    let l = 0
    let h = b.length - 1
    while (l < h) {
      const mid = (l + h) >>> 1
      if (before(b[mid])) l = mid + 1
      else h = mid
    }
    return this.start(lo) + l
  }

  insertAt(index: number, item: T): void {
    if (this.blocks.length === 0) {
      this.blocks.push([item])
      this.stale = true
    } else if (index >= this.size) {
      // Onto the last block: no block's start moves.
      this.blocks[this.blocks.length - 1].push(item)
    } else {
      const [b, i] = this.locate(index)
      const block = this.blocks[b]
      block.splice(i, 0, item)
      this.shift(b, 1)
      if (block.length > BLOCK) {
        this.blocks.splice(b + 1, 0, block.splice(block.length >>> 1))
        this.stale = true
      }
    }
    const tail = this.blocks[this.blocks.length - 1]
    if (tail.length > BLOCK) {
      this.blocks.push(tail.splice(tail.length >>> 1))
      this.stale = true
    }
    this.size++
  }

  removeAt(index: number): void {
    const [b, i] = this.locate(index)
    const block = this.blocks[b]
    block.splice(i, 1)
    if (block.length === 0) {
      this.blocks.splice(b, 1)
      this.stale = true
    } else this.shift(b, -1)
    this.size--
  }

  /**
   * After one entry more or less in `block`: the later blocks start one place later or earlier.
   * Kept in step rather than recomputed (a new array of every block's start, twice per index on
   * every write: work and garbage growing with the collection); only a split or an emptied block
   * leaves them to be recomputed, when next needed.
   */
  private shift(block: number, delta: number): void {
    if (this.stale) return
    const starts = this.starts
    for (let k = block + 1; k < starts.length; k++) starts[k] += delta
  }

  /** Entries [start, end) in order. */
  *range(start: number, end: number): Generator<T> {
    if (start >= end) return
    let [b, i] = this.locate(start)
    for (let n = end - start; n > 0; n--) {
      const block = this.blocks[b]
      yield block[i]
      if (++i === block.length) {
        b++
        i = 0
      }
    }
  }
}
/** An `_.in` on prefix fields is served by merging at most this many runs. */
const MAX_PREFIXES = 64

/**
 * `OrderedIndex` serves sorted and ranged reads, as a compound index does on CloudBase: every
 * document of the collection in the order of the declared fields (each in its declared
 * direction), ties in natural order. A query with equalities on the first `m` fields and
 * `orderBy` on all the remaining ones (in their directions, or all reversed) reads the documents
 * of that prefix in order, from the bound of a range on field `m + 1` when there is one, and the
 * planner stops after `skip + limit` matches: a page costs the page, not the collection.
 *
 * Only documents with one value per indexed field are ordered here; a document with an array (or
 * a path through an array) in an indexed field is "multikey" and, while the collection holds
 * one, the index serves no query (the planner falls back to the lookup index and sorting). A
 * missing field orders as null, as in Mongo.
 */
export class OrderedIndex {
  readonly fields: ReadonlyArray<{ path: string; parts: string[]; dir: 1 | -1 }>
  private entries = new Blocks<Entry>()
  private readonly live = new Map<string, Entry>()
  private readonly multikey = new Set<string>()
  private added: Entry[] = []
  private removed = new Set<Entry>()

  constructor(spec: IndexSpec) {
    this.fields = spec.fields.map(([path, dir]) => ({ path, parts: splitPath(path), dir }))
  }

  static forSpecs(specs: readonly IndexSpec[] | undefined): OrderedIndex[] {
    return (specs ?? []).filter((s) => s.fields.length > 0).map((s) => new OrderedIndex(s))
  }

  /** The values of the indexed fields, or `undefined` when one of them has several (multikey). */
  private valuesOf(doc: StoredDoc): unknown[] | undefined {
    const out: unknown[] = []
    for (const { parts } of this.fields) {
      const values = collectValues(doc, parts)
      if (values.length > 1 || Array.isArray(values[0])) return undefined
      out.push(values.length === 0 ? null : values[0])
    }
    return out
  }

  private compare(a: Entry, b: Entry): number {
    for (let i = 0; i < this.fields.length; i++) {
      const c = compareValues(a.values[i], b.values[i]) * this.fields[i].dir
      if (c !== 0) return c
    }
    return a.seq - b.seq
  }

  /** Stages a committed change; `flush()` applies the staged ones (once per commit). */
  stage(id: string, seq: number, before: StoredDoc | undefined, after: StoredDoc | undefined): void {
    const values = after === undefined ? undefined : this.valuesOf(after)
    if (before !== undefined && values !== undefined) {
      // A replacement that leaves this index's fields as they were keeps its place (most writes
      // change a few fields: the other indexes do nothing rather than remove and reinsert).
      const old = this.live.get(id)
      if (old !== undefined && old.seq === seq && values.every((v, i) => compareValues(v, old.values[i]) === 0)) return
    }
    if (before !== undefined) {
      const old = this.live.get(id)
      if (old !== undefined) {
        this.live.delete(id)
        this.removed.add(old)
      }
      this.multikey.delete(id)
    }
    if (after === undefined) return
    if (values === undefined) {
      this.multikey.add(id)
      return
    }
    const entry: Entry = { id, seq, values }
    this.live.set(id, entry)
    this.added.push(entry)
  }

  flush(): void {
    if (this.added.length === 0 && this.removed.size === 0) return
    const cmp = (a: Entry, b: Entry) => this.compare(a, b)
    if (this.added.length + this.removed.size <= SPLICE_MAX) {
      for (const old of this.removed) {
        const at = this.search(old)
        if (at < this.entries.size && this.entries.at(at) === old) this.entries.removeAt(at)
      }
      for (const entry of this.added) this.entries.insertAt(this.search(entry), entry)
    } else {
      const all = this.entries.toArray()
      const kept = this.removed.size > 0 ? all.filter((e) => !this.removed.has(e)) : all
      const fresh = this.added.sort(cmp)
      const merged: Entry[] = new Array(kept.length + fresh.length)
      let i = 0
      let j = 0
      let k = 0
      while (i < kept.length && j < fresh.length) merged[k++] = cmp(kept[i], fresh[j]) <= 0 ? kept[i++] : fresh[j++]
      while (i < kept.length) merged[k++] = kept[i++]
      while (j < fresh.length) merged[k++] = fresh[j++]
      this.entries = Blocks.from(merged)
    }
    this.added = []
    this.removed = new Set()
  }

  /** The first position whose entry is not before `entry`. */
  private search(entry: Entry): number {
    return this.entries.lowerBound((e) => this.compare(e, entry) < 0)
  }

  /** The first position whose first `m` values (and, with `bound`, value `m`) are not before the given ones. */
  private boundary(prefix: readonly unknown[], bound: { value: unknown; after: boolean } | undefined, upper: boolean): number {
    const m = prefix.length
    const before = (e: Entry): boolean => {
      for (let i = 0; i < m; i++) {
        const c = compareValues(e.values[i], prefix[i]) * this.fields[i].dir
        if (c !== 0) return c < 0
      }
      if (bound === undefined) return !upper ? false : true
      const c = compareValues(e.values[m], bound.value) * this.fields[m].dir
      return c < 0 || (c === 0 && bound.after)
    }
    return this.entries.lowerBound(before)
  }

  /**
   * The ids, in the order `orders` asks, of every document that can match `conds` — or
   * `undefined` when this index cannot serve the query: not every field after the equality prefix
   * is ordered on (in its direction, or all reversed), or the collection holds a multikey document.
   * A prefix field may have an `_.in` list: each combination of prefix values is read in order
   * and the runs are merged (ties in natural order, as a stable sort leaves them).
   */
  serve(conds: ReadonlyMap<string, FieldBounds>, orders: ReadonlyArray<readonly [string, 1 | -1]>): { prefix: number; ids: () => Iterable<string> } | undefined {
    if (orders.length === 0 || this.multikey.size > 0) return undefined
    const m = this.fields.length - orders.length
    if (m < 0) return undefined
    let prefixes: unknown[][] = [[]]
    for (let i = 0; i < m; i++) {
      const c = conds.get(this.fields[i].path)
      const values = c?.eq !== undefined ? [c.eq.value] : c?.in
      if (values === undefined) return undefined
      prefixes = prefixes.flatMap((p) => values.map((v) => [...p, v]))
      if (prefixes.length > MAX_PREFIXES) return undefined
    }
    let reversed: boolean | undefined
    for (let i = 0; i < orders.length; i++) {
      const [path, dir] = orders[i]
      const field = this.fields[m + i]
      if (field.path !== path) return undefined
      const flip = dir !== field.dir
      if (reversed !== undefined && flip !== reversed) return undefined
      reversed = flip
    }
    // A range on the first ordered field narrows where reading starts and ends.
    const range = conds.get(this.fields[m].path)
    const asc = this.fields[m].dir === 1
    const low = asc ? range?.lower : range?.upper
    const high = asc ? range?.upper : range?.lower
    const runs = prefixes.map((prefix) => ({
      // In index order: from the first entry not before the low bound (after it, when exclusive).
      start: this.boundary(prefix, low === undefined ? undefined : { value: low.value, after: !low.inclusive }, false),
      end: this.boundary(prefix, high === undefined ? undefined : { value: high.value, after: high.inclusive }, true),
    }))
    const entries = this.entries
    const backwards = reversed === true
    const fields = this.fields
    const sameKeys = (a: Entry, b: Entry): boolean => a.values.every((v, i) => compareValues(v, b.values[i]) === 0)
    function* run(start: number, end: number): Generator<Entry> {
      if (!backwards) {
        yield* entries.range(start, end)
        return
      }
      // Reversed: groups of equal keys still come in natural order, as a stable sort leaves them.
      let i = end - 1
      while (i >= start) {
        let j = i
        const last = entries.at(i)
        while (j - 1 >= start && sameKeys(entries.at(j - 1), last)) j--
        yield* entries.range(j, i + 1)
        i = j - 1
      }
    }
    // The asked order between runs: the ordered fields (flipped when reversed), then natural order.
    const before = (a: Entry, b: Entry): boolean => {
      for (let i = m; i < fields.length; i++) {
        const c = compareValues(a.values[i], b.values[i]) * fields[i].dir * (backwards ? -1 : 1)
        if (c !== 0) return c < 0
      }
      return a.seq < b.seq
    }
    return {
      prefix: m,
      *ids() {
        if (runs.length === 1) {
          for (const e of run(runs[0].start, runs[0].end)) yield e.id
          return
        }
        const heads = runs.map((r) => run(r.start, r.end)).map((it) => ({ it, next: it.next() }))
        for (;;) {
          let best: (typeof heads)[number] | undefined
          for (const h of heads) if (!h.next.done && (best === undefined || before(h.next.value, best.next.value as Entry))) best = h
          if (best === undefined) return
          yield (best.next.value as Entry).id
          best.next = best.it.next()
        }
      },
    }
  }
}
