import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { Card, LoadMore, PageRoot, PageWrapper, usePagedList } from '@/components'
import { fetchNotificationsPage, type NotificationItem } from './data'
import './index.css'

/** 消息: the notification centre (paginated, pull down to refresh). */
export default function MessagesPage() {
  const list = usePagedList<NotificationItem, string>(fetchNotificationsPage)

  usePullDownRefresh(() => {
    void list.refresh().finally(() => Taro.stopPullDownRefresh())
  })
  useReachBottom(() => {
    void list.loadMore()
  })

  return (
    <PageRoot className='messages'>
      <PageWrapper
        loading={list.loading && !list.loaded}
        error={list.loaded ? null : list.error}
        empty={list.loaded && list.items.length === 0}
        emptyText='暂无消息'
        onRetry={() => void list.refresh()}
      >
        <View className='messages-list'>
          {list.items.map((item) => (
            <Card key={item.id} className={item.read ? 'message message--read' : 'message'} title={item.title}>
              <Text className='message__body'>{item.body}</Text>
            </Card>
          ))}
        </View>
        <LoadMore loading={list.loading} hasMore={list.hasMore} error={list.error} onLoadMore={() => void list.loadMore()} />
      </PageWrapper>
    </PageRoot>
  )
}
