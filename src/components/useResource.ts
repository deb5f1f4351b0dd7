import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { useCallback, useEffect, useRef, useState } from 'react'
import { toLoadError, type LoadError } from './usePagedList'

export interface Resource<T> {
  data: T | null
  /** Replace the data (e.g. with the answer of an action on it). */
  setData: (next: T) => void
  loading: boolean
  error: LoadError | null
  /** Loads again; resolves when done. */
  reload: () => Promise<void>
}

/**
 * One object a page shows (a case, a booking): first load, reload, pull-to-refresh, and the
 * loading / error state PageWrapper needs. `load` is `null` when the page cannot load (e.g. no
 * id in the URL): then `missing` is shown as the error.
 */
export function useResource<T>(load: (() => Promise<T>) | null, deps: readonly unknown[], missing = '缺少编号'): Resource<T> {
  const [data, setData] = useState<T | null>(null)
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<LoadError | null>(null)

  // The latest loader, so `reload` changes only when `deps` do.
  const loadRef = useRef(load)
  loadRef.current = load
  const reload = useCallback(async () => {
    const load = loadRef.current
    if (!load) {
      setError({ message: missing })
      setLoading(false)
      return
    }
    setLoading(true)
    try {
      setData(await load())
      setError(null)
    } catch (e) {
      setError(toLoadError(e))
    } finally {
      setLoading(false)
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps)

  useEffect(() => {
    void reload()
  }, [reload])

  usePullDownRefresh(() => {
    void reload().finally(() => Taro.stopPullDownRefresh())
  })

  return { data, setData, loading, error, reload }
}
