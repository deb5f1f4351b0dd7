import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import { useEffect, useRef } from 'react'
import { usePagedList, type FetchPage, type PagedList } from './usePagedList'

/**
 * A list page's events for its `usePagedList`: shown again (back from a detail or a form) →
 * refresh, so states and unread marks are current; pull-down → refresh; the bottom → next page.
 */
export function useListPageEvents(list: Pick<PagedList<unknown>, 'refresh' | 'loadMore'>): void {
  const shown = useRef(false)
  useDidShow(() => {
    // The first show comes with the mount (the list is already loading).
    if (shown.current) void list.refresh()
    shown.current = true
  })
  usePullDownRefresh(() => {
    void list.refresh().finally(() => Taro.stopPullDownRefresh())
  })
  useReachBottom(() => {
    void list.loadMore()
  })
}

/**
 * A list page's list for its filters: `fetchPage` (memoised by the page on its filters) loads the
 * first page again whenever it changes, and the page's events are `useListPageEvents`'.
 */
export function useFilteredList<T>(fetchPage: FetchPage<T>): PagedList<T> {
  const list = usePagedList<T, string>(fetchPage, { auto: false })
  const { refresh } = list
  useEffect(() => {
    void refresh()
  }, [fetchPage, refresh])
  useListPageEvents(list)
  return list
}
