import { View, Text } from '@tarojs/components'
import type { ReactNode } from 'react'
import { cx } from '@/components'
import './volunteer.css'

/** A label and its value (the value may carry a button under it, e.g. 查看地图). */
export function InfoRow({ label, value, className, children }: { label: string; value: string; className?: string; children?: ReactNode }) {
  return (
    <View className={cx('vol-info-row', className)}>
      <Text className='vol-info-row__label'>{label}</Text>
      <View className='vol-info-row__value'>
        <Text>{value}</Text>
        {children}
      </View>
    </View>
  )
}
