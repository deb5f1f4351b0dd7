/** The 工作台 page's data: the summary, loaded on mount, on pull-down and whenever the page is shown again (back from handling an item). */
import { useDidShow } from '@tarojs/taro'
import { useRef } from 'react'
import { useResource, type Resource } from '@/components'
import { loadSummary, type WorkSummaryT } from './api'

export function useWorkbench(): Resource<WorkSummaryT> {
  const res = useResource(loadSummary, [])
  const shown = useRef(false)
  useDidShow(() => {
    // The first show comes with the mount (already loading); later shows reload.
    if (shown.current) void res.reload()
    shown.current = true
  })
  return res
}
