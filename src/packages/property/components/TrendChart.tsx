import { View, Text, Canvas } from '@tarojs/components'
import { useEffect, useMemo, useState } from 'react'
import { useElderMode } from '@/components'
import { Chips } from '@/features/cases/ui/Chips'
import { drawTrend } from '@/features/property/chart'
import { DIMENSIONS, DIMENSION_LABELS, trendPointText, trendSeries, type Dimension } from '@/features/property/format'
import { getCanvas2d } from '@/features/volunteer/canvas'
import type { CompanyOutT } from '@/shared/api/property'
import './property.css'

const CANVAS_ID = 'pm-trend-canvas'
const OPTIONS = [{ key: 'overall' as const, label: '综合' }, ...DIMENSIONS.map((d) => ({ key: d, label: DIMENSION_LABELS[d] }))]

/**
 * 信用档案: the score per published quarter as a line (a gap where a quarter had too few ratings),
 * for the overall or one dimension; the same numbers as a list beside it for screen readers and
 * anyone who prefers reading them.
 */
export function TrendChart({ trend }: { trend: CompanyOutT['trend'] }) {
  const [which, setWhich] = useState<Dimension | 'overall'>('overall')
  const { elder } = useElderMode()
  const series = useMemo(() => trendSeries(trend, which), [trend, which])

  useEffect(() => {
    if (!series.length) return
    let alive = true
    void getCanvas2d(`#${CANVAS_ID}`).then((c) => {
      if (alive && c) drawTrend(c.ctx, c.width, c.height, series, elder ? 18 : 11)
    })
    return () => {
      alive = false
    }
  }, [series, elder])

  if (!trend.length) return <Text className='pm-sub pm-trend-empty'>还没有公布过季度结果，公布后这里显示历年走势。</Text>
  const label = which === 'overall' ? '综合得分' : `${DIMENSION_LABELS[which]}得分`
  return (
    <View className='pm-trend'>
      <Chips name='trend' columns={4} options={OPTIONS} value={which} onChange={setWhich} className='pm-trend__chips' />
      <Canvas type='2d' id={CANVAS_ID} className='pm-trend__canvas' />
      <Text className='pm-sub pm-trend__legend'>红色虚线：红榜线 4.5 分；黑色虚线：黑榜线 3.0 分</Text>
      <View className='pm-trend__text' aria-label={`${label}走势`}>
        {series.map((p) => (
          <Text key={p.quarter} className='pm-trend__item'>
            {trendPointText(p)}
          </Text>
        ))}
      </View>
    </View>
  )
}
