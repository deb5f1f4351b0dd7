/**
 * serve(): the one function runtime. Every cloud function is `serve(definition, handlers)`:
 *   event → identity (from the platform) → caller's roles (from the database) → zod parse of the
 *   payload → handler → zod check of the output → envelope.
 * It never throws: every outcome is an envelope, and an unexpected exception becomes INTERNAL
 * with nothing internal leaked (the details go to the log).
 *
 * Round trips: reading the caller's record is the call's first database wait, and what does not
 * depend on it shares that wait — the rate count (runtime/limits.ts), the claim of an idempotent
 * request (runtime/requests.ts), and the documents an action names by id in its input
 * (`preload`, declared beside the handlers: the handler's own `doc(id).get()` then answers from
 * the read already made), or the first page of a list the input names (an early query,
 * runtime/preload.ts). Nothing is written before the caller may act: a refused call gives its
 * count and claim back.
 */
import type { ActionDef, CallEvent, FunctionDef } from '../../../src/shared/api/define'
import { AppError, type Envelope, isAppError } from '../../../src/shared/errors'
import type { UserDoc } from '../../../src/shared/domain/user'
import { toFieldIssues, z } from '../../../src/shared/z'
import { DB_COLLECTION_NOT_EXIST, DB_NOT_FOUND, isDbError } from '../platform/db'
import type { Invocation, Platform } from '../platform/port'
import type { Ctx } from './context'
import { claimRequest, DEFAULT_LEASE_MS, once, releaseRequest, requestKey, type ClaimState } from './requests'
import { startCounting } from './limits'
import { withPreloads, type Preload } from './preload'

export type HandlersOf<F extends FunctionDef> = {
  [K in keyof F['actions']]: (
    input: z.output<F['actions'][K]['input']>,
    ctx: Ctx,
  ) => Promise<z.input<F['actions'][K]['output']>>
}

export interface CloudFunction {
  def: FunctionDef
  invoke(event: unknown, platform: Platform, invocation: Invocation): Promise<Envelope<unknown>>
}

/** The event a timer trigger delivers (CloudBase: `{ Type: 'Timer', TriggerName, Time }`). */
export interface TimerEvent {
  Type: 'Timer'
  TriggerName: string
  Time?: string
}

function isTimerEvent(e: unknown): e is TimerEvent {
  return typeof e === 'object' && e !== null && (e as TimerEvent).Type === 'Timer'
}

/**
 * The event a message push (消息推送 to a cloud function) delivers: the message itself, e.g.
 * `{ MsgType: 'event', Event: 'wxa_media_check', trace_id, result, … }`. Its `Event` names the action.
 */
export interface PushEvent {
  MsgType: string
  Event: string
  [field: string]: unknown
}

export function isPushEvent(e: unknown): e is PushEvent {
  return typeof e === 'object' && e !== null && typeof (e as PushEvent).MsgType === 'string' && typeof (e as PushEvent).Event === 'string'
}

const REQUEST_ID = /^[A-Za-z0-9_-]{8,64}$/

/** The caller's record; `'new environment'` when there is no `users` collection yet (before `user.setup`). */
export async function loadUser(platform: Pick<Platform, 'db'>, openid: string): Promise<UserDoc | null | 'new environment'> {
  try {
    const res = await platform.db.collection<UserDoc>('users').doc(openid).get()
    return res.data
  } catch (e) {
    if (isDbError(e, DB_NOT_FOUND)) return null
    if (isDbError(e, DB_COLLECTION_NOT_EXIST)) return 'new environment'
    throw e
  }
}

function checkAccess(def: ActionDef, invocation: Invocation, found: UserDoc | null | 'new environment'): void {
  const access = def.access
  if (access === 'setup') {
    if (!invocation.openid) throw new AppError('UNAUTHENTICATED')
    if (found === 'new environment') return
    if (!found?.roles.includes('admin')) throw new AppError('FORBIDDEN', '仅管理员可初始化云开发环境')
    return
  }
  // Every other action needs the `users` collection: a new environment is set up first (README).
  if (found === 'new environment') throw new AppError('PRECONDITION_FAILED', '服务尚未初始化，请联系社区管理员')
  const user = found
  if (access === 'system') {
    if (invocation.source !== 'timer') throw new AppError('FORBIDDEN', '此操作仅由系统定时任务执行')
    return
  }
  if (access === 'push') {
    if (invocation.source !== 'push') throw new AppError('FORBIDDEN', '此操作仅接收微信平台的消息推送')
    return
  }
  if (!invocation.openid) throw new AppError('UNAUTHENTICATED')
  if (access === 'user') return
  if (!user) throw new AppError('NOT_ONBOARDED')
  if (access === 'member') return
  if (!user.roles.some((r) => access.includes(r))) throw new AppError('FORBIDDEN')
}

/**
 * Documents an action reads by id from its input, read in the same wait as the caller's record
 * (see the header): `[collection, id]` pairs, or early queries, computed from the parsed input alone.
 */
export type PreloadsOf<F extends FunctionDef> = {
  [K in keyof F['actions']]?: (input: z.output<F['actions'][K]['input']>) => ReadonlyArray<Preload>
}

export function serve<F extends FunctionDef>(def: F, handlers: HandlersOf<F>, preloads: PreloadsOf<F> = {}): CloudFunction {
  async function invoke(event: unknown, platform: Platform, invocation: Invocation): Promise<Envelope<unknown>> {
    let actionName = '?'
    try {
      let payload: unknown
      let requestId: string | undefined
      // Only the platform's own trigger is a timer: a person's call shaped like one is still a person's call.
      if (isTimerEvent(event) && invocation.source === 'timer' && !invocation.openid) {
        actionName = event.TriggerName
        payload = {}
        invocation = { openid: null, source: 'timer' }
      } else if (isPushEvent(event) && invocation.source === 'push') {
        // Only the adapter says an event is the platform's push (platform/wx wxInvocation); the
        // push acts for nobody: whatever OPENID came with it is not a caller.
        actionName = event.Event
        payload = event
        invocation = { openid: null, source: 'push' }
      } else {
        if (typeof event !== 'object' || event === null) throw new AppError('INVALID_INPUT', '请求格式不正确')
        const e = event as CallEvent
        actionName = typeof e.action === 'string' ? e.action : '?'
        payload = e.payload ?? {}
        if (e.requestId !== undefined) {
          if (typeof e.requestId !== 'string' || !REQUEST_ID.test(e.requestId)) {
            throw new AppError('INVALID_INPUT', '请求编号格式不正确')
          }
          requestId = e.requestId
        }
        // A person's call is never a timer call or a push, whatever the adapter was told.
        if (invocation.source !== 'person') invocation = { ...invocation, source: 'person' }
      }
      const adef: ActionDef | undefined = Object.prototype.hasOwnProperty.call(def.actions, actionName)
        ? def.actions[actionName]
        : undefined
      const handler = adef ? (handlers as unknown as Record<string, (i: unknown, c: Ctx) => Promise<unknown>>)[actionName] : undefined
      if (!adef || !handler) throw new AppError('NOT_FOUND', `没有这个操作：${def.name}.${actionName}`)

      // Parsed now (no database), reported after the access check as before.
      const parsed = z.safeParse(adef.input, payload)
      const openid = invocation.openid
      const limited =
        invocation.source === 'person' && !!openid && adef.access !== 'setup' && platform.settings?.rateLimits !== false && (!adef.read || !!adef.daily)
      const key = adef.idempotent && requestId ? requestKey(openid ?? '', def.name, actionName, requestId) : undefined
      const recordMode = adef.idempotent === 'record'
      // The first wait: the caller's record, and beside it what does not depend on it.
      const preloadOf = (preloads as Record<string, ((i: unknown) => ReadonlyArray<Preload>) | undefined>)[actionName]
      const preload = parsed.success ? preloadOf?.(parsed.data) : undefined
      const db = preload?.length ? withPreloads(platform.db, preload, platform.clock.now()) : platform.db
      const userRead = openid ? loadUser({ ...platform, db }, openid) : Promise.resolve(null)
      const counting = limited && parsed.success ? startCounting({ ...platform, db }, openid!, { write: !adef.read, daily: adef.daily, claim: recordMode ? key : undefined }) : null
      const claim: Promise<ClaimState> | null = key && !recordMode && parsed.success && openid ? claimRequest({ ...platform, db }, key, platform.settings?.requestLeaseMs ?? DEFAULT_LEASE_MS) : null
      claim?.catch(() => undefined)

      let found: Awaited<ReturnType<typeof loadUser>>
      let retry = false
      try {
        found = await userRead
        checkAccess(adef, invocation, found)
        if (!parsed.success) {
          const issues = toFieldIssues(parsed.error)
          const first = issues[0]
          throw new AppError('INVALID_INPUT', first ? `填写的内容有误：${first.message}` : undefined, issues)
        }
      } catch (e) {
        // Refused before acting: give back what the first wait took.
        await Promise.all([counting?.undo(), claim?.then((c) => (c === 'fresh' ? releaseRequest(platform, key!) : undefined), () => undefined)])
        throw e
      }
      const user = found === 'new environment' ? null : found
      try {
        if (counting) retry = (await counting.settle(user)).retry
      } catch (e) {
        await claim?.then((c) => (c === 'fresh' ? releaseRequest(platform, key!) : undefined), () => undefined)
        throw e
      }
      // A request seen before (its claim existed) is not counted again against the daily cap.
      if (claim && counting && (await claim.catch(() => null)) !== 'fresh') await counting.giveBackDaily()

      const ctx: Ctx = {
        db,
        _: platform.db.command,
        clock: platform.clock,
        notify: platform.notify,
        contentCheck: platform.contentCheck,
        storage: platform.storage,
        phone: platform.phone,
        log: platform.log,
        openid: openid ?? '',
        user,
        source: invocation.source,
        requestId,
        requestKey: key,
        ...(recordMode && retry ? { retry } : {}),
      }

      const run = async (again = false): Promise<unknown> => {
        const out = await handler(parsed.data, again ? { ...ctx, retry: again } : ctx)
        const checked = z.safeParse(adef.output, out)
        if (!checked.success) {
          platform.log.error('output does not match its schema', {
            fn: def.name,
            action: actionName,
            issues: toFieldIssues(checked.error),
          })
          throw new AppError('INTERNAL')
        }
        return checked.data
      }

      const data = claim ? await once(platform, key!, platform.settings?.requestLeaseMs ?? DEFAULT_LEASE_MS, run, claim) : await run()
      return { ok: true, data }
    } catch (e) {
      if (isAppError(e)) return { ok: false, error: e.toBody() }
      platform.log.error('unexpected error', {
        fn: def.name,
        action: actionName,
        error: e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e),
      })
      return { ok: false, error: new AppError('INTERNAL').toBody() }
    }
  }
  return { def, invoke }
}
