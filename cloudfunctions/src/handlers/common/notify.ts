/**
 * Telling people something happened: an in-app notification (消息 tab, unread badge) and a
 * WeChat subscribe message (recorded in the outbox locally).
 *
 * One notification document per change, whoever it tells: `to` lists everyone it reached, each
 * reader's read mark is their openid in `readBy`, and a change that tells two groups different
 * things (the handlers one thing, the resident another) keeps the further notices in `more`. So
 * telling a community's five staff members is one write, not five. Written either in the change's
 * own transaction (cases: `noticeDoc`) or as an effect settled after it (common/effects.ts); the
 * subscribe messages go out after the commit, at most once, and never turn the done change into an
 * error answer. A refused one is counted per person and template (`subscribe_log`).
 */
import { DB_DUPLICATE_KEY, isDbError } from '../../platform/db'
import type { SubscribeResult } from '../../platform/port'
import type { TemplateContent, TemplateKey } from '../../platform/templates'
import type { Ctx } from '../../runtime/context'

export interface NotificationDoc {
  _id?: string
  /** Who it tells: one person, several, or nobody (`''`: a change that told no one). */
  to: string | string[]
  title: string
  body: string
  link: string | null
  /** The read mark of a one-person notification; shared ones mark each reader in `readBy`. */
  read: boolean
  readBy?: string[]
  createdAt: Date
  /** What it is about, e.g. `case:<id>`. */
  ref: string | null
  /** Further notices of the same change, each to its own people (the first notice, above, tells the rest of `to`). */
  more?: Array<{ to: string[]; title: string; body: string; link: string | null }>
}

/** A notice resolved to the people it tells. */
export interface Told {
  to: string[]
  notice: Notice
}

/** The one notification document of a change that tells `told` (nobody: `to` is empty, nobody sees it). */
export function noticeDoc(id: string, told: Told[], at: Date): NotificationDoc & { _id: string } {
  const groups = told.filter((t) => t.to.length > 0)
  const [first, ...rest] = groups
  const to = [...new Set(groups.flatMap((g) => g.to))]
  return {
    _id: id,
    // One person (the usual case) as a plain string, nobody as '': only a notice to several people
    // holds a list (a multikey index in CloudBase; the local engine sorts such a person's page in
    // memory while the collection holds one).
    to: to.length === 1 ? to[0] : to.length === 0 ? '' : to,
    title: first?.notice.title ?? '',
    body: first?.notice.body ?? '',
    link: first?.notice.link ?? null,
    read: false,
    readBy: [],
    createdAt: at,
    ref: first?.notice.ref ?? null,
    ...(rest.length ? { more: rest.map((g) => ({ to: g.to, title: g.notice.title, body: g.notice.body, link: g.notice.link ?? null })) } : {}),
  }
}

/** What one reader sees of a notification: their notice, and whether they read it. */
export function noticeFor(n: NotificationDoc, openid: string): { title: string; body: string; link: string | null; read: boolean } {
  const own = n.more?.find((m) => m.to.includes(openid))
  return {
    title: own?.title ?? n.title,
    body: own?.body ?? n.body,
    link: own ? own.link : n.link,
    read: n.read || !!n.readBy?.includes(openid),
  }
}

/**
 * The subscribe messages of notices just committed, at most once (only the call whose write
 * created the notification sends them). Never throws: a refusal is counted (`subscribe_log`), a
 * failure to count it is logged.
 */
export async function sendSubscribes(ctx: Ctx, told: Told[]): Promise<void> {
  const refused: Array<{ openid: string; template: TemplateKey; result: Extract<SubscribeResult, { outcome: 'refused' }> }> = []
  await Promise.all(
    told.flatMap((t) =>
      t.to.map(async (openid) => {
        const content: TemplateContent = t.notice
        let result: SubscribeResult
        try {
          result = await ctx.notify.subscribe({ ...content, touser: openid, page: t.notice.link })
        } catch (err) {
          // The port answers rather than throws; an adapter that threw anyway is counted as refused.
          result = { outcome: 'refused', errCode: null, reason: String(err) }
          ctx.log.warn('subscribe failed', { error: String(err) })
        }
        if (result.outcome === 'refused') refused.push({ openid, template: t.notice.template, result })
      }),
    ),
  )
  await Promise.all(
    refused.map(({ openid, template, result }) =>
      recordSubscribe(ctx, openid, template, result).catch((err: unknown) =>
        ctx.log.warn('subscribe result not recorded', { template, error: err instanceof Error ? err.message : String(err) }),
      ),
    ),
  )
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
 * Refused per person and template (`subscribe_log/<openid>:<template>`): how many subscribe
 * messages WeChat refused, and the last refusal with its errcode (43101: no subscription left —
 * the person was not asked or said no; 47003: the template refuses a value — check
 * TPL_<KEY>_FIELDS). A sent message costs no write: its notification is its record (and the
 * outbox, locally). A skipped message (no template id configured) is not an attempt.
 */
export const SUBSCRIBE_LOG = 'subscribe_log'

export interface SubscribeLogDoc {
  _id: string
  openid: string
  template: TemplateKey
  refused: number
  lastErrCode: number | null
  lastReason: string | null
  lastAt: Date
}

export const subscribeLogId = (openid: string, template: TemplateKey): string => `${openid}:${template}`

/** Count a refusal on the person's record (one conditional update; created on the first). Throws on a database failure: the caller logs it. */
export async function recordSubscribe(ctx: Ctx, openid: string, template: TemplateKey, result: SubscribeResult): Promise<void> {
  if (result.outcome !== 'refused') return
  const id = subscribeLogId(openid, template)
  const last = { lastErrCode: result.errCode, lastReason: result.reason.slice(0, 200), lastAt: ctx.clock.now() }
  const log = ctx.db.collection(SUBSCRIBE_LOG)
  const bump = async () => (await log.where({ _id: id }).update({ data: { refused: ctx._.inc(1), ...last } })).stats.updated === 1
  if (await bump()) return
  const doc: SubscribeLogDoc = { _id: id, openid, template, refused: 1, ...last }
  try {
    await log.add({ data: doc as unknown as Record<string, unknown> })
  } catch (err) {
    // Created meanwhile by another refusal for the same person: count on it.
    if (!isDbError(err, DB_DUPLICATE_KEY) || !(await bump())) throw err
  }
}
