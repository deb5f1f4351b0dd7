import { View, Text } from '@tarojs/components'
import { Card, PageRoot, PagedListView, Tag, useListPageEvents, usePagedList } from '@/components'
import { fetchWall } from '@/features/message/data'
import type { WallItemT } from '@/shared/api/cases'
import { formatDateTime } from '@/shared/time'
import './index.css'

/** One published message: what the resident wrote and what the community answered, personal details hidden. */
function WallCard({ item }: { item: WallItemT }) {
  return (
    <Card
      className='wall-card'
      title={<Text className='wall-card__category'>{item.category}</Text>}
      extra={<Text className='wall-card__time'>{formatDateTime(item.publishedAt)}</Text>}
    >
      <Text className='wall-card__text'>{item.text}</Text>
      {item.reply ? (
        <View className='wall-card__reply'>
          <Tag type='info' className='wall-card__reply-tag'>
            社区回复
          </Tag>
          <Text className='wall-card__reply-text'>{item.reply}</Text>
        </View>
      ) : (
        <Text className='wall-card__no-reply'>社区正在办理</Text>
      )}
    </Card>
  )
}

/** 留言墙: the community's published messages and replies, newest first. */
export function MessageWallView() {
  const list = usePagedList<WallItemT, string>(fetchWall)
  useListPageEvents(list)
  return (
    <PageRoot className='message-wall'>
      <View className='wall-intro'>
        <Text>居民希望公开、经工作人员审核的留言与社区答复。电话、门牌号、姓名等个人信息已隐去。</Text>
      </View>
      <PagedListView list={list} emptyText='留言墙还没有公开的留言'>
        <View className='wall-list'>
          {list.items.map((item) => (
            <WallCard key={item.id} item={item} />
          ))}
        </View>
      </PagedListView>
    </PageRoot>
  )
}

export default function MessageWallPage() {
  return <MessageWallView />
}
