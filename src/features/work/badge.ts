/**
 * The 工作台 count on the 我的 tab (the tab that hosts 工作台), for grid workers, staff, admins and
 * the street — set the way the 消息 tab's unread count is (features/inbox/api.ts): on app show, when
 * the signed-in person is known or changes, and whenever a page learns the count (the workbench
 * itself, 我的). Main package: it imports only the badge's own contract (`work.badge`, a few
 * hundred bytes), never the workbench's.
 */
import Taro from '@tarojs/taro'
import { call } from '@/services/gateway'
import { getSession, onSession, type Session } from '@/services/session'
import type { Role } from '@/shared/api/define'
import { WORK_ROLES, workBadgeApi } from '@/shared/api/work-badge'
import { onAppShow } from '../app-events'

/** The tab bar index of 我的 (app.config.ts: 首页, 办事, 消息, 我的). */
export const MINE_TAB_INDEX = 3

/** Has a 工作台: grid workers, community staff and admins, the street. */
export function hasWorkRole(roles: readonly Role[] | null | undefined): boolean {
  return !!roles && roles.some((r) => WORK_ROLES.includes(r))
}

/** Tab-bar badge text: '' hides it. */
export function workBadgeText(count: number): string {
  if (count <= 0) return ''
  return count > 99 ? '99+' : String(count)
}

let lastCount = 0
/** When the count was last learned (from `work.badge` or the workbench's summary), on this phone's clock. */
let learnedAt = 0
/** When the server counted the count shown (the server's clock): an older count never replaces it. */
let countedAt = 0
const listeners = new Set<(count: number) => void>()

export function lastWorkCount(): number {
  return lastCount
}

/** Subscribe to changes of the count (我的 and 办事 show it beside 我的待办). */
export function onWorkCount(l: (count: number) => void): () => void {
  listeners.add(l)
  return () => listeners.delete(l)
}

/** Shows the count on the 我的 tab (or removes it). Never throws: off a tab page the badge stays as it was. */
async function applyBadge(count: number): Promise<void> {
  const text = workBadgeText(count)
  try {
    if (text) await Taro.setTabBarBadge({ index: MINE_TAB_INDEX, text })
    else await Taro.removeTabBarBadge({ index: MINE_TAB_INDEX })
  } catch {
    // not on a tab page (weapp refuses there: the next tab page shown sets it), or no tab bar yet
  }
}

/**
 * Sets the known count (the workbench's total), updates the badge and tells listeners. `at`: when
 * the server counted it — the badge's count is kept a minute by the server, so it may be older
 * than the workbench the person has just seen; then the newer one stays.
 */
export async function setWorkCount(count: number, at?: number): Promise<void> {
  learnedAt = Date.now()
  if (at !== undefined) {
    if (at < countedAt) return applyBadge(lastCount)
    countedAt = at
  }
  lastCount = Math.max(0, count)
  listeners.forEach((l) => l(lastCount))
  await applyBadge(lastCount)
}

/** Asks the backend for the count and shows it; nothing for people without a 工作台. Never throws. */
export async function refreshWorkBadge(session: Session | null = getSession()): Promise<number> {
  if (!hasWorkRole(session?.profile?.roles)) {
    countedAt = 0
    if (lastCount > 0) await setWorkCount(0)
    return 0
  }
  try {
    const res = await call(workBadgeApi, 'badge', {}, { toast: false })
    await setWorkCount(res.total, res.countedAt)
    return lastCount
  } catch {
    return lastCount
  }
}

/**
 * A tab page shown again: the count as known when it is recent (put on the tab from here, where
 * the platform allows it), else asked again — switching tabs does not ask every time.
 */
export async function showWorkCount(maxAgeMs = 30_000): Promise<void> {
  const session = getSession()
  if (!hasWorkRole(session?.profile?.roles)) return
  if (Date.now() - learnedAt < maxAgeMs) await applyBadge(lastCount)
  else await refreshWorkBadge(session)
}

// The badge follows the app coming back to the foreground, and the signed-in person: a new
// session or other roles at once, the same one at most once a minute (pages reload it on show).
let lastKey = ''
onSession((s) => {
  const key = s?.profile ? `${s.openid}:${s.profile.roles.join(',')}` : ''
  if (key === lastKey && Date.now() - learnedAt < 60_000) return
  // Another person (or other roles): their count, however it compares with the last one's.
  if (key !== lastKey) countedAt = 0
  lastKey = key
  void refreshWorkBadge(s)
})
onAppShow(() => {
  void refreshWorkBadge()
})
