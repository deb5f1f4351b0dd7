import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { Keep } from '@/components/Keep'
import { Section } from '@/components/Section'
import type { CommunityNews } from '@/features/home/news'
import { MESSAGE_URLS } from '@/features/message/config'
import { VOLUNTEER_URLS } from '@/features/volunteer/config'

const go = (url: string) => void Taro.navigateTo({ url })

/** 社区动态: what is happening in the community — activities open for sign-up, the latest 留言墙 posts. */
export function NewsSection({ news }: { news: CommunityNews }) {
  const { activities, wall } = news
  return (
    <Section title='社区动态' className='home-news'>
      <View className='home-news__list'>
        {activities.map((a) => (
          <View key={a.id} className='home-news__item home-news__activity' hoverClass='home-news__item--hover' onClick={() => go(VOLUNTEER_URLS.detail(a.id))}>
            <View className='home-news__head'>
              <Text className='home-news__kind'>志愿活动</Text>
              <Text className='home-news__meta'>{a.placesLeft > 0 ? `余 ${a.placesLeft} 个名额` : a.phaseLabel}</Text>
            </View>
            <Text className='home-news__title'>{a.title}</Text>
            <Keep className='home-news__line' text={`${a.timeText} · ${a.place}`} />
          </View>
        ))}
        {wall.map((w) => (
          <View key={w.id} className='home-news__item home-news__wall' hoverClass='home-news__item--hover' onClick={() => go(MESSAGE_URLS.wall)}>
            <View className='home-news__head'>
              <Text className='home-news__kind home-news__kind--wall'>留言墙 · {w.category}</Text>
              {w.reply ? <Text className='home-news__meta'>社区已答复</Text> : null}
            </View>
            <Text className='home-news__title home-news__text'>{w.text}</Text>
          </View>
        ))}
        {activities.length === 0 && wall.length === 0 ? <Text className='home-news__none'>近期没有可报名的活动和新的留言墙内容</Text> : null}
        <View className='home-news__more'>
          <View className='home-news__link' hoverClass='home-news__item--hover' onClick={() => go(VOLUNTEER_URLS.list)}>
            <Text>全部志愿活动 ›</Text>
          </View>
          <View className='home-news__link' hoverClass='home-news__item--hover' onClick={() => go(MESSAGE_URLS.wall)}>
            <Text>留言墙 ›</Text>
          </View>
        </View>
      </View>
    </Section>
  )
}
