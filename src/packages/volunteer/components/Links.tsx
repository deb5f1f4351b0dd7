import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { cx } from '@/components'
import './volunteer.css'

export interface VolLink {
  key: string
  title: string
  desc: string
  url: string
}

/** Large links at the top of a page (我的志愿, 新建活动, 导出工时). */
export function Links({ links }: { links: readonly VolLink[] }) {
  if (!links.length) return null
  return (
    <View className='vol-links'>
      {links.map((l) => (
        <View key={l.key} className={cx('vol-link', `vol-link--${l.key}`)} hoverClass='vol-link--hover' onClick={() => void Taro.navigateTo({ url: l.url })}>
          <Text className='vol-link__title'>{l.title}</Text>
          <Text className='vol-link__desc'>{l.desc} ›</Text>
        </View>
      ))}
    </View>
  )
}
