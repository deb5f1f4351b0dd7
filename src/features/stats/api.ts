/**
 * What the statistics page loads, as plain functions over the one gateway. Errors are
 * `ApiError`s; the page shows them inline, so nothing here toasts.
 */
import { call } from '@/services/gateway'
import { statsApi, type LedgerOutT, type MonthStatsT } from '@/shared/api/stats'

const quiet = { toast: false } as const

export function loadMonthStats(month: string): Promise<MonthStatsT> {
  return call(statsApi, 'month', { month }, quiet)
}

/** Builds the month's 工作台账 in cloud storage: its file name and a temporary URL. */
export function makeLedger(month: string): Promise<LedgerOutT> {
  return call(statsApi, 'ledger', { month }, quiet)
}
