import { View, Text } from '@tarojs/components'
import { Badge, Card, Tag, cx } from '@/components'
import type { CaseSummaryT } from '@/shared/api/cases'
import { deadlineText, shownStatus, statusTagType, titleWithoutCategory, UTILITY_LABEL } from '../format'
import './cases.css'

export interface CaseCardProps {
  item: CaseSummaryT
  /** Handlers also see the grid. */
  showGrid?: boolean
  onClick: () => void
}

/**
 * One case in a list: category, status, excerpt, the next deadline, location, and for messages
 * the posts the viewer has not read yet.
 */
export function CaseCard({ item, showGrid = false, onClick }: CaseCardProps) {
  const due = deadlineText(item)
  const urgent = item.urgency === 'urgent' ? (item.kind === 'message' ? UTILITY_LABEL : '紧急') : null
  return (
    <Card
      className={cx('case-card', item.overdue && 'case-card--overdue', item.unread > 0 && 'case-card--unread')}
      onClick={onClick}
      title={
        <Text>
          <Text className='case-card__category'>{item.category}</Text>
          {urgent ? <Text className='case-card__urgent'> · {urgent}</Text> : null}
        </Text>
      }
      extra={
        <View className='case-card__extra'>
          {item.unread > 0 ? (
            <View className='case-card__unread' aria-label={`${item.unread} 条新回复`}>
              <Badge count={item.unread} />
            </View>
          ) : null}
          <Tag type={statusTagType(item.status)} className='case-card__status'>
            {shownStatus(item)}
          </Tag>
        </View>
      }
    >
      <Text className='case-card__title'>{titleWithoutCategory(item.title)}</Text>
      {due ? (
        <View className={cx('case-card__due', due.overdue && 'case-card__due--overdue', due.paused && 'case-card__due--paused')}>
          <Text>{due.text}</Text>
        </View>
      ) : null}
      <Text className='case-card__meta'>
        {item.locationText}
        {showGrid && item.gridName ? ` · ${item.gridName}` : ''}
      </Text>
      {item.departmentName ? <Text className='case-card__meta case-card__dept'>承办部门：{item.departmentName}</Text> : null}
    </Card>
  )
}
