/**
 * `db.command` and `db.serverDate()`: inert marker objects, interpreted by match.ts (query and
 * logic commands) and update.ts (update commands, serverDate).
 */
import type { Command, DbCommand, QueryCommand } from '../../db'

export type QueryOp = 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'nin' | 'exists'
export type LogicOp = 'and' | 'or'
export type UpdateOp = 'set' | 'remove' | 'inc' | 'push' | 'pull' | 'addToSet'
export type CmdName = QueryOp | LogicOp | UpdateOp | 'serverDate'

/** `_.and(a, b)` and `_.and([a, b])` mean the same, as in CloudBase. */
const operands = (args: readonly unknown[]): unknown[] =>
  args.length === 1 && Array.isArray(args[0]) ? [...(args[0] as unknown[])] : [...args]

export class Cmd implements QueryCommand {
  constructor(
    readonly __cmd: CmdName,
    readonly args: readonly unknown[],
  ) {
    Object.freeze(this)
  }

  and(...conds: unknown[]): Cmd {
    return new Cmd('and', [this, ...operands(conds)])
  }

  or(...conds: unknown[]): Cmd {
    return new Cmd('or', [this, ...operands(conds)])
  }
}

export const isCmd = (v: unknown): v is Cmd => v instanceof Cmd

export const command: Command = {
  eq: (v) => new Cmd('eq', [v]),
  neq: (v) => new Cmd('neq', [v]),
  gt: (v) => new Cmd('gt', [v]),
  gte: (v) => new Cmd('gte', [v]),
  lt: (v) => new Cmd('lt', [v]),
  lte: (v) => new Cmd('lte', [v]),
  in: (v) => new Cmd('in', [v]),
  nin: (v) => new Cmd('nin', [v]),
  exists: (v) => new Cmd('exists', [v]),
  and: (...conds) => new Cmd('and', operands(conds)),
  or: (...conds) => new Cmd('or', operands(conds)),
  set: (v) => new Cmd('set', [v]),
  remove: () => new Cmd('remove', []),
  inc: (n) => new Cmd('inc', [n]),
  /** `_.push(v)`, `_.push([a, b])`, `_.push(a, b)` or `_.push({ each, position, sort, slice })`. */
  push: (...args: unknown[]) => new Cmd('push', args),
  pull: (v) => new Cmd('pull', [v]),
  addToSet: (v) => new Cmd('addToSet', [v]),
}

export const serverDate = (): DbCommand => new Cmd('serverDate', [])
