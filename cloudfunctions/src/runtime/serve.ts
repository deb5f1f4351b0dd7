/**
 * serve(): the one function runtime. Every cloud function is `serve(definition, handlers)`:
 *   event → identity (from the platform) → caller's roles (from the database) → zod parse of the
 *   payload → handler → zod check of the output → envelope.
 * It never throws: every outcome is an envelope, and an unexpected exception becomes INTERNAL
 * with nothing internal leaked (the details go to the log).
 */
import type { ActionDef, CallEvent, FunctionDef } from '../../../src/shared/api/define'
import { AppError, type Envelope, isAppError } from '../../../src/shared/errors'
import type { UserDoc } from '../../../src/shared/domain/user'
import { toFieldIssues, z } from '../../../src/shared/z'
import { DB_COLLECTION_NOT_EXIST, DB_NOT_FOUND, isDbError } from '../platform/db'
import type { Invocation, Platform } from '../platform/port'
import type { Ctx } from './context'
import { DEFAULT_LEASE_MS, once, requestKey } from './requests'
import { countCall } from './limits'

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
export async function loadUser(platform: Platform, openid: string): Promise<UserDoc | null | 'new environment'> {
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
  if (!user) throw new AppError('PRECONDITION_FAILED', '请先完成入驻：选择您所在的社区、小区和楼栋')
  if (access === 'member') return
  if (!user.roles.some((r) => access.includes(r))) throw new AppError('FORBIDDEN')
}

export function serve<F extends FunctionDef>(def: F, handlers: HandlersOf<F>): CloudFunction {
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

      const found = invocation.openid ? await loadUser(platform, invocation.openid) : null
      checkAccess(adef, invocation, found)
      const user = found === 'new environment' ? null : found

      const parsed = z.safeParse(adef.input, payload)
      if (!parsed.success) {
        const issues = toFieldIssues(parsed.error)
        const first = issues[0]
        throw new AppError('INVALID_INPUT', first ? `填写的内容有误：${first.message}` : undefined, issues)
      }

      // Rate limits: every write counts per minute; a daily cap counts each request once (inside
      // `once`, a retry of a known request id is not counted again).
      const limited = invocation.source === 'person' && !!invocation.openid && adef.access !== 'setup' && platform.settings?.rateLimits !== false
      if (limited) await countCall(platform, user, invocation.openid!, { write: !adef.read, daily: adef.idempotent && requestId ? undefined : adef.daily })

      const key = adef.idempotent && requestId ? requestKey(invocation.openid ?? '', def.name, actionName, requestId) : undefined
      const ctx: Ctx = {
        db: platform.db,
        _: platform.db.command,
        clock: platform.clock,
        notify: platform.notify,
        contentCheck: platform.contentCheck,
        storage: platform.storage,
        phone: platform.phone,
        log: platform.log,
        openid: invocation.openid ?? '',
        user,
        source: invocation.source,
        requestId,
        requestKey: key,
      }

      const run = async (retry = false): Promise<unknown> => {
        if (limited && adef.daily && adef.idempotent && requestId && !retry) await countCall(platform, user, invocation.openid!, { write: false, daily: adef.daily })
        const out = await handler(parsed.data, retry ? { ...ctx, retry } : ctx)
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

      const data = key ? await once(platform, key, platform.settings?.requestLeaseMs ?? DEFAULT_LEASE_MS, run) : await run()
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
