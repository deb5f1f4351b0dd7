import { View, Text } from '@tarojs/components'
import { cx } from '@/components'
import './booking.css'

export function InfoRow({ label, value, className }: { label: string; value: string; className?: string }) {
  return (
    <View className={cx('bk-info-row', className)}>
      <Text className='bk-info-row__label'>{label}</Text>
      <Text className='bk-info-row__value'>{value}</Text>
    </View>
  )
}
