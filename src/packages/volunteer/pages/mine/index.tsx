import Taro, { useDidShow } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useRef, useState } from 'react'
import { Button, Card, PageRoot, PageWrapper, PagedListView, Segmented, cx, useListPageEvents, usePagedList, useResource } from '@/components'
import { Chips } from '@/features/cases/ui/Chips'
import { fetchLedger, loadLeaderboard, loadProfile } from '@/features/volunteer/api'
import { VOLUNTEER_URLS } from '@/features/volunteer/config'
import { formatHours } from '@/features/volunteer/format'
import { useMyActivities } from '@/features/volunteer/hooks'
import { VOLUNTEER_RULES } from '@/shared/rules/volunteer'
import { formatShort } from '@/shared/time'
import { ActivityCard } from '../../components/ActivityCard'
import '../../components/volunteer.css'

const go = (url: string) => void Taro.navigateTo({ url })

type Tab = 'upcoming' | 'past' | 'ledger' | 'board'
const TABS: ReadonlyArray<{ key: Tab; label: string }> = [
  { key: 'upcoming', label: '即将参加' },
  { key: 'past', label: '已参加' },
  { key: 'ledger', label: '积分明细' },
  { key: 'board', label: '积分榜' },
]

function MyActivities({ when }: { when: 'upcoming' | 'past' }) {
  const list = useMyActivities(when)
  return (
    <PagedListView
      list={list}
      emptyText={when === 'upcoming' ? '还没有报名即将开始的活动' : '还没有参加过的活动'}
      emptyAction={
        when === 'upcoming' ? (
          <Button type='plain' className='vol-go-list' onClick={() => go(VOLUNTEER_URLS.list)}>
            去看看志愿活动
          </Button>
        ) : undefined
      }
    >
      <View className='vol-list'>
        {list.items.map((a) => (
          <ActivityCard key={a.id} item={a} onClick={() => go(VOLUNTEER_URLS.detail(a.id))} />
        ))}
      </View>
    </PagedListView>
  )
}

function Ledger() {
  const list = usePagedList(fetchLedger)
  useListPageEvents(list)
  return (
    <PagedListView list={list} emptyText='还没有积分记录：参加活动并签到签退，活动结束后自动入账'>
      <Card className='vol-ledger'>
        {list.items.map((e) => (
          <View key={e.id} className={cx('vol-row', 'vol-ledger-row', `vol-ledger-row--${e.kind}`)}>
            <View className='vol-row__main'>
              <Text className='vol-row__title'>{e.reason || e.label}</Text>
              <Text className='vol-row__sub'>
                {e.label} · {formatShort(e.at)}
                {e.hours ? ` · ${e.hours > 0 ? '+' : ''}${formatHours(e.hours)} 小时` : ''}
              </Text>
            </View>
            <Text className={cx('vol-row__value', e.points > 0 && 'vol-row__value--plus', e.points < 0 && 'vol-row__value--minus')}>
              {e.points > 0 ? `+${e.points}` : e.points}
            </Text>
          </View>
        ))}
      </Card>
    </PagedListView>
  )
}

function Leaderboard() {
  const [period, setPeriod] = useState<'month' | 'year'>('month')
  const board = useResource(() => loadLeaderboard(period), [period])
  const items = board.data?.items ?? []
  const me = board.data?.me ?? null
  return (
    <View className='vol-board'>
      <View className='vol-list vol-period'>
        <Chips
          name='period'
          columns={2}
          options={[
            { key: 'month', label: '本月' },
            { key: 'year', label: '本年' },
          ]}
          value={period}
          onChange={setPeriod}
        />
      </View>
      <PageWrapper loading={board.loading && !board.data} error={board.data ? null : board.error} empty={!!board.data && items.length === 0} emptyText='本社区这段时间还没有志愿积分' onRetry={() => void board.reload()}>
        <Card title={board.data ? `${board.data.period} 社区志愿积分榜` : undefined} className='vol-board-card'>
          {items.map((r) => (
            <View key={r.rank} className='vol-row vol-board-row'>
              <Text className={cx('vol-rank', r.rank <= 3 && 'vol-rank--top')}>{r.rank}</Text>
              <View className='vol-row__main'>
                <Text className='vol-row__title'>{r.name}</Text>
                <Text className='vol-row__sub'>{formatHours(r.hours)} 小时</Text>
              </View>
              <Text className='vol-row__value'>{r.points} 分</Text>
            </View>
          ))}
        </Card>
        {me ? (
          <Text className='vol-roster-sum vol-board-me'>
            {me.rank ? `我排第 ${me.rank} 名` : `我未进入前 ${VOLUNTEER_RULES.boardSize} 名`}：{me.points} 分，{formatHours(me.hours)} 小时
          </Text>
        ) : null}
      </PageWrapper>
    </View>
  )
}

/** 我的志愿: totals, the certificate, my upcoming and past activities, points history, the leaderboards. */
export function MyVolunteerView({ initialTab = 'upcoming' }: { initialTab?: Tab }) {
  const [tab, setTab] = useState<Tab>(initialTab)
  const profile = useResource(loadProfile, [])
  const shown = useRef(false)
  useDidShow(() => {
    if (shown.current) void profile.reload()
    shown.current = true
  })
  const p = profile.data

  return (
    <PageRoot className='vol-mine-page'>
      <PageWrapper loading={profile.loading && !p} error={p ? null : profile.error} onRetry={() => void profile.reload()} skeletonRows={1}>
        {p ? (
          <View>
            <View className='vol-totals'>
              <View className='vol-totals__item vol-total-hours'>
                <Text className='vol-totals__value'>{formatHours(p.hours)}</Text>
                <Text className='vol-totals__label'>累计时长（小时）</Text>
              </View>
              <View className='vol-totals__item vol-total-points'>
                <Text className='vol-totals__value'>{p.points}</Text>
                <Text className='vol-totals__label'>积分余额</Text>
              </View>
              <View className='vol-totals__item vol-total-activities'>
                <Text className='vol-totals__value'>{p.activities}</Text>
                <Text className='vol-totals__label'>参加活动（次）</Text>
              </View>
            </View>
            {p.partyUnit ? <Text className='vol-roster-sum'>在职党员双报到：工时和积分同时计入 {p.partyUnit}</Text> : null}
            <View className='vol-cert-btn'>
              <Button type='default' block className='vol-go-certificate' onClick={() => go(VOLUNTEER_URLS.certificate)}>
                志愿服务证明
              </Button>
            </View>
          </View>
        ) : null}
      </PageWrapper>

      <Segmented name='vol-tabs' variant='line' options={TABS} value={tab} onChange={setTab} />

      {tab === 'upcoming' || tab === 'past' ? <MyActivities key={tab} when={tab} /> : tab === 'ledger' ? <Ledger /> : <Leaderboard />}
    </PageRoot>
  )
}

export default function MyVolunteerPage() {
  return <MyVolunteerView />
}
