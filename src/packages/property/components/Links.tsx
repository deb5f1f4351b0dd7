import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { cx } from '@/components'
import './property.css'

export interface PmLink {
  key: string
  title: string
  desc: string
  url: string
}

/** Large links at the top of a page (季度评定, 物业公司管理…). */
export function Links({ links }: { links: readonly PmLink[] }) {
  if (!links.length) return null
  return (
    <View className='pm-links'>
      {links.map((l) => (
        <View key={l.key} className={cx('pm-link', `pm-link--${l.key}`)} hoverClass='pm-link--hover' onClick={() => void Taro.navigateTo({ url: l.url })}>
          <Text className='pm-link__title'>{l.title}</Text>
          <Text className='pm-link__desc'>{l.desc} ›</Text>
        </View>
      ))}
    </View>
  )
}
