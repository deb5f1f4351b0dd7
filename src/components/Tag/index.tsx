import { Text } from '@tarojs/components'
import type { PropsWithChildren } from 'react'
import { cx } from '../cx'
import './index.css'

export type TagType = 'info' | 'success' | 'warning' | 'danger' | 'muted'

export interface TagProps {
  type?: TagType
  className?: string
}

/** A status label (待受理, 已确认, 已超时…). Colours keep ≥ 4.5:1 contrast. */
export function Tag({ type = 'info', className, children }: PropsWithChildren<TagProps>) {
  return <Text className={cx('ui-tag', `ui-tag--${type}`, className)}>{children}</Text>
}
