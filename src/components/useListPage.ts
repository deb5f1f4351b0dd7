import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import { useRef } from 'react'
import type { PagedList } from './usePagedList'

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
