import Taro from '@tarojs/taro'
import { View } from '@tarojs/components'
import { Button, PageRoot, PagedListView, useListPageEvents, usePagedList } from '@/components'
import { fetchMyBookings } from '@/features/booking/api'
import { BOOKING_URLS } from '@/features/booking/config'
import type { BookingSummaryT } from '@/shared/api/booking'
import { BookingCard } from '../../components/BookingCard'
import '../../components/booking.css'

const go = (url: string) => void Taro.navigateTo({ url })

/** 我的预约: every booking of the resident, latest use first, with its status. */
export function MyBookingsView() {
  const list = usePagedList<BookingSummaryT, string>(fetchMyBookings)
  useListPageEvents(list)
  return (
    <PageRoot className='bk-mine'>
      <PagedListView
        list={list}
        emptyText='您还没有预约过场地'
        emptyAction={
          <Button type='plain' className='bk-go-rooms' onClick={() => go(BOOKING_URLS.rooms)}>
            去预约场地
          </Button>
        }
      >
        <View className='bk-list'>
          {list.items.map((b) => (
            <BookingCard key={b.id} item={b} onClick={() => go(BOOKING_URLS.detail(b.id))} />
          ))}
        </View>
      </PagedListView>
    </PageRoot>
  )
}

export default function MyBookingsPage() {
  return <MyBookingsView />
}
