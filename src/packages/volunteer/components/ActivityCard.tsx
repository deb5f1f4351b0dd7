import { View, Text } from '@tarojs/components'
import { Card, Tag, cx } from '@/components'
import { mineTag, phaseTagType, placesText, rewardText } from '@/features/volunteer/format'
import type { ActivitySummaryT } from '@/shared/api/volunteer'
import './volunteer.css'

/** One activity in a list: title and phase, category and my state, time, place, places left, hours and points. */
export function ActivityCard({ item, onClick }: { item: ActivitySummaryT; onClick?: () => void }) {
  const mine = mineTag(item.mine)
  const live = item.phase === 'open' || item.phase === 'full'
  return (
    <Card className={cx('vol-card', `vol-card--${item.phase}`)} title={item.title} extra={<Tag type={phaseTagType(item.phase)}>{item.phaseLabel}</Tag>} onClick={onClick}>
      <View className='vol-card__tags'>
        <Tag type='info' className='vol-card__category'>
          {item.category}
        </Tag>
        {mine ? (
          <Tag type={mine.type} className='vol-card__mine'>
            {mine.label}
          </Tag>
        ) : null}
      </View>
      <Text className='vol-card__line vol-card__time'>{item.timeText}</Text>
      <Text className='vol-card__sub vol-card__place'>{item.place}</Text>
      <View className='vol-card__foot'>
        {live ? <Text className={cx('vol-places', item.placesLeft === 0 && 'vol-places--full')}>{placesText(item)}</Text> : <Text className='vol-card__sub'>共 {item.capacity} 个名额</Text>}
        <Text className='vol-reward'>{rewardText(item)}</Text>
      </View>
    </Card>
  )
}
