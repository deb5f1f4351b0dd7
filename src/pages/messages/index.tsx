import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { useEffect, useState } from 'react'
import { Button, PageRoot, PageWrapper, PagedListView, cx, usePagedList } from '@/components'
import { fetchInboxPage, markAllRead, markRead, refreshUnread, setUnreadCount, type InboxItem } from '@/features/inbox/api'
import { useUnread } from '@/features/inbox/useUnread'
import { isTabUrl } from '@/features/profile/routes'
import { useSession } from '@/features/profile/useSession'
import { formatShort } from '@/shared/time'
import './index.css'

function open(link: string): void {
  const url = link.startsWith('/') ? link : `/${link}`
  const go = isTabUrl(url) ? Taro.switchTab({ url: url.split('?')[0] }) : Taro.navigateTo({ url })
  void go.catch(() => void Taro.showToast({ title: '该页面暂时无法打开', icon: 'none' }).catch(() => undefined))
}

/** 消息: my notifications, newest first; tap to read (and open), 全部已读; the tab shows the unread count. */
export default function MessagesPage() {
  const { session, loading: sessionLoading, error: sessionError, reload } = useSession()
  const onboarded = !!session?.profile
  const list = usePagedList<InboxItem, string>(fetchInboxPage, { auto: false })
  const unread = useUnread()
  // Read marks made here, on top of the loaded pages (the list itself is not refetched).
  const [readIds, setReadIds] = useState<ReadonlySet<string>>(() => new Set())
  const [allRead, setAllRead] = useState(false)
  const [marking, setMarking] = useState(false)
  const { refresh } = list

  useEffect(() => {
    if (onboarded) void refresh()
  }, [onboarded, refresh])

  usePullDownRefresh(() => {
    const jobs = onboarded ? [refresh(), refreshUnread()] : [reload()]
    void Promise.all(jobs).finally(() => {
      setReadIds(new Set())
      setAllRead(false)
      void Taro.stopPullDownRefresh()
    })
  })
  useReachBottom(() => {
    if (onboarded) void list.loadMore()
  })

  const isRead = (item: InboxItem) => item.read || allRead || readIds.has(item.id)
  const anyUnread = unread > 0 || list.items.some((i) => !isRead(i))

  const tap = (item: InboxItem) => {
    if (!isRead(item)) {
      setReadIds((prev) => new Set(prev).add(item.id))
      void markRead(item.id)
        .then(() => refreshUnread())
        .catch(() => undefined)
    }
    if (item.link) open(item.link)
  }

  const readAll = async () => {
    setMarking(true)
    try {
      await markAllRead()
      setAllRead(true)
      await setUnreadCount(0)
    } catch {
      // the gateway has shown the message
    } finally {
      setMarking(false)
    }
  }

  if (!onboarded) {
    return (
      <PageRoot className='messages'>
        <PageWrapper
          loading={sessionLoading}
          error={sessionError ?? { code: 'NOT_ONBOARDED', message: '完善住址后，办事进度和社区通知会显示在这里' }}
          onRetry={() => void reload()}
        />
      </PageRoot>
    )
  }

  return (
    <PageRoot className='messages'>
      <PagedListView
        list={list}
        emptyText='暂无消息'
      >
        <View className='messages-bar'>
          <Text className='messages-bar__count'>{unread > 0 ? `${unread} 条未读` : anyUnread ? '有未读消息' : '全部已读'}</Text>
          {anyUnread ? (
            <Button size='small' type='plain' className='messages-read-all' loading={marking} onClick={() => void readAll()}>
              全部已读
            </Button>
          ) : null}
        </View>
        <View className='messages-list'>
          {list.items.map((item) => {
            const read = isRead(item)
            return (
              <View
                key={item.id}
                className={cx('message', read ? 'message--read' : 'message--unread')}
                hoverClass='message--hover'
                onClick={() => tap(item)}
              >
                <View className='message__head'>
                  {read ? null : <View className='message__dot' />}
                  <Text className='message__title'>{item.title}</Text>
                  <Text className='message__time'>{formatShort(item.at)}</Text>
                </View>
                <Text className='message__body'>{item.body}</Text>
                {item.link ? <Text className='message__link'>查看详情 ›</Text> : null}
              </View>
            )
          })}
        </View>
      </PagedListView>
    </PageRoot>
  )
}
