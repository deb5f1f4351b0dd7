/** The grid pages' data hooks: one object kept current when the page is shown again. */
import { useDidShow } from '@tarojs/taro'
import { useRef } from 'react'
import { useResource, type Resource } from '@/components'

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
