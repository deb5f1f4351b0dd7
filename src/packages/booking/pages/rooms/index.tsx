import Taro, { usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro'
import { View, Text, Image } from '@tarojs/components'
import { Card, Keep, LoadMore, PageRoot, PageWrapper, Tag, usePagedList } from '@/components'
import { BOOKING_URLS } from '@/features/booking/config'
import { fetchRooms } from '@/features/booking/api'
import { isBookingStaff } from '@/features/booking/format'
import { useSession } from '@/features/profile/useSession'
import type { RoomSummaryT } from '@/shared/api/booking'
import { proxyQuery, proxyTargetOf, type ProxyTarget } from '@/features/privacy/proxy'
import '../../components/booking.css'

const go = (url: string) => void Taro.navigateTo({ url })

function StaffLinks() {
  const links = [
    ['待审核', '审核居民的预约', BOOKING_URLS.pending],
    ['预约日历', '按天 / 按周查看', BOOKING_URLS.calendar],
    ['核销签到', '扫码或输入核销码', BOOKING_URLS.verify],
    ['场地管理', '开放时间、停用日期', BOOKING_URLS.manage],
  ] as const
  return (
    <View className='bk-links bk-staff-links'>
      {links.map(([title, desc, url]) => (
        <View key={url} className='bk-link' hoverClass='bk-link--hover' onClick={() => go(url)}>
          <Text className='bk-link__title'>{title}</Text>
          <Text className='bk-link__desc'>{desc} ›</Text>
        </View>
      ))}
    </View>
  )
}

export function RoomCard({ room, onClick }: { room: RoomSummaryT; onClick: () => void }) {
  const photo = room.photos.find((p) => p.url)?.url
  return (
    <Card className='bk-room-card' onClick={onClick}>
      <View className='bk-room'>
        {photo ? (
          <Image className='bk-room__photo' src={photo} mode='aspectFill' aria-label={`${room.name}照片`} />
        ) : (
          <View className='bk-room__photo bk-room__glyph'>
            <Text>{room.name.slice(0, 1)}</Text>
          </View>
        )}
        <View className='bk-room__main'>
          <Text className='ui-card__title'>{room.name}</Text>
          <Text className='bk-room__line'>
            可容纳 {room.capacity} 人{room.location ? ` · ${room.location}` : ''}
          </Text>
          <Keep className='bk-room__line' text={room.openText} />
          <View className='bk-room__facilities'>
            {room.needsApproval ? <Tag type='warning'>需审核</Tag> : <Tag type='success'>免审核</Tag>}
            {room.bookableBy !== 'residents' ? <Tag type='info'>{room.bookableBy === 'verified' ? '仅限认证居民' : '限社区组织'}</Tag> : null}
            {!room.active ? <Tag type='muted'>已停用</Tag> : null}
            {room.facilities.map((f) => (
              <Tag key={f} type='muted'>
                {f}
              </Tag>
            ))}
          </View>
        </View>
      </View>
    </Card>
  )
}

/** 场地预约: the 党群服务中心 rooms of the resident's community; staff also get their tools. `proxyFor`: 代办 for a resident. */
export function RoomsView({ proxyFor = null }: { proxyFor?: ProxyTarget | null } = {}) {
  const { session } = useSession()
  const list = usePagedList<RoomSummaryT, string>((cursor) => fetchRooms(cursor))
  // No address yet (known from the session, or said by the server): PageWrapper's 去完善住址.
  const noAddress = (session !== null && session.profile === null) || list.error?.code === 'NOT_ONBOARDED'
  usePullDownRefresh(() => {
    void list.refresh().finally(() => Taro.stopPullDownRefresh())
  })
  useReachBottom(() => {
    void list.loadMore()
  })

  return (
    <PageRoot className='bk-rooms'>
      {proxyFor ? <Text className='bk-banner bk-proxy-banner'>{`为居民 ${proxyFor.name} 代办预约：选择场地和时段后，预约归居民本人所有`}</Text> : null}
      {isBookingStaff(session?.profile?.roles) && !proxyFor ? <StaffLinks /> : null}
      <View className='bk-links'>
        <View className='bk-link bk-link--mine' hoverClass='bk-link--hover' onClick={() => go(BOOKING_URLS.mine)}>
          <Text className='bk-link__title'>我的预约</Text>
          <Text className='bk-link__desc'>核销码、取消、签到 ›</Text>
        </View>
      </View>
      <Text className='bk-intro'>党群服务中心的活动室、会议室向居民开放，选择场地和时段即可预约。</Text>
      <PageWrapper
        loading={list.loading && !list.loaded && !noAddress}
        error={noAddress ? { code: 'NOT_ONBOARDED', message: '完善住址后即可预约所在社区的场地' } : list.loaded ? null : list.error}
        empty={list.loaded && list.items.length === 0}
        emptyText='本社区暂未开放可预约的场地'
        onRetry={() => void list.refresh()}
      >
        <View className='bk-list'>
          {list.items.map((room) => (
            <RoomCard key={room.id} room={room} onClick={() => go(proxyFor ? `${BOOKING_URLS.room(room.id)}&${proxyQuery(proxyFor)}` : BOOKING_URLS.room(room.id))} />
          ))}
        </View>
        <LoadMore loading={list.loading} hasMore={list.hasMore} error={list.error} onLoadMore={() => void list.loadMore()} />
      </PageWrapper>
    </PageRoot>
  )
}

export default function RoomsPage() {
  const router = useRouter()
  return <RoomsView proxyFor={proxyTargetOf(router.params)} />
}
