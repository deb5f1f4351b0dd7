import { View, Text } from '@tarojs/components'
import type { PropsWithChildren, ReactNode } from 'react'
import { cx } from '../cx'
import './index.css'

export interface CellProps {
  title: ReactNode
  /** Second line under the title. */
  description?: ReactNode
  /** Right-hand text (status, count…). */
  value?: ReactNode
  /** Shows › ; on by default when the row is tappable. */
  arrow?: boolean
  /** Something on the left (an icon). */
  icon?: ReactNode
  className?: string
  onClick?: () => void
}

/** A list row, at least one tap target high. Extra children go to the right, before the arrow. */
export function Cell({ title, description, value, arrow, icon, className, onClick, children }: PropsWithChildren<CellProps>) {
  const showArrow = arrow ?? Boolean(onClick)
  return (
    <View
      className={cx('ui-cell', onClick && 'ui-cell--tappable', className)}
      hoverClass={onClick ? 'ui-cell--hover' : 'none'}
      onClick={onClick}
    >
      {icon ? <View className='ui-cell__icon'>{icon}</View> : null}
      <View className='ui-cell__main'>
        <Text className='ui-cell__title'>{title}</Text>
        {description ? <Text className='ui-cell__desc'>{description}</Text> : null}
      </View>
      {value !== undefined && value !== null ? <Text className='ui-cell__value'>{value}</Text> : null}
      {children}
      {showArrow ? <Text className='ui-cell__arrow'>›</Text> : null}
    </View>
  )
}

/** A white group of Cells with dividers. */
export function CellGroup({ className, children }: PropsWithChildren<{ className?: string }>) {
  return <View className={cx('ui-cell-group', className)}>{children}</View>
}
