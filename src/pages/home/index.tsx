import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { PageRoot, Section, cx } from '@/components'
import { FEATURE_ENTRIES, ONBOARDING_URL, openEntry } from '@/features/entries'
import './index.css'

/**
 * 首页: the resident's community and the five services.
 *
 * Data (to be added by the features engineer, as plain functions outside hooks so tests can
 * call them): the resident's community name and address (`loadHomeProfile()` via src/services),
 * unread counts and notices. Until then the header shows the not-onboarded state.
 */
export default function HomePage() {
  return (
    <PageRoot className='home'>
      <View className='home-header'>
        <Text className='home-header__label'>我的社区</Text>
        <Text className='home-header__community'>尚未选择社区</Text>
        <View className='home-header__action' hoverClass='home-header__action--hover' onClick={() => void Taro.navigateTo({ url: ONBOARDING_URL })}>
          <Text>完善住址，享受社区服务 ›</Text>
        </View>
      </View>

      <Section title='社区服务'>
        <View className='entry-grid'>
          {FEATURE_ENTRIES.map((entry) => (
            <View
              key={entry.key}
              className={cx('entry', `entry-${entry.key}`)}
              hoverClass='entry--hover'
              onClick={() => openEntry(entry)}
            >
              <View className='entry__icon'>
                <Text>{entry.glyph}</Text>
              </View>
              <Text className='entry__title'>{entry.title}</Text>
            </View>
          ))}
        </View>
      </Section>
    </PageRoot>
  )
}
