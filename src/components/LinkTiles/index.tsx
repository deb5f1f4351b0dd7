import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { cx } from '../cx'
import './index.css'

export interface LinkTile {
  /** Class suffix for tests and styles: `<hook>-link--<key>`. */
  key: string
  title: string
  desc: string
  url: string
}

export interface LinkTilesProps {
  links: readonly LinkTile[]
  /** The feature's class prefix kept beside the shared classes (`vol` → `vol-link--mine`). */
  hook: string
}

/** Large links at the top of a page (我的志愿, 季度评定…): two a row, one a row in 长辈模式. */
export function LinkTiles({ links, hook }: LinkTilesProps) {
  if (!links.length) return null
  return (
    <View className={cx('link-tiles', `${hook}-links`)}>
      {links.map((l) => (
        <View key={l.key} className={cx('link-tile', `${hook}-link`, `${hook}-link--${l.key}`)} hoverClass='link-tile--hover' aria-role='link' onClick={() => void Taro.navigateTo({ url: l.url })}>
          <Text className={cx('link-tile__title', `${hook}-link__title`)}>{l.title}</Text>
          <Text className={cx('link-tile__desc', `${hook}-link__desc`)}>{l.desc} ›</Text>
        </View>
      ))}
    </View>
  )
}
