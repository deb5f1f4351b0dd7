import { View, Text } from '@tarojs/components'
import type { ReactNode } from 'react'
import { cx } from '../cx'
import { Keep } from '../Keep'
import './index.css'

export interface InfoRowProps {
  label: string
  value: string
  className?: string
  /** Under the value, e.g. a 查看地图 button. */
  children?: ReactNode
}

/** A label and its value; the label goes above the value in 长辈模式. */
export function InfoRow({ label, value, className, children }: InfoRowProps) {
  return (
    <View className={cx('info-line', className)}>
      <Text className='info-line__label'>{label}</Text>
      <View className='info-line__value'>
        <Keep text={value} />
        {children}
      </View>
    </View>
  )
}
