/** Cloud function `inbox`: the in-app notification centre (消息) with unread badges. */
import { z } from '../z'
import { action, defineFunction } from './define'
import { IdSchema, InstantOut, PageInput, pageOf } from './common'

export const NotificationItem = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  /** A page path inside the app, e.g. /packages/dispute/pages/detail/index?id=… */
  link: z.nullable(z.string()),
  read: z.boolean(),
  at: InstantOut,
})
export type NotificationItemT = z.infer<typeof NotificationItem>

export const inboxApi = defineFunction('inbox', {
  list: action({ read: true, summary: '我的消息，最新在前', access: 'member', input: PageInput, output: pageOf(NotificationItem) }),
  unread: action({ read: true, summary: '未读消息数（消息页角标）', access: 'user', input: z.strictObject({}), output: z.object({ count: z.number() }) }),
  markRead: action({
    summary: '标记已读：一条，或全部',
    access: 'member',
    input: z.strictObject({ id: z.optional(IdSchema) }),
    output: z.object({ count: z.number() }),
  }),
})
