import { View, Text } from '@tarojs/components'
import { Tag, cx } from '@/components'
import { barPercent, correctionLines, deductionText, dimensionRows, listTagType, overallText, score2, type CorrectionT } from '@/features/property/format'
import type { ScoreOutT } from '@/shared/api/property'
import './property.css'

/** The overall score (big), its list, why, and the deductions. */
export function ScoreHead({ score, size = 'large' }: { score: ScoreOutT; size?: 'large' | 'small' }) {
  const deduction = deductionText(score)
  return (
    <View className={cx('pm-score-head', `pm-score-head--${size}`)}>
      <View className='pm-score-head__main'>
        <Text className={cx('pm-overall', !score.published && 'pm-overall--none')}>{overallText(score)}</Text>
        {score.published ? <Text className='pm-overall__unit'>分</Text> : null}
        <Tag type={listTagType(score.list)} className={cx('pm-list-tag', `pm-list-tag--${score.list}`)}>
          {score.listLabel}
        </Tag>
      </View>
      <Text className='pm-reason'>{score.reason}</Text>
      <Text className='pm-sub pm-n'>
        {score.n} 户评价
        {score.published ? ` · 六项平均 ${score2(score.base)}` : ''}
      </Text>
      {deduction ? <Text className='pm-sub pm-deduction'>扣分：{deduction}</Text> : null}
    </View>
  )
}

/** Per-dimension bars (1–5); none for a score not published (too few ratings: its numbers would mislead). */
export function DimensionBars({ score }: { score: ScoreOutT }) {
  if (!score.published) return null
  return (
    <View className='pm-dims'>
      {dimensionRows(score.dims).map((d) => (
        <View key={d.key} className={cx('pm-dim', `pm-dim--${d.key}`)} aria-label={`${d.label} ${score2(d.value)} 分`}>
          <Text className='pm-dim__label'>{d.label}</Text>
          <View className='pm-dim__track'>
            <View className='pm-dim__bar' style={{ width: `${barPercent(d.value)}%` }} />
          </View>
          <Text className='pm-dim__value'>{score2(d.value)}</Text>
        </View>
      ))}
    </View>
  )
}

/** 已更正：原 x.xx → 现 y.yy，原因… (one line per correction, oldest first). */
export function Corrections({ original, corrections }: { original: ScoreOutT; corrections: readonly CorrectionT[] }) {
  if (!corrections.length) return null
  return (
    <View className='pm-corrections'>
      {correctionLines(original, corrections).map((line, i) => (
        <Text key={i} className='pm-correction'>
          {line}
        </Text>
      ))}
    </View>
  )
}
