/**
 * The property pages' data: each page's one resource (reloaded when the page is shown again, e.g.
 * back from rating or from a staff page) and its paged lists. Pages only lay these out.
 */
import { useDidShow } from '@tarojs/taro'
import { useCallback, useRef } from 'react'
import { useFilteredList, useListPageEvents, usePagedList, useResource, type PagedList, type Resource } from '@/components'
import { useSession } from '@/features/profile/useSession'
import type { Role } from '@/shared/api/define'
import type { BurstOutT, ComplaintOutT } from '@/shared/api/property'
import {
  fetchBursts,
  fetchComments,
  fetchComplaints,
  loadBoard,
  loadClose,
  loadCompanies,
  loadCompany,
  loadMyRating,
  loadResults,
  loadSettings,
  loadViolations,
  type BurstStatus,
  type CommentT,
} from './api'

/** Reloads a resource when its page is shown again (not on the first show: it is loading then). */
function useReloadOnShow(reload: () => Promise<void>): void {
  const shown = useRef(false)
  useDidShow(() => {
    if (shown.current) void reload()
    shown.current = true
  })
}

function useShownAgain<T>(res: Resource<T>): Resource<T> {
  useReloadOnShow(res.reload)
  return res
}

/** The signed-in person's roles ([] until known). */
export function useRoles(): { roles: readonly Role[]; known: boolean; hasProfile: boolean; verified: boolean } {
  const { session } = useSession()
  const p = session?.profile ?? null
  return { roles: p?.roles ?? [], known: session !== null, hasProfile: !!p, verified: !!p?.verified }
}

/** 红黑榜 of the latest published quarter, or of `quarter`. */
export function useBoard(quarter: string | null) {
  return useShownAgain(useResource(() => loadBoard(quarter), [quarter]))
}

export function useCompany(id: string) {
  return useShownAgain(useResource(id ? () => loadCompany(id) : null, [id], '缺少物业公司编号'))
}

export function useComments(id: string): PagedList<CommentT> {
  const list = usePagedList<CommentT, string>((cursor) => fetchComments(id, cursor), { auto: !!id })
  useListPageEvents(list)
  return list
}

export function useMyRating() {
  return useShownAgain(useResource(loadMyRating, []))
}

export function useResults() {
  return useShownAgain(useResource(loadResults, []))
}

export function useClose(quarter: string | null) {
  return useShownAgain(useResource(() => loadClose(quarter), [quarter]))
}

export function useCompanies() {
  return useShownAgain(useResource(loadCompanies, []))
}

export function useViolations(companyId: string) {
  return useShownAgain(
    useResource(
      companyId
        ? () =>
            Promise.all([loadViolations(companyId), loadCompany(companyId).catch(() => null), loadClose().catch(() => null)]).then(([v, c, close]) => ({
              items: v.items,
              companyName: c?.name ?? null,
              /** Quarters already published: their violations are corrected through 季度评定, not withdrawn. */
              published: (close?.quarters ?? []).filter((q) => q.state === 'published').map((q) => q.quarter),
            }))
        : null,
      [companyId],
      '缺少物业公司编号',
    ),
  )
}

export function useComplaints(): PagedList<ComplaintOutT> {
  const list = usePagedList<ComplaintOutT, string>(fetchComplaints)
  useListPageEvents(list)
  return list
}

/** 集中评价 of one status: reloads when the status changes, on show and pull-down; pages on. */
export function useBursts(status: BurstStatus): PagedList<BurstOutT> {
  const fetchPage = useCallback((cursor: string | undefined) => fetchBursts(status, cursor), [status])
  return useFilteredList<BurstOutT>(fetchPage)
}

/** 计分标准设置: the community's settings (not reloaded on show: it would undo what is being typed). */
export function useSettings() {
  return useResource(loadSettings, [])
}
