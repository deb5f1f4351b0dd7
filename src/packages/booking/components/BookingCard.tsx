import { View, Text } from '@tarojs/components'
import { Card, Keep, Tag } from '@/components'
import { statusTagType } from '@/features/booking/format'
import type { BookingSummaryT, StaffBookingItemT } from '@/shared/api/booking'
import './booking.css'

/** One booking in a list: room, time, status; staff lists add the contact. */
export function BookingCard({ item, onClick, staff = false }: { item: BookingSummaryT | StaffBookingItemT; onClick?: () => void; staff?: boolean }) {
  const contact = staff && 'contactName' in item ? `${item.contactName} ${item.contactPhone}` : null
  return (
    <Card className={`bk-card bk-card--${item.status}`} title={item.roomName} extra={<Tag type={statusTagType(item.status)}>{item.statusLabel}</Tag>} onClick={onClick}>
      <Keep className='bk-card__time' text={item.timeText} />
      <Text className='bk-card__purpose'>
        {item.purpose} · {item.attendees} 人
      </Text>
      {contact ? (
        <View className='bk-card__contact'>
          <Text>
            {item.organisation ? `${item.organisation} · ` : ''}
            {contact}
          </Text>
        </View>
      ) : null}
    </Card>
  )
}
