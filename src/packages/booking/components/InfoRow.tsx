import { View, Text } from '@tarojs/components'
import { Keep, cx } from '@/components'
import './booking.css'

export function InfoRow({ label, value, className }: { label: string; value: string; className?: string }) {
  return (
    <View className={cx('bk-info-row', className)}>
      <Text className='bk-info-row__label'>{label}</Text>
      <Keep className='bk-info-row__value' text={value} />
    </View>
  )
}
