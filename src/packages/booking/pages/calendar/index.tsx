import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { View, Text, Picker } from '@tarojs/components'
import { useCallback, useEffect, useState } from 'react'
import { Button, Card, PageRoot, PageWrapper, Tag, cx, toLoadError, type LoadError } from '@/components'
import { loadCalendar } from '@/features/booking/api'
import { BOOKING_URLS } from '@/features/booking/config'
import { shiftDate, statusTagType, todayShanghai, weekTitle } from '@/features/booking/format'
import '../../components/booking.css'

type Calendar = Awaited<ReturnType<typeof loadCalendar>>
type Span = 'day' | 'week'

/** 预约日历: every room of the community for a day or a Monday–Sunday week, with blackouts. */
export function CalendarView() {
  const [date, setDate] = useState(todayShanghai)
  const [span, setSpan] = useState<Span>('day')
  const [data, setData] = useState<Calendar | null>(null)
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<LoadError | null>(null)

  const load = useCallback(async () => {
    setLoading(true)
    try {
      setData(await loadCalendar(date, span))
      setError(null)
    } catch (e) {
      setError(toLoadError(e))
    } finally {
      setLoading(false)
    }
  }, [date, span])

  useEffect(() => {
    void load()
  }, [load])
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh())
  })

  const step = span === 'week' ? 7 : 1
  const title = data ? (span === 'week' ? weekTitle(data.from, data.to) : data.dates[0].label) : date

  return (
    <PageRoot className='bk-calendar'>
      <View className='bk-links'>
        <View className='bk-chips' aria-role='radiogroup'>
          {(['day', 'week'] as const).map((s) => (
            <View key={s} className={cx('bk-chip', `bk-span-${s}`, span === s && 'bk-chip--on')} aria-role='radio' aria-checked={span === s} onClick={() => setSpan(s)}>
              <Text>{s === 'day' ? '按天' : '按周'}</Text>
            </View>
          ))}
        </View>
      </View>
      <View className='bk-cal-nav'>
        <Button size='small' className='bk-cal-prev' onClick={() => setDate((d) => shiftDate(d, -step))}>
          {span === 'week' ? '上一周' : '前一天'}
        </Button>
        <Picker mode='date' className='bk-cal-nav__picker' value={date} onChange={(e) => setDate(String(e.detail.value))}>
          <Text className='bk-cal-nav__date'>{title}</Text>
        </Picker>
        <Button size='small' className='bk-cal-next' onClick={() => setDate((d) => shiftDate(d, step))}>
          {span === 'week' ? '下一周' : '后一天'}
        </Button>
      </View>

      <PageWrapper loading={loading && !data} error={data ? null : error} onRetry={() => void load()} empty={!!data && data.rooms.length === 0} emptyText='本社区还没有场地'>
        {data ? (
          <View className='bk-list'>
            {data.rooms.map((room) => {
              const bookings = data.bookings.filter((b) => b.roomId === room.id)
              const blackouts = data.blackouts.filter((b) => b.roomId === null || b.roomId === room.id)
              return (
                <Card key={room.id} title={room.name} extra={room.active ? <Tag type='muted'>{room.capacity} 人</Tag> : <Tag type='muted'>已停用</Tag>} className='bk-cal-room'>
                  {bookings.length === 0 && blackouts.length === 0 ? <Text className='bk-cal-room__none'>暂无预约</Text> : null}
                  {data.dates.map((d) => {
                    const dayBookings = bookings.filter((b) => b.date === d.date)
                    const dayBlackouts = blackouts.filter((b) => b.date === d.date)
                    if (dayBookings.length === 0 && dayBlackouts.length === 0) return null
                    return (
                      <View key={d.date}>
                        {span === 'week' ? <Text className='bk-cal-day'>{d.label}</Text> : null}
                        {dayBlackouts.map((b) => (
                          <View key={b.id} className='bk-cal-item bk-cal-item--blackout'>
                            <Text className='bk-cal-item__time'>{b.text}</Text>
                            <Text className='bk-cal-item__main'>停用：{b.reason}</Text>
                          </View>
                        ))}
                        {dayBookings.map((b) => (
                          <View key={b.id} className='bk-cal-item' hoverClass='bk-link--hover' onClick={() => void Taro.navigateTo({ url: BOOKING_URLS.detail(b.id) })}>
                            <Text className='bk-cal-item__time'>
                              {b.start}–{b.end}
                            </Text>
                            <View className='bk-cal-item__main'>
                              <Tag type={statusTagType(b.status)}>{b.statusLabel}</Tag>
                              <Text>
                                {' '}
                                {b.purpose} · {b.attendees} 人 · {b.contactName} {b.contactPhone}
                              </Text>
                            </View>
                          </View>
                        ))}
                      </View>
                    )
                  })}
                </Card>
              )
            })}
          </View>
        ) : null}
      </PageWrapper>
    </PageRoot>
  )
}

export default function CalendarPage() {
  return <CalendarView />
}
