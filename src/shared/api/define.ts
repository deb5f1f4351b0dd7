/**
 * How an action is declared: one zod schema for the input, one for the output, who may call it,
 * and a one-line summary (it feeds `GET /api`). The client gateway and the function runtime both
 * read these definitions, so a payload is validated the same way on both sides.
 */
import type { Schema as ZodType, z } from '../z'
import type { DailyLimitName } from '../rules/limits'

/** Roles held in the database (`users.roles`); never taken from a payload. */
/** `property`: a property company's contact (物业联系人), tied to one company by `users.companyId`; only staff name one (property.setContact). */
/** `department`: a contact of a 职能部门 (城管, 派出所…), tied to it by `users.departmentId`; named by street staff (grid.setDepartmentContact). */
export const ROLES = ['resident', 'volunteer', 'party_member', 'grid_worker', 'staff', 'admin', 'street', 'property', 'department'] as const
export type Role = (typeof ROLES)[number]

export const ROLE_LABELS: Record<Role, string> = {
  resident: '居民',
  volunteer: '志愿者',
  party_member: '在职党员',
  grid_worker: '网格员',
  staff: '社区工作者',
  admin: '管理员',
  street: '街道工作人员',
  property: '物业联系人',
  department: '职能部门',
}

/**
 * Who may call an action:
 * - `'user'`: anyone with a platform identity (OPENID), even before onboarding;
 * - `'member'`: an onboarded person (has a `users` record);
 * - `'system'`: only the timer trigger / the runtime itself, never a person;
 * - `'push'`: only the platform's message push (消息推送: the event itself is the payload and its
 *   `Event` names the action), never a person;
 * - `'setup'`: an admin; on a new environment (no `users` collection yet) any signed-in person,
 *   since there is no admin yet and nothing to protect (`user.setup` only creates collections);
 *   not rate-limited (the counters' collection may not exist yet);
 * - a role list: an onboarded person holding at least one of these roles.
 */
export type Access = 'user' | 'member' | 'system' | 'push' | 'setup' | readonly Role[]

export interface ActionDef<I extends ZodType = ZodType, O extends ZodType = ZodType> {
  input: I
  output: O
  access: Access
  summary: string
  /**
   * The client sends a requestId; a retry returns the first result instead of acting twice.
   * `true`: the runtime holds a claim per request (`requests/<key>`, marked done after the answer).
   * `'record'`: the action is safe to run again by itself — what it writes takes its id from the
   * request (or is the caller's own record) and a retry finds it — so the runtime only remembers
   * the request id for the day with the caller's rate count (a retry is not counted again against
   * the daily cap) and tells the handler it is a retry; no claim, no second write.
   */
  idempotent?: boolean | 'record'
  /** Read-only: not counted by the per-minute write limit (every other person's action is). */
  read?: boolean
  /** Also counted against this named daily cap per person (src/shared/rules/limits.ts). */
  daily?: DailyLimitName
}

export type ActionMap = Record<string, ActionDef>

export interface FunctionDef<N extends string = string, A extends ActionMap = ActionMap> {
  name: N
  actions: A
}

export function action<I extends ZodType, O extends ZodType>(def: ActionDef<I, O>): ActionDef<I, O> {
  return def
}

export function defineFunction<N extends string, A extends ActionMap>(name: N, actions: A): FunctionDef<N, A> {
  return { name, actions }
}

export type InputOf<F extends FunctionDef, K extends keyof F['actions']> = z.input<F['actions'][K]['input']>
export type OutputOf<F extends FunctionDef, K extends keyof F['actions']> = z.output<F['actions'][K]['output']>

/** The event every cloud function receives from a person's call. */
export interface CallEvent {
  action: string
  payload?: unknown
  requestId?: string
}
