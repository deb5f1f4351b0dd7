import { View, Text } from '@tarojs/components'
import type { ReactNode } from 'react'
import { cx } from '@/components'
import './property.css'

/** A label and its value. */
export function InfoRow({ label, value, className, children }: { label: string; value: string; className?: string; children?: ReactNode }) {
  return (
    <View className={cx('pm-info-row', className)}>
      <Text className='pm-info-row__label'>{label}</Text>
      <View className='pm-info-row__value'>
        <Text>{value}</Text>
        {children}
      </View>
    </View>
  )
}
