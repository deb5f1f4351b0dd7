/**
 * Read-side semantics: where-conditions (Mongo matching as CloudBase exposes it), orderBy keys and
 * field projections. Each is compiled once per query, so a bad condition fails before any scan.
 */
import { type Cmd, isCmd } from './commands'
import { invalidParam, requestFailed } from './errors'
import {
  clone,
  collectValues,
  comparable,
  compareValues,
  deepEqual,
  flattenPaths,
  hasOwn,
  isPlainObject,
  isRegExp,
  leafCandidates,
  type PlainObject,
  splitPath,
} from './values'

/** Tests a document (or, for `_.pull` conditions, an array element). */
export type Predicate = (root: unknown) => boolean

export interface MatchEnv {
  api: string
  now: Date
}

const logic = (op: 'and' | 'or', preds: Predicate[]): Predicate =>
  op === 'and' ? (root) => preds.every((p) => p(root)) : (root) => preds.some((p) => p(root))

/** A where-object, or a top-level `_.and([...])` / `_.or([...])` of where-objects. */
export function compileWhere(cond: unknown, env: MatchEnv): Predicate {
  if (isCmd(cond)) {
    if (cond.__cmd === 'and' || cond.__cmd === 'or') return logic(cond.__cmd, cond.args.map((a) => compileWhere(a, env)))
    throw invalidParam(env.api, `a where condition must be an object or _.and()/_.or(), not _.${cond.__cmd}()`)
  }
  if (!isPlainObject(cond)) throw invalidParam(env.api, '查询参数必须为对象')
  const preds = flattenPaths(cond).map(([path, value]) => compileField(splitPath(path), value, env))
  return (root) => preds.every((p) => p(root))
}

/** A condition on one field: a value (equality), a RegExp, or a query/logic command. */
export function compileField(parts: readonly string[], cond: unknown, env: MatchEnv): Predicate {
  const at =
    (test: (values: unknown[]) => boolean): Predicate =>
    (root) =>
      test(collectValues(root, parts))
  if (isRegExp(cond)) return at(regexTest(cond))
  if (!isCmd(cond)) return at(eqTest(operand(cond, env)))
  switch (cond.__cmd) {
    case 'and':
    case 'or':
      // Operands are commands on this field; a plain object operand is a whole where-object (as in CloudBase).
      return logic(
        cond.__cmd,
        cond.args.map((a) => (isPlainObject(a) ? compileWhere(a, env) : compileField(parts, a, env))),
      )
    case 'serverDate':
      return at(eqTest(env.now))
    case 'eq':
      return at(eqTest(operand(cond.args[0], env)))
    case 'neq': {
      const eq = eqTest(operand(cond.args[0], env))
      return at((values) => !eq(values))
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return at(rangeTest(cond.__cmd, operand(cond.args[0], env)))
    case 'in':
      return at(inTest(list(cond, env)))
    case 'nin': {
      const inList = inTest(list(cond, env))
      return at((values) => !inList(values))
    }
    case 'exists': {
      const want = Boolean(cond.args[0])
      return at((values) => values.length > 0 === want)
    }
    default:
      throw invalidParam(env.api, `_.${cond.__cmd}() is an update command and cannot be used in a query`)
  }
}

/** A query operand: serverDate becomes `now`; update commands are refused. */
function operand(v: unknown, env: MatchEnv): unknown {
  if (isCmd(v)) {
    if (v.__cmd === 'serverDate') return new Date(env.now.getTime())
    throw invalidParam(env.api, `_.${v.__cmd}() cannot be used as a value`)
  }
  if (Array.isArray(v)) return v.map((x) => operand(x, env))
  if (isPlainObject(v)) {
    const out: PlainObject = {}
    for (const k of Object.keys(v)) if (v[k] !== undefined) out[k] = operand(v[k], env)
    return out
  }
  return v
}

function list(cond: Cmd, env: MatchEnv): unknown[] {
  const values = cond.args[0]
  if (!Array.isArray(values)) throw invalidParam(env.api, `_.${cond.__cmd}() needs an array`)
  return values.map((v) => (isRegExp(v) ? v : operand(v, env)))
}

/** Mongo equality: the field equals the value, or is an array with an element equal to it; `null` also matches a missing field. */
function eqTest(target: unknown): (values: unknown[]) => boolean {
  if (target === null || target === undefined) {
    return (values) => values.length === 0 || leafCandidates(values).some((x) => x === null || x === undefined)
  }
  return (values) => leafCandidates(values).some((x) => deepEqual(x, target))
}

function regexTest(re: RegExp): (values: unknown[]) => boolean {
  const safe = new RegExp(re.source, re.flags.replace(/[gy]/g, ''))
  return (values) => leafCandidates(values).some((x) => typeof x === 'string' && safe.test(x))
}

function rangeTest(op: 'gt' | 'gte' | 'lt' | 'lte', target: unknown): (values: unknown[]) => boolean {
  const ok = (c: number): boolean => (op === 'gt' ? c > 0 : op === 'gte' ? c >= 0 : op === 'lt' ? c < 0 : c <= 0)
  return (values) => leafCandidates(values).some((x) => comparable(x, target) && ok(compareValues(x, target)))
}

function inTest(items: unknown[]): (values: unknown[]) => boolean {
  const tests = items.map((item) => (isRegExp(item) ? regexTest(item) : eqTest(item)))
  return (values) => tests.some((t) => t(values))
}

export type SortSpec = ReadonlyArray<readonly [string, 1 | -1]>

/**
 * Sorts in place, stably (ties keep the natural order). An array field sorts by its smallest
 * element ascending and its largest descending, as in Mongo.
 */
export function sortDocs<D extends PlainObject>(docs: D[], orders: SortSpec): D[] {
  if (orders.length === 0) return docs
  const keyOf = (doc: D, parts: string[], dir: 1 | -1): unknown => {
    const candidates = collectValues(doc, parts).flatMap((v) => (Array.isArray(v) ? v : [v]))
    let best: unknown = null
    candidates.forEach((c, i) => {
      if (i === 0 || compareValues(c, best) * dir < 0) best = c
    })
    return best
  }
  const paths = orders.map(([path, dir]) => [splitPath(path), dir] as const)
  const keyed = docs.map((doc) => ({ doc, keys: paths.map(([parts, dir]) => keyOf(doc, parts, dir)) }))
  keyed.sort((a, b) => {
    for (let i = 0; i < paths.length; i++) {
      const c = compareValues(a.keys[i], b.keys[i]) * paths[i][1]
      if (c !== 0) return c
    }
    return 0
  })
  keyed.forEach((k, i) => {
    docs[i] = k.doc
  })
  return docs
}

interface PathTree {
  [key: string]: PathTree | true
}

function addPath(tree: PathTree, parts: string[]): void {
  let node = tree
  parts.forEach((part, i) => {
    if (i === parts.length - 1) {
      node[part] = true
      return
    }
    const next = node[part]
    if (next === true) return
    node = next ?? (node[part] = {})
  })
}

function pick(v: unknown, tree: PathTree): unknown {
  if (Array.isArray(v)) return v.filter((el) => isPlainObject(el) || Array.isArray(el)).map((el) => pick(el, tree))
  if (!isPlainObject(v)) return undefined
  const out: PlainObject = {}
  for (const key of Object.keys(v)) {
    if (!hasOwn(tree, key)) continue
    const sub = tree[key]
    const value = sub === true ? clone(v[key]) : pick(v[key], sub)
    if (value !== undefined) out[key] = value
  }
  return out
}

function omit(v: unknown, tree: PathTree): unknown {
  if (Array.isArray(v)) return v.map((el) => omit(el, tree))
  if (!isPlainObject(v)) return clone(v)
  const out: PlainObject = {}
  for (const key of Object.keys(v)) {
    const sub = hasOwn(tree, key) ? tree[key] : undefined
    if (sub === true) continue
    out[key] = sub === undefined ? clone(v[key]) : omit(v[key], sub)
  }
  return out
}

/**
 * `field({a: true, 'b.c': 1})` keeps the listed fields (and `_id` unless `_id: false`);
 * `field({a: false})` drops them. Mixing inclusion and exclusion (other than `_id`) is an error,
 * as in Mongo (CloudBase's server). Returns a function producing a fresh copy.
 */
export function compileProjection(
  projection: Readonly<Record<string, unknown>> | undefined,
  api: string,
): (doc: PlainObject) => PlainObject {
  if (projection === undefined) return (doc) => clone(doc)
  const include: PathTree = {}
  const exclude: PathTree = {}
  let includes = 0
  const excluded: string[] = []
  let idSetting: boolean | undefined
  for (const key of Object.keys(projection)) {
    const value = projection[key]
    // As the SDK's field(): booleans, and numbers (> 0 is inclusion); other types are ignored.
    if (typeof value !== 'boolean' && typeof value !== 'number') {
      if (typeof value === 'object' && value !== null) throw invalidParam(api, `projection operators are not supported (${key})`)
      continue
    }
    const on = typeof value === 'boolean' ? value : value > 0
    if (key === '_id') {
      idSetting = on
      continue
    }
    if (on) {
      addPath(include, splitPath(key))
      includes++
    } else {
      addPath(exclude, splitPath(key))
      excluded.push(key)
    }
  }
  // The server (Mongo) refuses this; the SDK passes it through.
  if (includes > 0 && excluded.length > 0) {
    throw requestFailed(api, `Cannot do exclusion on field ${excluded[0]} in inclusion projection`)
  }
  if (includes > 0 || (idSetting === true && excluded.length === 0)) {
    if (idSetting !== false) include._id = true
    return (doc) => pick(doc, include) as PlainObject
  }
  if (idSetting === false) exclude._id = true
  return (doc) => omit(doc, exclude) as PlainObject
}
