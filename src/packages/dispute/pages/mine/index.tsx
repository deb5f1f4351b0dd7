import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useRef } from 'react'
import { Button, PageRoot, PagedListView, cx, usePagedList } from '@/components'
import { ONBOARDING_URL } from '@/features/entries'
import { DISPUTE_URLS } from '@/features/dispute/config'
import { fetchMyDisputes } from '@/features/dispute/data'
import { canSeeStats, isDisputeHandler } from '@/features/dispute/format'
import { useDisputeSession } from '@/features/dispute/useSession'
import type { CaseSummaryT } from '@/shared/api/cases'
import { CaseCard } from '../../components/CaseCard'
import '../../components/dispute.css'
import './index.css'

const go = (url: string) => void Taro.navigateTo({ url })

/** 我的纠纷: the resident's disputes (newest first); handlers also get 待办纠纷 / 统计 links. */
export function DisputeMineView() {
  const { session, loaded } = useDisputeSession()
  const list = usePagedList<CaseSummaryT, string>(fetchMyDisputes)
  const roles = session?.profile?.roles
  const notOnboarded = loaded && session !== null && session.profile === null

  // Back from a detail or the submit form: show the latest states.
  const shown = useRef(false)
  useDidShow(() => {
    if (shown.current) void list.refresh()
    shown.current = true
  })
  usePullDownRefresh(() => {
    void list.refresh().finally(() => Taro.stopPullDownRefresh())
  })
  useReachBottom(() => {
    void list.loadMore()
  })

  const empty = list.loaded && list.items.length === 0

  return (
    <PageRoot className={cx('dispute-mine', !empty && 'ui-with-bottom-bar')}>
      {isDisputeHandler(roles) ? (
        <View className='handler-links'>
          <View className='handler-link handler-link--queue' hoverClass='handler-link--hover' onClick={() => go(DISPUTE_URLS.queue)}>
            <Text className='handler-link__title'>待办纠纷</Text>
            <Text className='handler-link__desc'>按时限办理 ›</Text>
          </View>
          {canSeeStats(roles) ? (
            <View className='handler-link handler-link--stats' hoverClass='handler-link--hover' onClick={() => go(DISPUTE_URLS.stats)}>
              <Text className='handler-link__title'>统计</Text>
              <Text className='handler-link__desc'>受理与满意率 ›</Text>
            </View>
          ) : null}
        </View>
      ) : null}

      <View className='dispute-intro'>
        <Text>邻里之间有矛盾，提交给网格调解员，24 小时内受理（紧急 2 小时）。</Text>
      </View>

      <PagedListView
        list={list}
        empty={empty}
        emptyText={notOnboarded ? '完善住址后即可提交纠纷，由您所在网格的调解员受理' : '您还没有提交过纠纷'}
        emptyAction={
          <Button type='primary' className='empty-new-btn' onClick={() => go(notOnboarded ? ONBOARDING_URL : DISPUTE_URLS.new)}>
            {notOnboarded ? '去完善住址' : '提交纠纷'}
          </Button>
        }
      >
        <View className='case-list'>
          {list.items.map((item) => (
            <CaseCard key={item.id} item={item} onClick={() => go(DISPUTE_URLS.detail(item.id))} />
          ))}
        </View>
      </PagedListView>

      {/* The empty state has its own button; otherwise 提交纠纷 stays at the bottom of the screen. */}
      {empty ? null : (
        <View className='ui-bottom-bar'>
          <Button type='primary' block className='dispute-new-btn' onClick={() => go(notOnboarded ? ONBOARDING_URL : DISPUTE_URLS.new)}>
            {notOnboarded ? '完善住址后提交纠纷' : '提交纠纷'}
          </Button>
        </View>
      )}
    </PageRoot>
  )
}

export default function DisputeMinePage() {
  return <DisputeMineView />
}
