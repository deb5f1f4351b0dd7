import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { cx } from '@/components'
import { barLayout, lineLayout, nothingToDraw, type BarDatum, type LinePoint } from '@/features/stats/chart'
import type { Tile } from '@/features/stats/format'
import './stats.css'

/**
 * Horizontal bars, one per row: the name and the value above, the bar below (its length the
 * value's share of `max`, or of the largest value), the row's other figures under it.
 */
export function BarChart({ bars, max, empty, className }: { bars: readonly BarDatum[]; max?: number; empty: string; className?: string }) {
  if (nothingToDraw(bars)) return <Text className={cx('st-empty', className && `${className}--empty`)}>{empty}</Text>
  return (
    <View className={cx('st-bars', className)}>
      {barLayout(bars, max).map((b) => (
        <View key={b.key} className='st-bar' aria-label={`${b.label}：${b.text}`}>
          <View className='st-bar__head'>
            <Text className='st-bar__label'>{b.label}</Text>
            <Text className='st-bar__value'>{b.text}</Text>
          </View>
          <View className='st-bar__track'>
            <View className={cx('st-bar__fill', b.percent === 0 && 'st-bar__fill--zero')} style={{ width: `${b.percent}%` }} />
          </View>
          {b.note ? <Text className='st-bar__note'>{b.note}</Text> : null}
        </View>
      ))}
    </View>
  )
}

/** The plot's width: the screen less the page's and the card's padding (a phone's 375 px in tests). */
function plotWidth(): number {
  try {
    const api = Taro as unknown as { getWindowInfo?: () => { windowWidth?: number } }
    const w = (api.getWindowInfo ?? Taro.getSystemInfoSync)().windowWidth || 375
    return Math.max(240, Math.min(w, 560) - 64)
  } catch {
    return 311
  }
}

/** A line over the points (dots joined by segments), with guides at 0, half and the top of the scale. */
export function LineChart({ points, max, unit = '', empty, width, height = 150, className }: { points: readonly LinePoint[]; max: number; unit?: string; empty: string; width?: number; height?: number; className?: string }) {
  if (nothingToDraw(points)) return <Text className={cx('st-empty', className && `${className}--empty`)}>{empty}</Text>
  const l = lineLayout(points, width ?? plotWidth(), height, max, unit)
  const px = (n: number) => `${Math.round(n * 10) / 10}px`
  return (
    <View className={cx('st-line', className)} style={{ width: px(l.width), height: px(l.height) }} aria-label={points.map((p) => `${p.label} ${p.value ?? '—'}${unit}`).join('，')}>
      {l.guides.map((g) => (
        <View key={g.label} className='st-line__guide' style={{ left: px(l.left), top: px(g.y), width: px(l.right - l.left) }}>
          <Text className='st-line__guide-label'>{g.label}</Text>
        </View>
      ))}
      {l.segments.map((s) => (
        <View key={s.key} className='st-line__segment' style={{ left: px(s.x), top: px(s.y), width: px(s.length), transform: `rotate(${Math.round(s.angle * 100) / 100}deg)` }} />
      ))}
      {l.points.map((p) =>
        p.y === null ? null : <View key={p.key} className='st-line__dot' style={{ left: px(p.x), top: px(p.y) }} />,
      )}
      {l.points
        .filter((p) => p.showLabel)
        .map((p) => (
          <Text key={p.key} className='st-line__x' style={{ left: px(p.x), top: px(l.bottom + 6) }}>
            {p.label}
          </Text>
        ))}
    </View>
  )
}

/** Headline figures: three to a row, four as two rows of two (two to a row in 长辈模式). */
export function Tiles({ tiles, className }: { tiles: readonly Tile[]; className?: string }) {
  return (
    <View className={cx('st-tiles', `st-tiles--n${tiles.length}`, className)}>
      {tiles.map((t) => (
        <View key={t.key} className={cx('st-tile', `st-tile--${t.key}`)}>
          <Text className='st-tile__value'>{t.value}</Text>
          <Text className='st-tile__label'>{t.label}</Text>
          {t.note ? <Text className='st-tile__note'>{t.note}</Text> : null}
        </View>
      ))}
    </View>
  )
}
