import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useCallback, useEffect, useState } from 'react'
// Each from its own file, not the design system's index: the first screen loads only these (the index pulls every component and its CSS).
import { PageRoot } from '@/components/PageRoot'
import { Section } from '@/components/Section'
import { cx } from '@/components/cx'
import { FEATURE_ENTRIES, ONBOARDING_URL, openEntry } from '@/features/entries'
import { loadCommunityNews, type CommunityNews } from '@/features/home/news'
import { refreshUnread } from '@/features/inbox/api'
import { MESSAGE_URLS } from '@/features/message/config'
import { useUnread } from '@/features/inbox/useUnread'
import { VERIFY_HINT } from '@/features/profile/format'
import { MESSAGES_TAB_URL } from '@/features/profile/routes'
import { useSession } from '@/features/profile/useSession'
// The 我的 tab's 工作台 count follows the signed-in person from the first screen on (its own tiny contract only).
import '@/features/work/badge'
import { NewsSection } from './News'
import './index.css'

/** 首页: my community and address, reminders (verification, unread messages), the five services and the 留言墙, and 社区动态. */
export default function HomePage() {
  const { session, loading, error, reload } = useSession()
  const unread = useUnread()
  const profile = session?.profile ?? null
  const communityId = profile?.address.community.id

  // 社区动态: read after the first screen is drawn, and only for someone with a community.
  const [news, setNews] = useState<CommunityNews | null>(null)
  const loadNews = useCallback(async () => {
    if (communityId) setNews(await loadCommunityNews())
  }, [communityId])
  useEffect(() => {
    setNews(null)
    void loadNews()
  }, [loadNews])

  usePullDownRefresh(() => {
    void Promise.all([reload(), refreshUnread(), loadNews()]).finally(() => void Taro.stopPullDownRefresh())
  })

  return (
    <PageRoot className='home'>
      <View className='home-header'>
        <Text className='home-header__label'>我的社区</Text>
        {profile ? (
          <View className='home-header__profile'>
            <Text className='home-header__community'>{profile.address.community.name}</Text>
            <Text className='home-header__address'>{profile.address.text}</Text>
          </View>
        ) : loading ? (
          <Text className='home-header__community home-header__community--muted'>加载中…</Text>
        ) : error ? (
          <View className='home-header__action' hoverClass='home-header__action--hover' onClick={() => void reload()}>
            <Text>{error.message}，点击重试</Text>
          </View>
        ) : (
          <View>
            <Text className='home-header__community'>尚未选择社区</Text>
            <View className='home-header__action home-onboard' hoverClass='home-header__action--hover' onClick={() => void Taro.navigateTo({ url: ONBOARDING_URL })}>
              <Text>完善住址，享受社区服务 ›</Text>
            </View>
          </View>
        )}
      </View>

      {profile && !profile.verified ? (
        <View className='home-notice home-verify' hoverClass='home-notice--hover' onClick={() => void Taro.navigateTo({ url: ONBOARDING_URL })}>
          <Text className='home-notice__title'>住址待认证</Text>
          <Text className='home-notice__text'>{VERIFY_HINT}，认证后可预约场地、评价物业。</Text>
        </View>
      ) : null}

      {unread > 0 ? (
        <View className='home-notice home-unread' hoverClass='home-notice--hover' onClick={() => void Taro.switchTab({ url: MESSAGES_TAB_URL })}>
          <Text className='home-notice__title'>您有 {unread} 条未读消息</Text>
          <Text className='home-notice__text'>点击查看 ›</Text>
        </View>
      ) : null}

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
          {/* The community's public answers, beside 居民留言. */}
          <View className='entry entry-wall' hoverClass='entry--hover' onClick={() => void Taro.navigateTo({ url: MESSAGE_URLS.wall })}>
            <View className='entry__icon'>
              <Text>墙</Text>
            </View>
            <Text className='entry__title'>留言墙</Text>
          </View>
        </View>
      </Section>

      {profile && news ? <NewsSection news={news} /> : null}
    </PageRoot>
  )
}
