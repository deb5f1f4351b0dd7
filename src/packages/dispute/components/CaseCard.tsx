import { View, Text } from '@tarojs/components'
import { Card, Tag, cx } from '@/components'
import type { CaseSummaryT } from '@/shared/api/cases'
import { deadlineText, statusTagType, titleWithoutCategory } from '@/features/dispute/format'
import './dispute.css'

export interface CaseCardProps {
  item: CaseSummaryT
  /** Handlers also see the grid. */
  showGrid?: boolean
  onClick: () => void
}

/** One dispute in a list: category, status, excerpt, the next deadline, location. */
export function CaseCard({ item, showGrid = false, onClick }: CaseCardProps) {
  const due = deadlineText(item)
  return (
    <Card
      className={cx('case-card', item.overdue && 'case-card--overdue')}
      onClick={onClick}
      title={
        <Text>
          <Text className='case-card__category'>{item.category}</Text>
          {item.urgency === 'urgent' ? <Text className='case-card__urgent'> · 紧急</Text> : null}
        </Text>
      }
      extra={
        <Tag type={statusTagType(item.status)} className='case-card__status'>
          {item.statusLabel}
        </Tag>
      }
    >
      <Text className='case-card__title'>{titleWithoutCategory(item.title)}</Text>
      {due ? (
        <View className={cx('case-card__due', due.overdue && 'case-card__due--overdue')}>
          <Text>{due.text}</Text>
        </View>
      ) : null}
      <Text className='case-card__meta'>
        {item.locationText}
        {showGrid && item.gridName ? ` · ${item.gridName}` : ''}
      </Text>
    </Card>
  )
}
