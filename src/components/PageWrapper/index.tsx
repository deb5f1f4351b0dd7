import { View, Text } from '@tarojs/components'
import type { PropsWithChildren, ReactNode } from 'react'
import { Button } from '../Button'
import { cx } from '../cx'
import './index.css'

export interface PageWrapperProps {
  /** First load in progress: shows a calm skeleton instead of the content. */
  loading?: boolean
  /** A failed load: shows the message and a 重试 button. */
  error?: { message: string } | null
  /** Loaded, nothing to show. */
  empty?: boolean
  emptyText?: string
  /** Optional extra content under the empty text (e.g. a button to create the first item). */
  emptyAction?: ReactNode
  onRetry?: () => void
  /** Skeleton rows while loading. */
  skeletonRows?: number
  className?: string
}

/**
 * Loading / error / empty / content for one data area of a page (blitz-wxapp's PageWrapper).
 * Order: loading → error → empty → children.
 */
export function PageWrapper({
  loading = false,
  error,
  empty = false,
  emptyText = '暂无内容',
  emptyAction,
  onRetry,
  skeletonRows = 3,
  className,
  children,
}: PropsWithChildren<PageWrapperProps>) {
  if (loading) {
    return (
      <View className={cx('ui-pw', 'ui-pw--loading', className)} aria-busy>
        {Array.from({ length: skeletonRows }, (_, i) => (
          <View key={i} className='ui-pw__skeleton'>
            <View className='ui-pw__bar ui-pw__bar--title' />
            <View className='ui-pw__bar' />
            <View className='ui-pw__bar ui-pw__bar--short' />
          </View>
        ))}
        <Text className='ui-pw__loading-text'>加载中…</Text>
      </View>
    )
  }
  if (error) {
    return (
      <View className={cx('ui-pw', 'ui-pw--error', className)} role='alert'>
        <View className='ui-pw__icon ui-pw__icon--error'>!</View>
        <Text className='ui-pw__title'>加载失败</Text>
        <Text className='ui-pw__message'>{error.message}</Text>
        {onRetry ? (
          <Button className='ui-pw__retry' type='default' onClick={onRetry}>
            重试
          </Button>
        ) : null}
      </View>
    )
  }
  if (empty) {
    return (
      <View className={cx('ui-pw', 'ui-pw--empty', className)}>
        <View className='ui-pw__icon ui-pw__icon--empty' />
        <Text className='ui-pw__message'>{emptyText}</Text>
        {emptyAction}
      </View>
    )
  }
  return <View className={cx('ui-pw', className)}>{children}</View>
}
