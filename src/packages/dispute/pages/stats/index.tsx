import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useCallback, useEffect, useState } from 'react'
import { Card, PageRoot, PageWrapper, cx, toLoadError, type LoadError } from '@/components'
import { loadStats } from '@/features/cases/data'
import { addMonths, currentMonth, monthLabel, rateText } from '@/features/cases/format'
import type { StatRowT } from '@/shared/api/cases'
import './index.css'

type Stats = Awaited<ReturnType<typeof loadStats>>

function BarRows({ rows }: { rows: Array<{ key: string; name: string; row: StatRowT }> }) {
  const max = Math.max(1, ...rows.map((r) => r.row.received))
  return (
    <View className='bars'>
      {rows.map((r) => (
        <View key={r.key} className='bar-row'>
          <View className='bar-row__head'>
            <Text className='bar-row__name'>{r.name}</Text>
            <Text className='bar-row__value'>{r.row.received} 件</Text>
          </View>
          <View className='bar-row__track'>
            <View className={cx('bar-row__fill', r.row.received === 0 && 'bar-row__fill--zero')} style={{ width: `${(r.row.received / max) * 100}%` }} />
          </View>
          <Text className='bar-row__rates'>
            按期受理 {rateText(r.row.onTimeRate)} · 调解成功 {rateText(r.row.successRate)} · 满意 {rateText(r.row.satisfactionRate)}
          </Text>
        </View>
      ))}
    </View>
  )
}

/** 纠纷统计 (staff): the month's 受理量, 按期受理率, 调解成功率, 满意率, by category and by grid. */
export function DisputeStatsView() {
  const thisMonth = currentMonth()
  const [month, setMonth] = useState(thisMonth)
  const [stats, setStats] = useState<Stats | null>(null)
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<LoadError | null>(null)

  const load = useCallback(async (m: string) => {
    setLoading(true)
    setError(null)
    try {
      setStats(await loadStats('dispute', m))
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

  const atLatest = month >= thisMonth
  const t = stats?.total

  return (
    <PageRoot className='dispute-stats'>
      <View className='month-picker'>
        <View className='month-picker__btn month-prev' hoverClass='month-picker__btn--hover' onClick={() => setMonth((m) => addMonths(m, -1))} aria-label='上个月'>
          <Text>‹</Text>
        </View>
        <Text className='month-picker__label'>{monthLabel(month)}</Text>
        <View
          className={cx('month-picker__btn', 'month-next', atLatest && 'month-picker__btn--disabled')}
          hoverClass={atLatest ? 'none' : 'month-picker__btn--hover'}
          onClick={() => {
            if (!atLatest) setMonth((m) => addMonths(m, 1))
          }}
          aria-label='下个月'
        >
          <Text>›</Text>
        </View>
      </View>

      <PageWrapper loading={loading && !stats} error={stats ? null : error} onRetry={() => void load(month)}>
        {stats && t ? (
          <View className={cx('stats-body', loading && 'stats-body--loading')}>
            <View className='figures'>
              <View className='figure'>
                <Text className='figure__value'>{t.received}</Text>
                <Text className='figure__label'>受理量</Text>
              </View>
              <View className='figure'>
                <Text className='figure__value'>{rateText(t.onTimeRate)}</Text>
                <Text className='figure__label'>按期受理率</Text>
                <Text className='figure__base'>
                  {t.acceptedOnTime}/{t.accepted} 件按期
                </Text>
              </View>
              <View className='figure'>
                <Text className='figure__value'>{rateText(t.successRate)}</Text>
                <Text className='figure__label'>调解成功率</Text>
                <Text className='figure__base'>
                  成功 {t.resolved} · 未成 {t.failed}
                </Text>
              </View>
              <View className='figure'>
                <Text className='figure__value'>{rateText(t.satisfactionRate)}</Text>
                <Text className='figure__label'>满意率</Text>
                <Text className='figure__base'>
                  {t.satisfied}/{t.rated} 件满意
                </Text>
              </View>
            </View>
            <Text className='stats-note'>按提交月份统计；「默认满意」计入满意。</Text>

            <Card title='按类别' className='stats-by-category'>
              <BarRows rows={stats.byCategory.map((r) => ({ key: r.key, name: r.key, row: r.row }))} />
            </Card>
            <Card title='按网格' className='stats-by-grid'>
              {stats.byGrid.length ? <BarRows rows={stats.byGrid} /> : <Text className='stats-empty'>暂无网格</Text>}
            </Card>
          </View>
        ) : null}
      </PageWrapper>
    </PageRoot>
  )
}

export default function DisputeStatsPage() {
  return <DisputeStatsView />
}
