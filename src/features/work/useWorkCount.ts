import { useDidShow } from '@tarojs/taro'
import { useEffect, useRef, useState } from 'react'
import { lastWorkCount, onWorkCount, showWorkCount } from './badge'

/**
 * The 工作台 count (0 for people without one), refreshed when the page is shown again: 我的 and
 * 办事 show it beside 工作台, and the 我的 tab's badge follows (features/work/badge.ts).
 */
export function useWorkCount(): number {
  const [count, setCount] = useState(lastWorkCount)
  const shown = useRef(false)
  useEffect(() => onWorkCount(setCount), [])
  useDidShow(() => {
    // The first show: the session's arrival refreshes it (badge.ts); later shows put it back on the tab, asking again when it is old.
    if (shown.current) void showWorkCount()
    shown.current = true
  })
  return count
}
