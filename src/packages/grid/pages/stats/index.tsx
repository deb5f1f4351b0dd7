import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useCallback, useEffect, useState } from 'react'
import { Card, PageRoot, PageWrapper, cx, toLoadError, type LoadError } from '@/components'
import { currentMonth } from '@/features/cases/format'
import { MonthSwitcher } from '@/features/cases/ui/MonthSwitcher'
import { loadGridStats } from '@/features/grid/api'
import { ratio } from '@/features/grid/format'
import type { GridStatsOutT } from '@/shared/api/grid'
import { paramOf } from '@/features/grid/config'
import '../../components/grid.css'

function Cellv({ label, value, tone, className }: { label: string; value: string; tone?: 'danger'; className?: string }) {
  return (
    <View className={cx('gs-cell', className, tone && `gs-cell--${tone}`)}>
      <Text className='gs-cell__value'>{value}</Text>
      <Text className='gs-cell__label'>{label}</Text>
    </View>
  )
}

/** The month's totals over the grids shown. */
function totals(s: GridStatsOutT) {
  const sum = (k: keyof GridStatsOutT['grids'][number]) => s.grids.reduce((n, g) => n + (g[k] as number), 0)
  return {
    visits: sum('visits'),
    visitsOnTime: sum('visitsOnTime'),
    overdueNow: sum('overdueNow'),
    tagged: sum('tagged'),
    reports: sum('reports'),
    reportsClosed: sum('reportsClosed'),
    reportsClosedOnTime: sum('reportsClosedOnTime'),
  }
}

/**
 * 网格统计 for a month: per grid 走访 (按期 / 总数), 当前逾期 / 重点户, 上报, 办结, 按期办结; the
 * community's reports by type and by department.
 */
export function GridStatsView({ initialMonth }: { initialMonth?: string }) {
  const thisMonth = currentMonth()
  const [month, setMonth] = useState(initialMonth && /^\d{4}-\d{2}$/.test(initialMonth) ? initialMonth : thisMonth)
  const [stats, setStats] = useState<GridStatsOutT | null>(null)
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<LoadError | null>(null)

  const load = useCallback(async (m: string) => {
    setLoading(true)
    setError(null)
    try {
      setStats(await loadGridStats(m))
    } catch (e) {
      setError(toLoadError(e))
    } finally {
      setLoading(false)
    }
  }, [])

  useEffect(() => {
    void load(month)
  }, [load, month])

  usePullDownRefresh(() => {
    void load(month).finally(() => Taro.stopPullDownRefresh())
  })

  const t = stats ? totals(stats) : null

  return (
    <PageRoot className='grid-stats'>
      <MonthSwitcher month={month} latest={thisMonth} onChange={setMonth} />

      <PageWrapper loading={loading && !stats} error={stats ? null : error} onRetry={() => void load(month)}>
        {stats && t ? (
          <View className={cx('gs-body', loading && 'gs-body--loading')}>
            <View className='gs-totals'>
              <Cellv className='gs-total--visits' label='走访（按期/总数）' value={ratio(t.visitsOnTime, t.visits)} />
              <Cellv className='gs-total--overdue' label='当前逾期/重点户' value={ratio(t.overdueNow, t.tagged)} tone={t.overdueNow ? 'danger' : undefined} />
              <Cellv className='gs-total--reports' label='上报' value={String(t.reports)} />
              <Cellv className='gs-total--closed' label='办结（按期）' value={`${t.reportsClosed}（${t.reportsClosedOnTime}）`} />
            </View>
            <Text className='gs-note'>走访按走访时间、上报按上报时间计入月份；「当前逾期」为此刻的情况。</Text>

            <Card title='各网格' className='gs-grids'>
              {stats.grids.length ? (
                stats.grids.map((g) => (
                  <View key={g.gridId} className={cx('gs-grid', `gs-grid--${g.gridId}`)}>
                    <Text className='gs-grid__name'>{g.gridName}</Text>
                    <View className='gs-grid__cells'>
                      <Cellv label='按期/走访' value={ratio(g.visitsOnTime, g.visits)} />
                      <Cellv label='逾期/重点户' value={ratio(g.overdueNow, g.tagged)} tone={g.overdueNow ? 'danger' : undefined} />
                      <Cellv label='上报' value={String(g.reports)} />
                      <Cellv label='办结/按期' value={`${g.reportsClosed}/${g.reportsClosedOnTime}`} />
                    </View>
                  </View>
                ))
              ) : (
                <Text className='gs-empty'>暂无网格</Text>
              )}
            </Card>

            <Card title='上报事项 · 按类型' className='gs-by-type'>
              {stats.byType.length ? (
                stats.byType.map((r) => (
                  <View key={r.type} className='gs-row'>
                    <Text className='gs-row__name'>{r.type}</Text>
                    <Text className='gs-row__value'>
                      上报 {r.reports} · 办结 {r.closed} · 按期 {r.closedOnTime}
                    </Text>
                  </View>
                ))
              ) : (
                <Text className='gs-empty'>本月没有上报事项</Text>
              )}
            </Card>

            <Card title='上报事项 · 按职能部门' className='gs-by-dept'>
              {stats.byDepartment.length ? (
                stats.byDepartment.map((r) => (
                  <View key={r.key} className='gs-row'>
                    <Text className='gs-row__name'>{r.name}</Text>
                    <Text className='gs-row__value'>
                      转办 {r.routed} · 办结 {r.resolved} · 按期 {r.resolvedOnTime}
                    </Text>
                  </View>
                ))
              ) : (
                <Text className='gs-empty'>本月没有转办到职能部门的事项</Text>
              )}
            </Card>
          </View>
        ) : null}
      </PageWrapper>
    </PageRoot>
  )
}

export default function GridStatsPage() {
  const router = useRouter()
  return <GridStatsView initialMonth={router.params.month ? paramOf(router.params.month) : undefined} />
}
