/**
 * Write-side semantics: turning caller data into stored values, and applying update-objects
 * (plain values and `_.set/_.remove/_.inc/_.push/_.pull/_.addToSet`) the way CloudBase does.
 * Everything here is pure: inputs are never mutated, results are fresh copies.
 */
import { type Cmd, isCmd } from './commands'
import { invalidParam, requestFailed } from './errors'
import { compileField, compileWhere, type MatchEnv } from './match'
import {
  clone,
  compareValues,
  deepEqual,
  flattenPaths,
  hasOwn,
  isDate,
  isPlainObject,
  type PlainObject,
  serialize,
  splitPath,
  typeName,
} from './values'

export type WriteEnv = MatchEnv

/** Field names nedb-style datafiles (and Mongo) can hold. */
function checkFieldName(name: string, env: WriteEnv): void {
  if (name === '' || name.startsWith('$') || name.includes('.') || name === '__proto__') {
    throw invalidParam(env.api, `invalid field name '${name}': field names cannot be empty, '__proto__', start with '$' or contain '.'`)
  }
}

/**
 * A deep copy of caller data as it will be stored: `db.serverDate()` becomes the current time,
 * `undefined` fields are dropped (and become null inside arrays, as in JSON). Update commands
 * cannot appear inside a value (CloudBase: `update operator complicit`).
 */
export function toStored(v: unknown, env: WriteEnv): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return v
  if (v === undefined) return undefined
  if (isDate(v)) return new Date(v.getTime())
  if (isCmd(v)) {
    if (v.__cmd === 'serverDate') return new Date(env.now.getTime())
    throw requestFailed(env.api, 'update operator complicit')
  }
  if (Array.isArray(v)) return v.map((x) => toStored(x, env) ?? null)
  if (isPlainObject(v)) {
    const out: PlainObject = {}
    for (const key of Object.keys(v)) {
      checkFieldName(key, env)
      const stored = toStored(v[key], env)
      if (stored !== undefined) out[key] = stored
    }
    return out
  }
  throw invalidParam(env.api, `unsupported value type ${Object.prototype.toString.call(v)}`)
}

/** A whole stored document from `add`/`set` data; `_id` first. */
export function toStoredDoc(id: string, data: PlainObject, env: WriteEnv): PlainObject & { _id: string } {
  const { _id: _ignored, ...rest } = data
  return { _id: id, ...(toStored(rest, env) as PlainObject) }
}

const isIndex = (key: string): boolean => /^\d+$/.test(key)

function getPath(root: PlainObject, parts: readonly string[]): unknown {
  let cur: unknown = root
  for (const key of parts) {
    if (Array.isArray(cur) && isIndex(key)) cur = cur[Number(key)]
    else if (isPlainObject(cur) && hasOwn(cur, key)) cur = cur[key]
    else return undefined
  }
  return cur
}

/** Sets a path, creating missing objects; fails like Mongo when the path crosses a non-object. */
function setPath(root: PlainObject, parts: readonly string[], value: unknown, env: WriteEnv): void {
  let container: PlainObject | unknown[] = root
  for (let i = 0; i < parts.length; i++) {
    const key = parts[i]
    const last = i === parts.length - 1
    if (Array.isArray(container)) {
      if (!isIndex(key)) {
        throw requestFailed(env.api, `Cannot create field '${key}' in element {${parts[i - 1]}: ${serialize(container)}}`)
      }
      const idx = Number(key)
      while (container.length < idx) container.push(null)
      if (last) container[idx] = value
      else {
        if (container[idx] === undefined) container[idx] = {}
        container = descend(container[idx], key, parts[i + 1], env)
      }
    } else if (last) container[key] = value
    else {
      if (!hasOwn(container, key)) container[key] = {}
      container = descend(container[key], key, parts[i + 1], env)
    }
  }
}

function descend(next: unknown, key: string, child: string, env: WriteEnv): PlainObject | unknown[] {
  if (isPlainObject(next) || Array.isArray(next)) return next
  throw requestFailed(env.api, `Cannot create field '${child}' in element {${key}: ${serialize(next)}}`)
}

function unsetPath(root: PlainObject, parts: readonly string[]): void {
  const parent = getPath(root, parts.slice(0, -1))
  const key = parts[parts.length - 1]
  if (isPlainObject(parent)) delete parent[key]
  else if (Array.isArray(parent) && isIndex(key) && Number(key) < parent.length) parent[Number(key)] = null
}

/** Refuses update-objects whose paths overlap (`a` and `a.b`, or one path twice), like Mongo. */
function checkConflicts(paths: readonly string[], env: WriteEnv): void {
  paths.forEach((b, j) => {
    const a = paths.find((p, i) => i !== j && (p === b || b.startsWith(`${p}.`)))
    if (a !== undefined) throw requestFailed(env.api, `Updating the path '${b}' would create a conflict at '${a}'`)
  })
}

/**
 * Applies an update-object to a copy of `doc`. Plain nested objects address nested fields;
 * values (including arrays and Dates) replace; commands do what they say.
 */
export function applyUpdate<D extends PlainObject>(doc: D, data: PlainObject, env: WriteEnv): D {
  const ops = flattenPaths(data)
  checkConflicts(ops.map(([path]) => path), env)
  const out = clone(doc)
  for (const [path, value] of ops) {
    const parts = splitPath(path)
    parts.forEach((part) => checkFieldName(part, env))
    if (parts[0] === '_id') throw invalidParam(env.api, '不能更新_id的值')
    if (isCmd(value)) applyCommand(out, parts, value, env)
    else setPath(out, parts, toStored(value, env), env)
  }
  return out
}

function applyCommand(doc: PlainObject, parts: string[], cmd: Cmd, env: WriteEnv): void {
  const path = parts.join('.')
  const current = getPath(doc, parts)
  const arrayAt = (op: string): unknown[] => {
    if (current === undefined) return []
    if (Array.isArray(current)) return [...current]
    throw requestFailed(
      env.api,
      `Cannot apply ${op} to a non-array field. Field named '${path}' has a non-array type ${typeName(current)} in the document _id: ${serialize(doc._id)}`,
    )
  }
  switch (cmd.__cmd) {
    case 'serverDate':
    case 'set':
      setPath(doc, parts, toStored(cmd.__cmd === 'set' ? cmd.args[0] : cmd, env) ?? null, env)
      return
    case 'remove':
      unsetPath(doc, parts)
      return
    case 'inc': {
      const n = cmd.args[0]
      if (typeof n !== 'number' || !Number.isFinite(n)) throw invalidParam(env.api, '_.inc() needs a number')
      if (current !== undefined && typeof current !== 'number') {
        throw requestFailed(
          env.api,
          `Cannot apply $inc to a value of non-numeric type. {_id: ${serialize(doc._id)}} has the field '${path}' of non-numeric type ${typeName(current)}`,
        )
      }
      setPath(doc, parts, (current ?? 0) + n, env)
      return
    }
    case 'push': {
      setPath(doc, parts, push(arrayAt('$push'), cmd.args, env), env)
      return
    }
    case 'pull': {
      if (current === undefined) return
      const matches = elementPredicate(cmd.args[0], env)
      setPath(
        doc,
        parts,
        arrayAt('$pull').filter((el) => !matches(el)),
        env,
      )
      return
    }
    case 'addToSet': {
      const arg = cmd.args[0]
      const items =
        isPlainObject(arg) && hasOwn(arg, 'each') && Array.isArray(arg.each) ? (arg.each as unknown[]) : [arg]
      const next = arrayAt('$addToSet')
      for (const item of items) {
        const stored = toStored(item, env) ?? null
        if (!next.some((el) => deepEqual(el, stored))) next.push(stored)
      }
      setPath(doc, parts, next, env)
      return
    }
    default:
      throw invalidParam(env.api, `_.${cmd.__cmd}() is a query command and cannot be used in update data`)
  }
}

/** `_.push` arguments as CloudBase's command.push reads them. */
function push(current: unknown[], args: readonly unknown[], env: WriteEnv): unknown[] {
  const first = args[0]
  let each: unknown[]
  let position: unknown
  let sort: unknown
  let slice: unknown
  if (args.length === 1 && isPlainObject(first) && hasOwn(first, 'each')) {
    if (!Array.isArray(first.each)) throw invalidParam(env.api, '_.push({ each }) needs an array')
    ;({ each, position, sort, slice } = first as { each: unknown[]; position?: unknown; sort?: unknown; slice?: unknown })
  } else {
    each = args.length === 1 && Array.isArray(first) ? first : [...args]
  }
  const items = each.map((x) => toStored(x, env) ?? null)
  const integer = (v: unknown, name: string): number => {
    if (typeof v !== 'number' || !Number.isInteger(v)) throw invalidParam(env.api, `_.push ${name} must be an integer`)
    return v
  }
  let out = [...current]
  if (position === undefined) out.push(...items)
  else {
    const p = integer(position, 'position')
    const at = p < 0 ? Math.max(0, out.length + p) : Math.min(p, out.length)
    out.splice(at, 0, ...items)
  }
  if (sort !== undefined) {
    if (sort === 1 || sort === -1) out.sort((a, b) => compareValues(a, b) * sort)
    else if (isPlainObject(sort)) {
      const keys = Object.entries(sort)
      out.sort((a, b) => {
        for (const [field, dir] of keys) {
          const c = compareValues(getPath(asObject(a), splitPath(field)), getPath(asObject(b), splitPath(field)))
          if (c !== 0) return dir === -1 ? -c : c
        }
        return 0
      })
    } else throw invalidParam(env.api, '_.push sort must be 1, -1 or an object')
  }
  if (slice !== undefined) {
    const s = integer(slice, 'slice')
    out = s >= 0 ? out.slice(0, s) : out.slice(Math.max(0, out.length + s))
  }
  return out
}

const asObject = (v: unknown): PlainObject => (isPlainObject(v) ? v : {})

/** `_.pull(cond)`: a command tests each element, a plain object is a where-object on object elements, anything else is equality. */
function elementPredicate(cond: unknown, env: WriteEnv): (el: unknown) => boolean {
  if (isCmd(cond) && cond.__cmd !== 'serverDate') return compileField([], cond, env)
  if (isPlainObject(cond)) {
    const where = compileWhere(cond, env)
    return (el) => isPlainObject(el) && where(el)
  }
  const target = toStored(cond, env) ?? null
  return (el) => deepEqual(el, target)
}
