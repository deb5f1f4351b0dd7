/**
 * The volunteer pages' data: lists with their filters, one activity kept current, the rotating
 * check-in QR. Pages only lay these out.
 */
import Taro, { useDidShow } from '@tarojs/taro'
import { useCallback, useEffect, useRef, useState } from 'react'
import { toLoadError, useFilteredList, useListPageEvents, usePagedList, useResource, type LoadError, type PagedList } from '@/components'
import type { ActivityDetailT, ActivitySummaryT } from '@/shared/api/volunteer'
import { fetchActivities, fetchMine, loadActivity, loadQr, type ActivityFilters } from './api'

/** The activity list for these filters: reloads when they change, on show, pull-down; pages on. */
export function useActivityList(filters: ActivityFilters): PagedList<ActivitySummaryT> {
  return useFilteredList(useCallback((cursor: string | undefined) => fetchActivities(filters, cursor), [filters]))
}

/** 即将参加 / 已参加. */
export function useMyActivities(when: 'upcoming' | 'past'): PagedList<ActivitySummaryT> {
  const list = usePagedList<ActivitySummaryT, string>((cursor) => fetchMine(when, cursor))
  useListPageEvents(list)
  return list
}

/** One activity, reloaded when the page is shown again (back from 编辑, 名单 or 二维码). */
export function useActivity(id: string) {
  const res = useResource<ActivityDetailT>(id ? () => loadActivity(id) : null, [id], '缺少活动编号')
  const shown = useRef(false)
  const { reload } = res
  useDidShow(() => {
    if (shown.current) void reload()
    shown.current = true
  })
  return res
}

export interface RotatingQr {
  qr: { token: string; code: string; expiresAt: string } | null
  error: LoadError | null
  loading: boolean
  reload: () => Promise<void>
}

function keepScreenOn(on: boolean): void {
  try {
    void Promise.resolve(Taro.setKeepScreenOn({ keepScreenOn: on })).catch(() => undefined)
  } catch {
    // an old client without it: the screen may dim, the QR still rotates
  }
}

/** Asked again this often even before `expiresAt` (the server rotates it every 60 s). */
export const QR_REFRESH_MS = 50_000

/**
 * The organiser's check-in QR and short code: fetched again every ~50 s and as soon as it
 * expires (the phone's clock may differ a little from the server's: whichever comes first), and
 * on show. The screen stays on meanwhile (weapp).
 */
export function useRotatingQr(id: string): RotatingQr {
  const [qr, setQr] = useState<RotatingQr['qr']>(null)
  const [error, setError] = useState<LoadError | null>(null)
  const [loading, setLoading] = useState(true)
  const alive = useRef(true)

  const reload = useCallback(async () => {
    if (!id) {
      setError({ message: '缺少活动编号' })
      setLoading(false)
      return
    }
    try {
      const next = await loadQr(id)
      if (!alive.current) return
      setQr(next)
      setError(null)
    } catch (e) {
      if (alive.current) setError(toLoadError(e))
    } finally {
      if (alive.current) setLoading(false)
    }
  }, [id])

  useEffect(() => {
    alive.current = true
    void reload()
    return () => {
      alive.current = false
    }
  }, [reload])

  // Next refresh: in 50 s, or just after this code expires if sooner; after a failed refresh
  // (the code on screen stays meanwhile), again in a few seconds.
  useEffect(() => {
    if (!qr) return
    const untilExpiry = Date.parse(qr.expiresAt) - Date.now() + 300
    const wait = error ? 5_000 : Math.max(1_000, Math.min(QR_REFRESH_MS, untilExpiry))
    const timer = setTimeout(() => void reload(), wait)
    return () => clearTimeout(timer)
  }, [qr, error, reload])

  const shown = useRef(false)
  useDidShow(() => {
    if (shown.current) void reload()
    shown.current = true
  })

  useEffect(() => {
    if (process.env.TARO_ENV !== 'weapp') return
    keepScreenOn(true)
    return () => keepScreenOn(false)
  }, [])

  return { qr, error, loading, reload }
}
