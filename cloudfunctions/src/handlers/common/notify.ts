/**
 * Telling people something happened: an in-app notification (消息 tab, unread badge) and a
 * WeChat subscribe message (recorded in the outbox locally). One call per event, any number of
 * recipients; a subscribe message that cannot be sent never fails the action.
 */
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

export interface Notice {
  title: string
  body: string
  link?: string
  ref?: string
  /** Subscribe-message template key (TPL_<KEY> in production). */
  template: string
  /** Template fields: short values, as WeChat requires. */
  fields: Record<string, string>
}

export async function notifyPeople(ctx: Ctx, to: Iterable<string>, n: Notice): Promise<void> {
  const people = [...new Set([...to].filter(Boolean))]
  if (people.length === 0) return
  const now = ctx.clock.now()
  const docs: NotificationDoc[] = people.map((openid) => ({
    to: openid,
    title: n.title,
    body: n.body,
    link: n.link ?? null,
    read: false,
    createdAt: now,
    ref: n.ref ?? null,
  }))
  await ctx.db.collection('notifications').add({ data: docs as unknown as Record<string, unknown>[] })
  await Promise.all(
    people.map((openid) =>
      ctx.notify
        .subscribe({ touser: openid, template: n.template, page: n.link, data: n.fields })
        .catch((e: unknown) => ctx.log.warn('subscribe failed', { error: String(e) })),
    ),
  )
}

/** Community staff and admins (who see every queue of their community). */
export async function communityStaff(ctx: Ctx, communityId: string): Promise<string[]> {
  const res = await ctx.db
    .collection<{ _id: string }>('users')
    .where({ 'address.communityId': communityId, roles: ctx._.in(['staff', 'admin']) })
    .field({ _id: true })
    .limit(100)
    .get()
  return res.data.map((u) => u._id)
}

/** Street staff (街道) of a street. */
export async function streetStaff(ctx: Ctx, streetId: string): Promise<string[]> {
  const res = await ctx.db
    .collection<{ _id: string }>('users')
    .where({ 'address.streetId': streetId, roles: 'street' })
    .field({ _id: true })
    .limit(100)
    .get()
  return res.data.map((u) => u._id)
}

/** Work that follows a committed change and must not undo or fail it: errors are logged. */
export async function bestEffort(ctx: Ctx, what: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn()
  } catch (e) {
    ctx.log.error(`${what} failed`, { error: e instanceof Error ? e.message : String(e) })
  }
}
