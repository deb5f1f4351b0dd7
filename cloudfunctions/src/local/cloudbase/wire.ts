/**
 * CloudBase's database wire format → the local engine's arguments.
 *
 * The node SDK (@cloudbase/database 1.4.3, under wx-server-sdk 4.0.2) sends every query, update
 * and document as canonical Extended JSON strings in Mongo's own shapes: a where-object is
 * flattened to dotted paths with `$gt`/`$in`/… operator objects and `$and`/`$or` lists; an update
 * is `{ $set, $unset, $inc, $push: { path: { $each } }, $pull, $addToSet }`; `db.serverDate()` is
 * `{ $tcb_server_date: { offset } }`; a RegExp is `$regularExpression`. These functions turn them
 * back into the where-objects, commands and values the local engine (and the `Database` port)
 * take, so a request through the SDK runs the very code a handler's direct call runs.
 *
 * Anything the SDK can send that the port does not offer (`$nor`, `$not`, `$elemMatch`, `$mul`,
 * geo, aggregation…) is refused with INVALID_PARAM rather than half-supported.
 */
import { BSONRegExp, EJSON } from 'bson'
import { command, serverDate } from '../../platform/local/db/commands'
import { invalidParam } from '../../platform/local/db/errors'
import { isPlainObject, type PlainObject } from '../../platform/local/db/values'

/** Parses one EJSON string (relaxed: numbers come back as JS numbers, dates as Dates). */
export function parseEjson(api: string, text: unknown): unknown {
  if (typeof text !== 'string') throw invalidParam(api, 'expected an EJSON string')
  try {
    return EJSON.parse(text, { relaxed: true })
  } catch (e) {
    throw invalidParam(api, `malformed EJSON: ${e instanceof Error ? e.message : String(e)}`)
  }
}

/** A document for the answer: canonical EJSON, as the server sends it. */
export const stringifyDoc = (doc: unknown): string => EJSON.stringify(doc as PlainObject, { relaxed: false })

/** Values: RegExps and server dates back to the engine's own; everything else as parsed. */
export function value(api: string, v: unknown): unknown {
  if (v instanceof BSONRegExp) return new RegExp(v.pattern, v.options)
  if (Array.isArray(v)) return v.map((x) => value(api, x))
  if (isPlainObject(v)) {
    if ('$tcb_server_date' in v) {
      const offset = (v.$tcb_server_date as { offset?: unknown } | undefined)?.offset ?? 0
      if (offset !== 0) throw invalidParam(api, 'serverDate({ offset }) is not supported by the local cloud')
      return serverDate()
    }
    const out: PlainObject = {}
    for (const [k, x] of Object.entries(v)) out[k] = value(api, x)
    return out
  }
  return v
}

const FIELD_OPS: Record<string, (v: unknown) => unknown> = {
  $eq: (v) => command.eq(v),
  $ne: (v) => command.neq(v),
  $gt: (v) => command.gt(v),
  $gte: (v) => command.gte(v),
  $lt: (v) => command.lt(v),
  $lte: (v) => command.lte(v),
  $in: (v) => command.in(v as unknown[]),
  $nin: (v) => command.nin(v as unknown[]),
  $exists: (v) => command.exists(Boolean(v)),
}

const isOperatorObject = (v: unknown): v is PlainObject =>
  isPlainObject(v) && Object.keys(v).length > 0 && Object.keys(v).every((k) => k.startsWith('$')) && !('$tcb_server_date' in v)

/** One field's condition: a value (equality) or an object of operators (all must hold). */
function fieldCondition(api: string, cond: unknown): unknown {
  if (!isOperatorObject(cond)) return value(api, cond)
  const parts = Object.entries(cond).map(([op, operand]) => {
    const make = FIELD_OPS[op]
    if (make === undefined) throw invalidParam(api, `query operator ${op} is not supported by the local cloud`)
    if ((op === '$in' || op === '$nin') && !Array.isArray(operand)) throw invalidParam(api, `${op} needs an array`)
    return make(value(api, operand))
  })
  return parts.length === 1 ? parts[0] : command.and(parts)
}

/** A where-object as the SDK encodes it (flattened paths, top-level `$and` / `$or`). */
export function where(api: string, q: unknown): unknown {
  if (q === undefined || q === null || q === '') return {}
  if (!isPlainObject(q)) throw invalidParam(api, '查询参数必须为对象')
  const fields: PlainObject = {}
  const logic: unknown[] = []
  for (const [key, cond] of Object.entries(q)) {
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(cond)) throw invalidParam(api, `${key} needs an array`)
      const subs = cond.map((c) => where(api, c))
      logic.push(key === '$and' ? command.and(subs) : command.or(subs))
    } else if (key.startsWith('$')) {
      throw invalidParam(api, `query operator ${key} is not supported by the local cloud`)
    } else {
      fields[key] = fieldCondition(api, cond)
    }
  }
  if (logic.length === 0) return fields
  return command.and(Object.keys(fields).length > 0 ? [fields, ...logic] : logic)
}

/** `{ x: 1, y: -1 }` (the SDK's orderBy map, in call order) → the engine's sort keys. */
export function order(api: string, o: unknown): Array<[string, 'asc' | 'desc']> {
  if (o === undefined || o === null) return []
  if (!isPlainObject(o)) throw invalidParam(api, 'order must be an object')
  return Object.entries(o).map(([field, dir]) => [field, dir === -1 ? 'desc' : 'asc'])
}

/** `{ x: 1 }` projections pass through as the engine's `field()` argument. */
export function projection(api: string, p: unknown): Record<string, 0 | 1> | undefined {
  if (p === undefined || p === null) return undefined
  if (!isPlainObject(p)) throw invalidParam(api, 'projection must be an object')
  return Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v ? 1 : 0]))
}

/**
 * An update as the SDK encodes it → the engine's update-object: every `$set` path becomes
 * `{ path: _.set(v) }` (a dotted path sets that leaf; a whole object replaces the field, exactly
 * Mongo's and the port's meaning), `$unset` → `_.remove()`, `$inc`, `$push: { $each }`, `$pull`,
 * `$addToSet`.
 */
export function update(api: string, u: unknown): PlainObject {
  if (!isPlainObject(u)) throw invalidParam(api, 'update data must be an object')
  const out: PlainObject = {}
  const put = (path: string, v: unknown): void => {
    if (Object.prototype.hasOwnProperty.call(out, path)) throw invalidParam(api, `Updating the path '${path}' would create a conflict`)
    out[path] = v
  }
  for (const [op, fields] of Object.entries(u)) {
    if (!isPlainObject(fields)) throw invalidParam(api, `${op} needs an object`)
    for (const [path, raw] of Object.entries(fields)) {
      switch (op) {
        case '$set':
          put(path, command.set(value(api, raw)))
          break
        case '$unset':
          put(path, command.remove())
          break
        case '$inc':
          put(path, command.inc(raw as number))
          break
        case '$push': {
          if (!isPlainObject(raw) || !Array.isArray(raw.$each)) throw invalidParam(api, '$push needs { $each: [...] }')
          const modifiers: PlainObject = { each: value(api, raw.$each) }
          if (raw.$position !== undefined) modifiers.position = raw.$position
          if (raw.$sort !== undefined) modifiers.sort = raw.$sort
          if (raw.$slice !== undefined) modifiers.slice = raw.$slice
          put(path, command.push(modifiers))
          break
        }
        case '$pull':
          put(path, command.pull(isOperatorObject(raw) ? fieldCondition(api, raw) : value(api, raw)))
          break
        case '$addToSet':
          if (isPlainObject(raw) && '$each' in raw) throw invalidParam(api, '$addToSet with $each is not supported by the local cloud')
          put(path, command.addToSet(value(api, raw)))
          break
        default:
          throw invalidParam(api, `update operator ${op} is not supported by the local cloud`)
      }
    }
  }
  return out
}

/** A whole document (`add`, `set`): plain data, with server dates and RegExps restored. */
export function data(api: string, d: unknown): PlainObject {
  const v = value(api, d)
  if (!isPlainObject(v)) throw invalidParam(api, 'document data must be an object')
  return v
}
