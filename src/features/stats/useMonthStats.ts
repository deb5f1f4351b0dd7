import { useCallback, useEffect, useRef, useState } from 'react'
import { toLoadError, type LoadError } from '@/components'
import type { LedgerOutT, MonthStatsT } from '@/shared/api/stats'
import type { StatsScope } from '@/shared/rules/stats'
import { loadMonthStats, makeLedger } from './api'
import { IS_WEAPP, openLedger } from './download'

/**
 * The statistics page's state: the month shown, its figures (a month switched to keeps the last
 * figures on screen, dimmed, until the new ones arrive), the tab, and the 台账 of the month.
 */
export function useMonthStats(initialMonth: string) {
  const [month, setMonthState] = useState(initialMonth)
  const [stats, setStats] = useState<MonthStatsT | null>(null)
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<LoadError | null>(null)
  const [tab, setTab] = useState<StatsScope>('community')
  const [ledger, setLedger] = useState<{ state: 'idle' | 'working' | 'ready' | 'failed'; file?: LedgerOutT; message?: string }>({ state: 'idle' })
  const latest = useRef(month)

  const load = useCallback(async (m: string) => {
    latest.current = m
    setLoading(true)
    setError(null)
    try {
      const s = await loadMonthStats(m)
      if (latest.current !== m) return
      setStats(s)
      setTab((t) => (s.tabs.includes(t) ? t : s.tabs[0]))
    } catch (e) {
      if (latest.current === m) setError(toLoadError(e))
    } finally {
      if (latest.current === m) setLoading(false)
    }
  }, [])

  useEffect(() => {
    void load(month)
  }, [load, month])

  const setMonth = useCallback((m: string) => {
    setLedger({ state: 'idle' })
    setMonthState(m)
  }, [])

  /** Builds the month's 台账; weapp opens it at once, H5 shows the link. */
  const exportLedger = useCallback(async () => {
    setLedger({ state: 'working' })
    try {
      const file = await makeLedger(month)
      if (IS_WEAPP) await openLedger(file)
      setLedger({ state: 'ready', file })
    } catch (e) {
      setLedger({ state: 'failed', message: e instanceof Error && e.message ? e.message : '台账生成失败，请稍后重试' })
    }
  }, [month])

  return { month, setMonth, stats, loading, error, reload: () => load(month), tab, setTab, ledger, exportLedger }
}
