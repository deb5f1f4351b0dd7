import { View, Text } from '@tarojs/components'
import type { PropsWithChildren } from 'react'
import { cx } from '../cx'
import './index.css'

export interface BadgeProps {
  /** Unread count; nothing is shown at 0. */
  count?: number
  /** A dot instead of a number. */
  dot?: boolean
  /** Above this, shows `max+`. */
  max?: number
  className?: string
}

export function badgeText(count: number, max = 99): string {
  return count > max ? `${max}+` : String(count)
}

/** An unread count (or dot) at the top-right of its children, or inline when it has none. */
export function Badge({ count = 0, dot = false, max = 99, className, children }: PropsWithChildren<BadgeProps>) {
  const visible = dot || count > 0
  const mark = visible ? (
    <Text className={cx('ui-badge__mark', dot ? 'ui-badge__mark--dot' : 'ui-badge__mark--count')}>
      {dot ? '' : badgeText(count, max)}
    </Text>
  ) : null
  if (children === undefined) return mark ? <View className={cx('ui-badge', 'ui-badge--inline', className)}>{mark}</View> : null
  return (
    <View className={cx('ui-badge', className)}>
      {children}
      {mark}
    </View>
  )
}
