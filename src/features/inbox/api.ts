/** 消息 (the in-app notification centre): plain functions over the gateway. */
import Taro from '@tarojs/taro'
import type { ListPage } from '@/components/usePagedList'
import { call } from '@/services/gateway'
import { inboxApi, type NotificationItemT } from '@/shared/api/inbox'
import { onAppShow } from '../app-events'

export type InboxItem = NotificationItemT

/** The tab bar index of 消息 (app.config.ts: 首页, 办事, 消息, 我的). */
export const MESSAGES_TAB_INDEX = 2

export async function fetchInboxPage(cursor: string | undefined): Promise<ListPage<InboxItem, string>> {
  const res = await call(inboxApi, 'list', cursor ? { cursor } : {}, { toast: false })
  return { items: res.items, nextCursor: res.nextCursor }
}

export async function markRead(id: string): Promise<void> {
  await call(inboxApi, 'markRead', { id }, { toast: false })
}

/** 全部已读; returns how many were marked. Errors toast (a tap, not a form). */
export async function markAllRead(): Promise<number> {
  const res = await call(inboxApi, 'markRead', {})
  return res.count
}

export async function fetchUnreadCount(): Promise<number> {
  const res = await call(inboxApi, 'unread', {}, { toast: false })
  return res.count
}

/** Tab-bar badge text: '' hides it. */
export function unreadBadgeText(count: number): string {
  if (count <= 0) return ''
  return count > 99 ? '99+' : String(count)
}

/**
 * Shows the unread count on the 消息 tab (or removes the badge). Never throws: a failed count
 * or a page without a tab bar (subpackage pages in weapp) just leaves the badge as it was.
 */
export async function applyUnreadBadge(count: number): Promise<void> {
  const text = unreadBadgeText(count)
  try {
    if (text) await Taro.setTabBarBadge({ index: MESSAGES_TAB_INDEX, text })
    else await Taro.removeTabBarBadge({ index: MESSAGES_TAB_INDEX })
  } catch {
    // not on a tab page, or no tab bar yet
  }
}

let lastCount = 0
const listeners = new Set<(count: number) => void>()

/** Subscribe to unread-count changes (首页 shows a hint). */
export function onUnread(l: (count: number) => void): () => void {
  listeners.add(l)
  return () => listeners.delete(l)
}

export function lastUnreadCount(): number {
  return lastCount
}

/** Sets the known unread count, updates the badge and tells listeners. */
export async function setUnreadCount(count: number): Promise<void> {
  lastCount = Math.max(0, count)
  listeners.forEach((l) => l(lastCount))
  await applyUnreadBadge(lastCount)
}

/** Asks the backend for the unread count and shows it (app show, page show). Never throws. */
export async function refreshUnread(): Promise<number> {
  try {
    const count = await fetchUnreadCount()
    await setUnreadCount(count)
    return count
  } catch {
    return lastCount
  }
}

// The badge follows the app coming back to the foreground (the tab pages also refresh on show).
onAppShow(() => {
  void refreshUnread()
})
