/**
 * The client gateway: the only place the client talks to the backend.
 *   call(userApi, 'onboard', payload)
 * validates the payload with the action's shared zod schema before sending (bad input never
 * leaves the phone), sends it through `wx.cloud.callFunction` in the mini-program or the local
 * HTTP gateway in H5, validates the answer with the output schema, and turns an error envelope
 * into an `ApiError` (shown as a Chinese toast unless the caller shows it inline).
 */
import Taro from '@tarojs/taro'
import type { FunctionDef, InputOf, OutputOf } from '@/shared/api/define'
import { DEFAULT_MESSAGES, type Envelope, type ErrorBody, type ErrorCode, type FieldIssue } from '@/shared/errors'
import { toFieldIssues, z } from '@/shared/z'

export class ApiError extends Error {
  readonly code: ErrorCode
  readonly issues: FieldIssue[]
  constructor(body: ErrorBody) {
    super(body.message)
    this.name = 'ApiError'
    this.code = body.code
    this.issues = body.issues ?? []
  }
  /** Field errors keyed by top-level field name, for inline display. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {}
    for (const i of this.issues) {
      const key = i.path.split('.')[0] || '_'
      if (!(key in out)) out[key] = i.message
    }
    return out
  }
}

export interface CallOptions {
  /** Sent with idempotent actions so a retry returns the first result. */
  requestId?: string
  /** false: do not toast the error (the caller shows it inline). Default true. */
  toast?: boolean
}

export type Transport = (fn: string, event: { action: string; payload: unknown; requestId?: string }) => Promise<Envelope<unknown>>

const h5Transport: Transport = async (fn, event) => {
  const res = await fetch(`/api/${fn}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(event),
  })
  return (await res.json()) as Envelope<unknown>
}

let cloudReady = false
/** wx.cloud must be initialised once before the first call; the environment id comes from the build. */
export function ensureCloud(): void {
  if (cloudReady) return
  Taro.cloud.init({ env: process.env.TARO_APP_CLOUD_ENV || undefined, traceUser: true })
  cloudReady = true
}

const weappTransport: Transport = async (fn, event) => {
  ensureCloud()
  const res = await Taro.cloud.callFunction({ name: fn, data: event })
  return res.result as Envelope<unknown>
}

let transport: Transport = process.env.TARO_ENV === 'weapp' ? weappTransport : h5Transport

/** Tests swap the transport (e.g. to call the local cloud in-process). */
export function setTransport(t: Transport): void {
  transport = t
}

export function newRequestId(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}`
}

function toast(message: string): void {
  Taro.showToast({ title: message, icon: 'none', duration: 2500 }).catch(() => undefined)
}

export async function call<F extends FunctionDef, K extends keyof F['actions'] & string>(
  fn: F,
  action: K,
  payload: InputOf<F, K>,
  opts: CallOptions = {},
): Promise<OutputOf<F, K>> {
  const def = fn.actions[action]
  const fail = (body: ErrorBody): never => {
    const err = new ApiError(body)
    if (opts.toast !== false) toast(body.message)
    throw err
  }
  const parsed = z.safeParse(def.input, payload)
  if (!parsed.success) {
    const issues = toFieldIssues(parsed.error)
    fail({ code: 'INVALID_INPUT', message: `填写的内容有误：${issues[0]?.message ?? ''}`, issues })
  }
  let env: Envelope<unknown>
  try {
    env = await transport(fn.name, { action, payload: parsed.data, ...(opts.requestId ? { requestId: opts.requestId } : {}) })
  } catch {
    return fail({ code: 'INTERNAL', message: '网络不太好，请检查网络后重试' })
  }
  if (!env || typeof env !== 'object' || !('ok' in env)) return fail({ code: 'INTERNAL', message: DEFAULT_MESSAGES.INTERNAL })
  if (!env.ok) return fail(env.error)
  const out = z.safeParse(def.output, env.data)
  if (!out.success) return fail({ code: 'INTERNAL', message: '数据格式异常，请更新小程序后重试' })
  return out.data as OutputOf<F, K>
}
