import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useCallback, useEffect, useState } from 'react'
import { Card, PageRoot, PageWrapper, cx, toLoadError, type LoadError } from '@/components'
import { loadStats } from '@/features/cases/data'
import { currentMonth, rateText } from '@/features/cases/format'
import { MonthSwitcher } from '@/features/cases/ui/MonthSwitcher'
import type { StatRowT } from '@/shared/api/cases'
import type { CaseKind } from '@/shared/rules/cases'
import './index.css'

type Stats = Awaited<ReturnType<typeof loadStats>>

/** What the figures are called for each kind: 接诉即办's 三率 for messages. */
const LABELS: Record<CaseKind, { title: string; received: string; onTime: string; success: string; successParts: [string, string]; unit: string }> = {
  dispute: { title: '纠纷统计', received: '受理量', onTime: '按期受理率', success: '调解成功率', successParts: ['成功', '未成'], unit: '件' },
  message: { title: '留言统计', received: '留言量', onTime: '响应率', success: '解决率', successParts: ['解决', '未能解决'], unit: '条' },
  event: { title: '巡查上报统计', received: '上报量', onTime: '按期受理率', success: '办结率', successParts: ['办结', '未能解决'], unit: '件' },
}

function BarRows({ rows, kind }: { rows: Array<{ key: string; name: string; row: StatRowT }>; kind: CaseKind }) {
  const l = LABELS[kind]
  const max = Math.max(1, ...rows.map((r) => r.row.received))
  return (
    <View className='bars'>
      {rows.map((r) => (
        <View key={r.key} className='bar-row'>
          <View className='bar-row__head'>
            <Text className='bar-row__name'>{r.name}</Text>
            <Text className='bar-row__value'>{r.row.received ? `${r.row.received} ${l.unit}` : `${r.row.accepted} ${l.unit}办理`}</Text>
          </View>
          <View className='bar-row__track'>
            <View className={cx('bar-row__fill', r.row.received === 0 && 'bar-row__fill--zero')} style={{ width: `${(r.row.received / max) * 100}%` }} />
          </View>
          <Text className='bar-row__rates'>
            {l.onTime.replace('率', '')} {rateText(r.row.onTimeRate)} · {l.success.replace('率', '')} {rateText(r.row.successRate)} · 满意 {rateText(r.row.satisfactionRate)}
          </Text>
        </View>
      ))}
    </View>
  )
}

/**
 * 统计 for either kind of case: disputes' 受理量, 按期受理率, 调解成功率, 满意率; messages' 响应率,
 * 解决率, 满意率 — by category, grid and staff member for a community's staff, and each community
 * side by side for the street.
 */
export function CaseStatsView({ kind = 'dispute' }: { kind?: CaseKind }) {
  const l = LABELS[kind]
  const thisMonth = currentMonth()
  const [month, setMonth] = useState(thisMonth)
  const [stats, setStats] = useState<Stats | null>(null)
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<LoadError | null>(null)

  const load = useCallback(async (m: string) => {
    setLoading(true)
    setError(null)
    try {
      setStats(await loadStats(kind, m))
    } catch (e) {
      setError(toLoadError(e))
    } finally {
      setLoading(false)
    }
  }, [kind])

  useEffect(() => {
    void load(month)
  }, [load, month])

  usePullDownRefresh(() => {
    void load(month).finally(() => Taro.stopPullDownRefresh())
  })

  const t = stats?.total

  return (
    <PageRoot className='dispute-stats'>
      <MonthSwitcher month={month} latest={thisMonth} onChange={setMonth} />

      <PageWrapper loading={loading && !stats} error={stats ? null : error} onRetry={() => void load(month)}>
        {stats && t ? (
          <View className={cx('stats-body', loading && 'stats-body--loading')}>
            <View className='figures'>
              <View className='figure'>
                <Text className='figure__value'>{t.received}</Text>
                <Text className='figure__label'>{l.received}</Text>
              </View>
              <View className='figure'>
                <Text className='figure__value'>{rateText(t.onTimeRate)}</Text>
                <Text className='figure__label'>{l.onTime}</Text>
                <Text className='figure__base'>
                  {t.acceptedOnTime}/{t.accepted} {l.unit}按期
                </Text>
              </View>
              <View className='figure'>
                <Text className='figure__value'>{rateText(t.successRate)}</Text>
                <Text className='figure__label'>{l.success}</Text>
                <Text className='figure__base'>
                  {l.successParts[0]} {t.resolved} · {l.successParts[1]} {t.failed}
                </Text>
              </View>
              <View className='figure'>
                <Text className='figure__value'>{rateText(t.satisfactionRate)}</Text>
                <Text className='figure__label'>满意率</Text>
                <Text className='figure__base'>
                  {t.satisfied}/{t.rated} {l.unit}满意
                </Text>
              </View>
            </View>
            <Text className='stats-note'>按提交月份统计；「默认满意」计入满意。</Text>

            {stats.byCommunity.length ? (
              <Card title='各社区' className='stats-by-community'>
                <BarRows kind={kind} rows={stats.byCommunity} />
              </Card>
            ) : null}
            <Card title='按类别' className='stats-by-category'>
              <BarRows kind={kind} rows={stats.byCategory.map((r) => ({ key: r.key, name: r.key, row: r.row }))} />
            </Card>
            {stats.byCommunity.length ? null : (
              <Card title='按网格' className='stats-by-grid'>
                {stats.byGrid.length ? <BarRows kind={kind} rows={stats.byGrid} /> : <Text className='stats-empty'>暂无网格</Text>}
              </Card>
            )}
            {stats.byStaff.length ? (
              <Card title='按承办人' className='stats-by-staff'>
                <BarRows kind={kind} rows={stats.byStaff} />
              </Card>
            ) : null}
          </View>
        ) : null}
      </PageWrapper>
    </PageRoot>
  )
}

export default function CaseStatsPage() {
  const kind = useRouter().params.kind === 'message' ? 'message' : 'dispute'
  useEffect(() => {
    void Taro.setNavigationBarTitle({ title: LABELS[kind].title })
  }, [kind])
  return <CaseStatsView kind={kind} />
}
