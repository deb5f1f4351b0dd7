import { useDidShow } from '@tarojs/taro'
import { useCallback, useEffect, useRef, useState } from 'react'
import { getSession, loadSession, onSession, type Session } from '@/services/session'
import { toLoadError, type LoadError } from '@/components/usePagedList'

export interface SessionState {
  session: Session | null
  /** The first load is in flight (nothing cached yet). */
  loading: boolean
  error: LoadError | null
  /** Reloads from the backend (pull-down refresh, retry). */
  reload: () => Promise<void>
}

/**
 * The signed-in person (cached `user.me`), following every change (onboarding, 修改资料).
 * Loads on mount when nothing is cached; a page shown again (tab switch, back) refreshes it in
 * the background so a verification done by staff shows up without restarting.
 */
export function useSession(): SessionState {
  const [session, setSession] = useState<Session | null>(getSession)
  const [loading, setLoading] = useState(() => getSession() === null)
  const [error, setError] = useState<LoadError | null>(null)
  const shown = useRef(false)

  const load = useCallback(async (force: boolean) => {
    if (!getSession()) setLoading(true)
    try {
      const s = await loadSession(force)
      setSession(s)
      setError(null)
    } catch (e) {
      setError(toLoadError(e))
    } finally {
      setLoading(false)
    }
  }, [])

  useEffect(() => {
    const off = onSession((s) => setSession(s))
    void load(false)
    return () => {
      off()
    }
  }, [load])

  useDidShow(() => {
    // The first show comes with the mount (already loading); later shows refresh.
    if (shown.current) void load(true)
    shown.current = true
  })

  const reload = useCallback(() => load(true), [load])
  return { session, loading: loading && !session, error: session ? null : error, reload }
}
