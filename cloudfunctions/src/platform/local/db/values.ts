/**
 * Value helpers shared by the engine: type tests, deep copy, BSON-like equality and ordering,
 * Mongo-style path traversal, and the datafile serialisation (nedb's line format).
 *
 * Stored documents only ever contain JSON values, Dates, arrays and plain objects (see
 * `toStored` in update.ts); everything here assumes that.
 */

export type PlainObject = Record<string, unknown>

const tag = (v: unknown): string => Object.prototype.toString.call(v)

/** A plain object (`{}` or `Object.create(null)`), from any realm; not Dates, arrays or class instances. */
export function isPlainObject(v: unknown): v is PlainObject {
  if (typeof v !== 'object' || v === null || tag(v) !== '[object Object]') return false
  const proto: unknown = Object.getPrototypeOf(v)
  return proto === null || Object.getPrototypeOf(proto) === null
}

export function isDate(v: unknown): v is Date {
  return tag(v) === '[object Date]'
}

export function isRegExp(v: unknown): v is RegExp {
  return tag(v) === '[object RegExp]'
}

export const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k)

/** Deep copy of a stored value. */
export function clone<T>(v: T): T {
  if (isDate(v)) return new Date(v.getTime()) as T
  if (Array.isArray(v)) return v.map((x: unknown) => clone(x)) as T
  if (isPlainObject(v)) {
    const out: PlainObject = {}
    for (const k of Object.keys(v)) out[k] = clone(v[k])
    return out as T
  }
  return v
}

/**
 * BSON-like equality: Dates by time, arrays element-wise, embedded objects field by field *in
 * order* (Mongo compares embedded documents including their field order).
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (isDate(a) || isDate(b)) return isDate(a) && isDate(b) && a.getTime() === b.getTime()
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]))
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a)
    const kb = Object.keys(b)
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && deepEqual(a[k], b[k]))
  }
  return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b)
}

/** BSON type order used when sorting mixed types: null < numbers < strings < objects < arrays < booleans < dates. */
function typeRank(v: unknown): number {
  if (v === undefined || v === null) return 1
  if (typeof v === 'number') return 2
  if (typeof v === 'string') return 3
  if (isPlainObject(v)) return 4
  if (Array.isArray(v)) return 5
  if (typeof v === 'boolean') return 8
  if (isDate(v)) return 9
  return 10
}

const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0)

/** Total order over stored values (for orderBy and push's sort). */
export function compareValues(a: unknown, b: unknown): number {
  // What index keys mostly are, answered without ranking (the same answers as below): an
  // ordered index's binary search compares a few dozen times per field on every write.
  const t = typeof a
  if (t === typeof b) {
    if (t === 'string') return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0
    if (t === 'number') return sign((a as number) - (b as number))
    if (a instanceof Date && b instanceof Date) return sign(a.getTime() - b.getTime())
  }
  const ra = typeRank(a)
  const rb = typeRank(b)
  if (ra !== rb) return sign(ra - rb)
  if (typeof a === 'number' && typeof b === 'number') return sign(a - b)
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0
  if (typeof a === 'boolean' && typeof b === 'boolean') return sign(Number(a) - Number(b))
  if (isDate(a) && isDate(b)) return sign(a.getTime() - b.getTime())
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareValues(a[i], b[i])
      if (c !== 0) return c
    }
    return sign(a.length - b.length)
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ea = Object.entries(a)
    const eb = Object.entries(b)
    for (let i = 0; i < Math.min(ea.length, eb.length); i++) {
      const c = compareValues(ea[i][0], eb[i][0]) || compareValues(ea[i][1], eb[i][1])
      if (c !== 0) return c
    }
    return sign(ea.length - eb.length)
  }
  return 0
}

/** Whether `$gt`-style comparison applies: only values of the same kind compare (Mongo type bracketing). */
export function comparable(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' || typeof a === 'string' || typeof a === 'boolean') return typeof a === typeof b
  return isDate(a) && isDate(b)
}

export function splitPath(path: string): string[] {
  return path.split('.')
}

/**
 * CloudBase's rule for where- and update-objects (its serializer's `flattenQueryObject`): plain
 * nested objects address nested fields, `{a: {b: 1}}` is `'a.b': 1`; anything else (commands,
 * Dates, arrays, RegExps, primitives) is a value. `undefined` entries and empty objects vanish.
 */
export function flattenPaths(obj: PlainObject, prefix = ''): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = []
  for (const key of Object.keys(obj)) {
    const value = obj[key]
    if (value === undefined) continue
    const path = prefix === '' ? key : `${prefix}.${key}`
    if (isPlainObject(value)) out.push(...flattenPaths(value, path))
    else out.push([path, value])
  }
  return out
}

/**
 * The values a dotted path reaches in a document, Mongo style: a path walks into every element of
 * an array it meets (`'tags.name'` over `tags: [{name}, ...]`), a numeric part also indexes the
 * array (`'tags.0'`). Missing fields contribute nothing.
 */
export function collectValues(root: unknown, parts: readonly string[]): unknown[] {
  const out: unknown[] = []
  const walk = (v: unknown, i: number): void => {
    if (i === parts.length) {
      out.push(v)
      return
    }
    const key = parts[i]
    if (Array.isArray(v)) {
      if (/^\d+$/.test(key) && Number(key) < v.length) walk(v[Number(key)], i + 1)
      for (const el of v) if (isPlainObject(el)) walk(el, i)
      return
    }
    if (isPlainObject(v) && hasOwn(v, key)) walk(v[key], i + 1)
  }
  walk(root, 0)
  return out
}

/** The reached values plus the elements of reached arrays: what equality and comparisons test. */
export function leafCandidates(values: readonly unknown[]): unknown[] {
  const out: unknown[] = []
  for (const v of values) {
    out.push(v)
    if (Array.isArray(v)) out.push(...v)
  }
  return out
}

/** JSON with Dates as `{"$$date": ms}`: the line format of nedb datafiles. */
export function serialize(v: unknown): string {
  return JSON.stringify(v, function (this: PlainObject, key: string, value: unknown): unknown {
    const original = this[key]
    return isDate(original) ? { $$date: original.getTime() } : value
  })
}

export function deserialize(line: string): unknown {
  return JSON.parse(line, (_key: string, value: unknown): unknown => {
    if (isPlainObject(value) && typeof value.$$date === 'number' && Object.keys(value).length === 1) {
      return new Date(value.$$date)
    }
    return value
  })
}

export function typeName(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  if (isDate(v)) return 'date'
  if (isPlainObject(v)) return 'object'
  return typeof v
}
