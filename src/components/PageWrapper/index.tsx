import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import type { PropsWithChildren, ReactNode } from 'react'
import { Button } from '../Button'
import { cx } from '../cx'
import { ONBOARDING_URL } from '../routes'
import './index.css'

export interface PageWrapperProps {
  /** First load in progress: shows a calm skeleton instead of the content. */
  loading?: boolean
  /**
   * A failed load: the message and a 重试 button. With the code FORBIDDEN (or NOT_FOUND) trying
   * again cannot help: it reads 没有权限 (没有找到) with the message, and no 重试. NOT_ONBOARDED
   * (the visitor has no address yet) is no failure: it reads 尚未完善住址 with 去完善住址.
   */
  error?: { message: string; code?: string } | null
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

/** Errors that trying again cannot fix: said as what they are, without 重试. */
const FINAL_ERRORS: Record<string, { key: string; title: string; glyph: string }> = {
  FORBIDDEN: { key: 'forbidden', title: '没有权限', glyph: '限' },
  NOT_FOUND: { key: 'not-found', title: '没有找到', glyph: '?' },
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
  if (error && error.code === 'NOT_ONBOARDED') {
    // The one place every page's 请先完成入驻 lands: the way on, not an error.
    return (
      <View className={cx('ui-pw', 'ui-pw--error', 'ui-pw--no-address', className)}>
        <View className='ui-pw__icon ui-pw__icon--address'>家</View>
        <Text className='ui-pw__title'>尚未完善住址</Text>
        <Text className='ui-pw__message'>{error.message}</Text>
        <Button type='primary' className='ui-pw__onboard' onClick={() => void Taro.navigateTo({ url: ONBOARDING_URL })}>
          去完善住址
        </Button>
      </View>
    )
  }
  if (error) {
    const final = error.code ? FINAL_ERRORS[error.code] : undefined
    return (
      <View className={cx('ui-pw', 'ui-pw--error', final && `ui-pw--${final.key}`, className)} role='alert'>
        <View className='ui-pw__icon ui-pw__icon--error'>{final ? final.glyph : '!'}</View>
        <Text className='ui-pw__title'>{final ? final.title : '加载失败'}</Text>
        <Text className='ui-pw__message'>{error.message}</Text>
        {onRetry && !final ? (
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
