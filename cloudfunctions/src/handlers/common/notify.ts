/**
 * Telling people something happened: an in-app notification (消息 tab, unread badge) and a
 * WeChat subscribe message (recorded in the outbox locally). Sent as an effect of the change it
 * follows (common/effects.ts): carried by that change's own write, delivered once, never the cause
 * of an error answer; a subscribe message that cannot be sent is logged, and every attempt is
 * counted per person and template (`subscribe_log`, recordSubscribe below).
 */
import { DB_DUPLICATE_KEY, isDbError } from '../../platform/db'
import type { SubscribeResult } from '../../platform/port'
import type { TemplateContent, TemplateKey } from '../../platform/templates'
import type { Ctx } from '../../runtime/context'

export interface NotificationDoc {
  _id?: string
  to: string
  title: string
  body: string
  link: string | null
  read: boolean
  createdAt: Date
  /** What it is about, e.g. `case:<id>`. */
  ref: string | null
}

/**
 * What a person is told. `template` is a subscribe-message key of platform/templates.ts (TPL_<KEY>
 * in production) and `fields` exactly that template's declared fields, by our names (`subject`,
 * `status`, `time` …): the adapter maps them to the template's keys and fits each value to its
 * type (platform/subscribe-fields.ts), so handlers need not cut values to WeChat's lengths.
 */
export type Notice = {
  title: string
  body: string
  link?: string
  ref?: string
} & TemplateContent

/** `Omit` for each template's Notice (a plain `Omit` of the union would lose which fields go with which template). */
export type NoticeWithout<K extends 'link' | 'ref'> = Notice extends infer N ? (N extends unknown ? Omit<N, K> : never) : never

/**
 * Sent / refused per person and template (`subscribe_log/<openid>:<template>`): how many subscribe
 * messages reached the person, how many WeChat refused, and the last answer with its errcode
 * (43101: no subscription left — the person was not asked or said no; 47003: the template refuses
 * a value — check TPL_<KEY>_FIELDS). A skipped message (no template id configured) is not an
 * attempt and is not counted.
 */
export const SUBSCRIBE_LOG = 'subscribe_log'

export interface SubscribeLogDoc {
  _id: string
  openid: string
  template: TemplateKey
  sent: number
  refused: number
  last: 'sent' | 'refused'
  lastErrCode: number | null
  lastReason: string | null
  lastAt: Date
}

export const subscribeLogId = (openid: string, template: TemplateKey): string => `${openid}:${template}`

/** Count one attempt's result on the person's record (one conditional update; created on the first). Throws on a database failure: the caller logs it. */
export async function recordSubscribe(ctx: Ctx, openid: string, template: TemplateKey, result: SubscribeResult): Promise<void> {
  if (result.outcome === 'skipped') return
  const id = subscribeLogId(openid, template)
  const sent = result.outcome === 'sent'
  const last = {
    last: result.outcome,
    lastErrCode: sent ? null : result.errCode,
    lastReason: sent ? null : result.reason.slice(0, 200),
    lastAt: ctx.clock.now(),
  }
  const counted = { [sent ? 'sent' : 'refused']: ctx._.inc(1) }
  const log = ctx.db.collection(SUBSCRIBE_LOG)
  const bump = async () => (await log.where({ _id: id }).update({ data: { ...counted, ...last } })).stats.updated === 1
  if (await bump()) return
  const doc: SubscribeLogDoc = { _id: id, openid, template, sent: sent ? 1 : 0, refused: sent ? 0 : 1, ...last }
  try {
    await log.add({ data: doc as unknown as Record<string, unknown> })
  } catch (err) {
    // Created meanwhile by another message to the same person: count on it.
    if (!isDbError(err, DB_DUPLICATE_KEY) || !(await bump())) throw err
  }
}
