/**
 * The in-app notification centre (消息): list, unread count, mark read. A notification may tell
 * several people (common/notify.ts): each reader's own notice is picked out, and their read mark
 * is their openid in `readBy` (`read` stays the mark of one-person notifications written before).
 * Each action is the caller's record and one indexed request.
 */
import type { inboxApi } from '../../../../src/shared/api/inbox'
import type { HandlersOf } from '../../runtime/serve'
import { pageArgs, pageResult } from '../common/paging'
import { noticeFor, type NotificationDoc } from '../common/notify'

type H = HandlersOf<typeof inboxApi>

export const list: H['list'] = async (input, ctx) => {
  const { skip, limit } = pageArgs(input)
  const res = await ctx.db
    .collection<NotificationDoc & { _id: string }>('notifications')
    .where({ to: ctx.openid })
    .orderBy('createdAt', 'desc')
    .skip(skip)
    .limit(limit + 1)
    .get()
  return pageResult(
    res.data.map((n) => ({ id: n._id, ...noticeFor(n, ctx.openid), at: n.createdAt.toISOString() })),
    input,
  )
}

/** Not read by the caller: `read` false (one-person notifications) and the caller not among its readers. */
const unreadBy = (ctx: Parameters<H['unread']>[1]) => ({ to: ctx.openid, read: false, readBy: ctx._.nin([ctx.openid]) })

export const unread: H['unread'] = async (_input, ctx) => {
  const res = await ctx.db.collection('notifications').where(unreadBy(ctx)).count()
  return { count: res.total }
}

export const markRead: H['markRead'] = async (input, ctx) => {
  const where = input.id ? { _id: input.id, ...unreadBy(ctx) } : unreadBy(ctx)
  const res = await ctx.db.collection('notifications').where(where).update({ data: { readBy: ctx._.addToSet(ctx.openid) } })
  return { count: res.stats.updated }
}
