import type { ListPage } from '@/components/usePagedList'

/** One entry of the in-app notification centre (shape to be replaced by the shared schema). */
export interface NotificationItem {
  id: string
  title: string
  body: string
  /** ISO instant. */
  createdAt: string
  read: boolean
}

/**
 * Loads one page of the resident's notifications. A plain function (not a hook) so tests and
 * pages call it the same way.
 *
 * TODO(services): call the notifications service from src/services here; until it exists the
 * list is empty (no invented data).
 */
export async function fetchNotificationsPage(_cursor: string | undefined): Promise<ListPage<NotificationItem, string>> {
  return { items: [], nextCursor: null }
}
