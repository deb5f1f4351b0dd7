import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useRef, useState } from 'react'
import { Button, PageRoot, PagedListView, cx, usePagedList } from '@/components'
import { fetchMyBookings } from '@/features/booking/api'
import { BOOKING_URLS } from '@/features/booking/config'
import type { BookingSummaryT } from '@/shared/api/booking'
import { BookingCard } from '../../components/BookingCard'
import '../../components/booking.css'

const go = (url: string) => void Taro.navigateTo({ url })

/**
 * 我的预约: the bookings still to come, soonest first; below, folded, those that ended or were
 * cancelled (latest first), loaded when opened.
 */
export function MyBookingsView() {
  const upcoming = usePagedList<BookingSummaryT, string>((cursor) => fetchMyBookings(cursor, 'upcoming'))
  const past = usePagedList<BookingSummaryT, string>((cursor) => fetchMyBookings(cursor, 'past'), { auto: false })
  const [pastOpen, setPastOpen] = useState(false)
  const shown = useRef(false)

  const refreshAll = () => Promise.all([upcoming.refresh(), pastOpen ? past.refresh() : Promise.resolve()])
  useDidShow(() => {
    // Back from a detail (cancelled, checked in): the current states. The first show comes with the mount.
    if (shown.current) void refreshAll()
    shown.current = true
  })
  usePullDownRefresh(() => {
    void refreshAll().finally(() => Taro.stopPullDownRefresh())
  })
  useReachBottom(() => {
    if (upcoming.hasMore) void upcoming.loadMore()
    else if (pastOpen) void past.loadMore()
  })

  const togglePast = () => {
    if (!pastOpen && !past.loaded) void past.refresh()
    setPastOpen(!pastOpen)
  }
  const noAddress = upcoming.error?.code === 'NOT_ONBOARDED'

  return (
    <PageRoot className='bk-mine'>
      <PagedListView
        list={upcoming}
        emptyText='没有待使用的预约'
        emptyAction={
          <Button type='plain' className='bk-go-rooms' onClick={() => go(BOOKING_URLS.rooms)}>
            去预约场地
          </Button>
        }
      >
        <View className='bk-list bk-upcoming'>
          {upcoming.items.map((b) => (
            <BookingCard key={b.id} item={b} onClick={() => go(BOOKING_URLS.detail(b.id))} />
          ))}
        </View>
      </PagedListView>

      {noAddress ? null : (
        <View className='bk-past'>
          <View
            className={cx('bk-past__toggle', pastOpen && 'bk-past__toggle--open')}
            hoverClass='bk-link--hover'
            aria-role='button'
            aria-expanded={pastOpen}
            onClick={togglePast}
          >
            <Text className='bk-past__title'>已结束 / 已取消</Text>
            <Text className='bk-past__action'>{pastOpen ? '收起' : '展开'}</Text>
          </View>
          {pastOpen ? (
            <PagedListView list={past} emptyText='没有已结束的预约'>
              <View className='bk-list bk-past__list'>
                {past.items.map((b) => (
                  <BookingCard key={b.id} item={b} onClick={() => go(BOOKING_URLS.detail(b.id))} />
                ))}
              </View>
            </PagedListView>
          ) : null}
        </View>
      )}
    </PageRoot>
  )
}

export default function MyBookingsPage() {
  return <MyBookingsView />
}
