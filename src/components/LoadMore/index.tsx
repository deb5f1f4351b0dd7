import { View, Text } from '@tarojs/components'
import { cx } from '../cx'
import './index.css'

export interface LoadMoreProps {
  loading: boolean
  hasMore: boolean
  error?: { message: string } | null
  onLoadMore?: () => void
  className?: string
}

/** The foot of a paginated list: 加载中… / 加载更多 (tap) / 没有更多了 / 加载失败，点击重试. */
export function LoadMore({ loading, hasMore, error, onLoadMore, className }: LoadMoreProps) {
  if (loading) {
    return (
      <View className={cx('ui-loadmore', 'ui-loadmore--loading', className)}>
        <View className='ui-loadmore__spinner' />
        <Text>加载中…</Text>
      </View>
    )
  }
  if (error) {
    return (
      <View className={cx('ui-loadmore', 'ui-loadmore--error', className)} onClick={onLoadMore}>
        <Text>加载失败，点击重试</Text>
      </View>
    )
  }
  if (hasMore) {
    return (
      <View className={cx('ui-loadmore', 'ui-loadmore--more', className)} hoverClass='ui-loadmore--hover' onClick={onLoadMore}>
        <Text>加载更多</Text>
      </View>
    )
  }
  return (
    <View className={cx('ui-loadmore', 'ui-loadmore--end', className)}>
      <Text>没有更多了</Text>
    </View>
  )
}
