import { View, Text } from '@tarojs/components'
import type { PropsWithChildren, ReactNode } from 'react'
import { cx } from '../cx'
import './index.css'

export interface SectionProps {
  title: ReactNode
  /** Right side of the title (a 查看全部 link…). */
  extra?: ReactNode
  className?: string
}

/** A titled block of a page. */
export function Section({ title, extra, className, children }: PropsWithChildren<SectionProps>) {
  return (
    <View className={cx('ui-section', className)}>
      <View className='ui-section__head'>
        <Text className='ui-section__title'>{title}</Text>
        {extra ? <View className='ui-section__extra'>{extra}</View> : null}
      </View>
      {children}
    </View>
  )
}
