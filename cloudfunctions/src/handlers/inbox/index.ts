/** The in-app notification centre (消息): list, unread count, mark read. */
import type { inboxApi } from '../../../../src/shared/api/inbox'
import type { HandlersOf } from '../../runtime/serve'
import { pageArgs, pageResult } from '../common/paging'
import type { NotificationDoc } from '../common/notify'

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
    res.data.map((n) => ({ id: n._id, title: n.title, body: n.body, link: n.link, read: n.read, at: n.createdAt.toISOString() })),
    input,
  )
}

export const unread: H['unread'] = async (_input, ctx) => {
  const res = await ctx.db.collection('notifications').where({ to: ctx.openid, read: false }).count()
  return { count: res.total }
}

export const markRead: H['markRead'] = async (input, ctx) => {
  const where = input.id ? { _id: input.id, to: ctx.openid, read: false } : { to: ctx.openid, read: false }
  const res = await ctx.db.collection('notifications').where(where).update({ data: { read: true } })
  return { count: res.stats.updated }
}
