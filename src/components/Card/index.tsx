import { View, Text } from '@tarojs/components'
import type { PropsWithChildren, ReactNode } from 'react'
import { cx } from '../cx'
import './index.css'

export interface CardProps {
  title?: ReactNode
  /** Right side of the title row (a Tag, a link…). */
  extra?: ReactNode
  className?: string
  onClick?: () => void
}

/** A white surface grouping related content. */
export function Card({ title, extra, className, onClick, children }: PropsWithChildren<CardProps>) {
  return (
    <View
      className={cx('ui-card', onClick && 'ui-card--tappable', className)}
      hoverClass={onClick ? 'ui-card--hover' : 'none'}
      onClick={onClick}
    >
      {title || extra ? (
        <View className='ui-card__head'>
          <Text className='ui-card__title'>{title}</Text>
          {extra ? <View className='ui-card__extra'>{extra}</View> : null}
        </View>
      ) : null}
      <View className='ui-card__body'>{children}</View>
    </View>
  )
}
