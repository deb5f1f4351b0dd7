import { useCallback, useEffect, useRef, useState } from 'react'

/** One page of a list as the backend returns it: the items and the cursor of the next page. */
export interface ListPage<T, C = string> {
  items: T[]
  /** Cursor (or page number) of the next page; null/undefined when this was the last page. */
  nextCursor?: C | null
}

/** Fetches the page after `cursor` (undefined = first page). Throw ({message}) on failure. */
export type FetchPage<T, C = string> = (cursor: C | undefined) => Promise<ListPage<T, C>>

export interface PagedList<T> {
  items: T[]
  /** A request (first load, refresh or next page) is in flight. */
  loading: boolean
  /** The in-flight request is a first load or a refresh (the list will be replaced). */
  refreshing: boolean
  /** The last request failed; items from before stay. */
  error: LoadError | null
  hasMore: boolean
  /** At least one page arrived (distinguishes "not loaded yet" from "empty"). */
  loaded: boolean
  /** Reloads from the first page; resolves when done (pass to usePullDownRefresh). */
  refresh: () => Promise<void>
  /** Appends the next page; does nothing while loading or when there is no more. */
  loadMore: () => Promise<void>
}

export interface PagedListOptions {
  /** Load the first page on mount (default true). */
  auto?: boolean
}

const FALLBACK_MESSAGE = '加载失败，请稍后重试'

/** A failed load as PageWrapper shows it: the message, and the error code when there is one. */
export interface LoadError {
  message: string
  /** `FORBIDDEN`, `NOT_FOUND`…: PageWrapper says so instead of offering 重试. */
  code?: string
}

/** Any thrown value (an ApiError, a network failure) → a LoadError. */
export function toLoadError(e: unknown): LoadError {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined
  return typeof code === 'string' ? { message: errorMessage(e), code } : { message: errorMessage(e) }
}

export function errorMessage(e: unknown): string {
  if (typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string') {
    const m = (e as { message: string }).message
    if (m) return m
  }
  return FALLBACK_MESSAGE
}

/**
 * First load, pull-down refresh and "load more" for a cursor-paginated list. Generic over the
 * item and cursor types; the page passes its fetch function (from src/services), so this hook
 * knows nothing about the backend. A refresh supersedes any request in flight; stale answers
 * are dropped.
 */
export function usePagedList<T, C = string>(fetchPage: FetchPage<T, C>, options: PagedListOptions = {}): PagedList<T> {
  const { auto = true } = options
  const [items, setItems] = useState<T[]>([])
  const [loading, setLoading] = useState(auto)
  const [refreshing, setRefreshing] = useState(auto)
  const [error, setError] = useState<LoadError | null>(null)
  const [hasMore, setHasMore] = useState(true)
  const [loaded, setLoaded] = useState(false)

  const fetchRef = useRef(fetchPage)
  fetchRef.current = fetchPage
  const cursorRef = useRef<C | undefined>(undefined)
  const generationRef = useRef(0)
  const inFlightRef = useRef(false)
  const hasMoreRef = useRef(true)
  const mountedRef = useRef(true)

  const run = useCallback(async (reset: boolean): Promise<void> => {
    const generation = reset ? ++generationRef.current : generationRef.current
    const cursor = reset ? undefined : cursorRef.current
    inFlightRef.current = true
    setLoading(true)
    setRefreshing(reset)
    setError(null)
    try {
      const page = await fetchRef.current(cursor)
      if (!mountedRef.current || generation !== generationRef.current) return
      const next = page.nextCursor ?? undefined
      cursorRef.current = next
      hasMoreRef.current = next !== undefined
      setItems((prev) => (reset ? page.items : prev.concat(page.items)))
      setHasMore(hasMoreRef.current)
      setLoaded(true)
    } catch (e) {
      if (!mountedRef.current || generation !== generationRef.current) return
      setError(toLoadError(e))
    } finally {
      if (mountedRef.current && generation === generationRef.current) {
        inFlightRef.current = false
        setLoading(false)
        setRefreshing(false)
      }
    }
  }, [])

  const refresh = useCallback(() => run(true), [run])
  const loadMore = useCallback(async () => {
    if (inFlightRef.current || !hasMoreRef.current) return
    await run(false)
  }, [run])

  useEffect(() => {
    mountedRef.current = true
    if (auto) void run(true)
    return () => {
      mountedRef.current = false
    }
  }, [auto, run])

  return { items, loading, refreshing, error, hasMore, loaded, refresh, loadMore }
}
