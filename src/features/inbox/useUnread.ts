import { useDidShow } from '@tarojs/taro'
import { useEffect, useRef, useState } from 'react'
import { lastUnreadCount, onUnread, refreshUnread } from './api'

/** The unread message count, refreshed when the page mounts and whenever it is shown again. */
export function useUnread(): number {
  const [count, setCount] = useState(lastUnreadCount)
  const shown = useRef(false)
  useEffect(() => {
    const off = onUnread(setCount)
    void refreshUnread()
    return () => {
      off()
    }
  }, [])
  useDidShow(() => {
    // The first show comes with the mount (already refreshing); later shows refresh again.
    if (shown.current) void refreshUnread()
    shown.current = true
  })
  return count
}
