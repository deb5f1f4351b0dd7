import type { PropsWithChildren, ReactNode } from 'react'
import { LoadMore } from '../LoadMore'
import { PageWrapper } from '../PageWrapper'
import type { PagedList } from '../usePagedList'

export interface PagedListViewProps {
  /** The state from usePagedList. */
  list: PagedList<unknown>
  /** Override "loaded and no items" (e.g. when the page filters what it shows). */
  empty?: boolean
  emptyText?: string
  emptyAction?: ReactNode
  className?: string
}

/**
 * A paginated list area: first-load skeleton, error with 重试 (only before anything arrived —
 * later failures show in the foot), the empty state, the items, and the 加载更多 foot.
 */
export function PagedListView({ list, empty, emptyText, emptyAction, className, children }: PropsWithChildren<PagedListViewProps>) {
  return (
    <PageWrapper
      loading={list.loading && !list.loaded}
      error={list.loaded ? null : list.error}
      empty={empty ?? (list.loaded && list.items.length === 0)}
      emptyText={emptyText}
      emptyAction={emptyAction}
      onRetry={() => void list.refresh()}
      className={className}
    >
      {children}
      <LoadMore loading={list.loading} hasMore={list.hasMore} error={list.error} onLoadMore={() => void list.loadMore()} />
    </PageWrapper>
  )
}
