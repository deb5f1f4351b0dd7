/** The grid pages' data hooks: one object kept current when the page is shown again; 网格户籍 a page at a time. */
import { useDidShow } from '@tarojs/taro'
import { useCallback, useRef, useState } from 'react'
import { useFilteredList, useResource, type PagedList, type Resource } from '@/components'
import type { HouseholdRowT } from '@/shared/api/grid'
import { fetchHouseholds, type HouseholdFilter } from './api'

/**
 * `useResource` (first load, pull-down, retry) that also reloads when the page is shown again —
 * back from a household after a visit, or from the report form — so counts and states are current.
 */
export function useShownResource<T>(load: (() => Promise<T>) | null, deps: readonly unknown[], missing?: string): Resource<T> {
  const res = useResource<T>(load, deps, missing)
  const shown = useRef(false)
  const { reload } = res
  useDidShow(() => {
    if (shown.current) void reload()
    shown.current = true
  })
  return res
}

/**
 * 网格户籍 for a filter, a page at a time, as every list page: loaded again when the filter
 * changes, when the page is shown again (back from a visit) and on pull-down; the next page at the
 * bottom (加载更多). The grid's name comes with every page.
 */
export function useHouseholdList(gridId: string, filter: HouseholdFilter): { list: PagedList<HouseholdRowT>; gridName: string | null } {
  const [gridName, setGridName] = useState<string | null>(null)
  const fetchPage = useCallback(
    async (cursor: string | undefined) => {
      if (!gridId) throw new Error('缺少网格编号')
      const page = await fetchHouseholds(gridId, filter, cursor)
      setGridName(page.gridName)
      return page
    },
    [gridId, filter],
  )
  return { list: useFilteredList(fetchPage), gridName }
}
