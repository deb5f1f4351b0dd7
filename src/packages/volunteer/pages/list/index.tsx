import Taro from '@tarojs/taro'
import { View, Text, Input, Picker } from '@tarojs/components'
import { useState } from 'react'
import { Button, LinkTiles, PageRoot, PagedListView, type LinkTile } from '@/components'
import { Chips } from '@/features/cases/ui/Chips'
import { ONBOARDING_URL } from '@/features/entries'
import { useSession } from '@/features/profile/useSession'
import { NO_FILTERS, type ActivityFilters, type PhaseFilter } from '@/features/volunteer/api'
import { VOLUNTEER_URLS } from '@/features/volunteer/config'
import { PHASE_FILTERS, STAFF_PHASE_FILTERS, dateLabel, isVolunteerStaff } from '@/features/volunteer/format'
import { useActivityList } from '@/features/volunteer/hooks'
import { ACTIVITY_CATEGORIES, type ActivityCategory } from '@/shared/rules/volunteer'
import { ActivityCard } from '../../components/ActivityCard'
import '../../components/volunteer.css'

const CATEGORY_OPTIONS = [{ key: 'all', label: '全部' }, ...ACTIVITY_CATEGORIES.map((c) => ({ key: c, label: c }))] as const

function links(staff: boolean): LinkTile[] {
  const mine: LinkTile = { key: 'mine', title: '我的志愿', desc: '报名、工时、积分', url: VOLUNTEER_URLS.mine }
  if (!staff) return [mine]
  return [mine, { key: 'new', title: '新建活动', desc: '填写后发布', url: VOLUNTEER_URLS.edit() }, { key: 'export', title: '导出工时', desc: '按人、按报到单位', url: VOLUNTEER_URLS.export }]
}

/** 志愿活动: the community's activities, upcoming first, with search, category, phase and date filters. */
export function ActivityListView() {
  const { session } = useSession()
  const [filters, setFilters] = useState<ActivityFilters>(NO_FILTERS)
  const [query, setQuery] = useState('')
  const list = useActivityList(filters)
  const set = (patch: Partial<ActivityFilters>) => setFilters((f) => ({ ...f, ...patch }))
  const search = (q = query) => set({ q: q.trim() })
  const filtered = filters.category || filters.phase || filters.date || filters.q
  // Activities are per community: someone without an address is asked for it first.
  const notOnboarded = session !== null && session.profile === null

  return (
    <PageRoot className='vol-list-page'>
      <LinkTiles hook='vol' links={links(isVolunteerStaff(session?.profile?.roles))} />

      <View className='vol-filters'>
        <View className='vol-search'>
          <Input
            className='ui-input vol-search__input'
            placeholderClass='ui-placeholder'
            placeholder='搜索活动名称、地点'
            confirmType='search'
            maxlength={20}
            value={query}
            onInput={(e) => setQuery(e.detail.value)}
            onConfirm={(e) => search(e.detail.value)}
          />
          <Button type='default' size='small' className='vol-search__btn' onClick={() => search()}>
            搜索
          </Button>
        </View>
        <Text className='vol-filters__label'>类别</Text>
        <Chips name='category' columns={4} options={CATEGORY_OPTIONS} value={filters.category ?? 'all'} onChange={(k) => set({ category: k === 'all' ? null : (k as ActivityCategory) })} />
        <Text className='vol-filters__label'>状态</Text>
        <Chips name='phase' options={isVolunteerStaff(session?.profile?.roles) ? STAFF_PHASE_FILTERS : PHASE_FILTERS} value={filters.phase ?? 'all'} onChange={(k) => set({ phase: k === 'all' ? null : (k as PhaseFilter) })} />
        <View className='vol-date'>
          <Picker mode='date' value={filters.date ?? ''} onChange={(e) => set({ date: String(e.detail.value) })} className='vol-date__picker'>
            <View className='ui-picker vol-date__value'>
              <Text>{filters.date ? `日期：${dateLabel(filters.date)}` : '按日期筛选（全部日期）'}</Text>
            </View>
          </Picker>
          {filters.date ? (
            <View className='vol-date__clear' onClick={() => set({ date: null })}>
              <Text>清除</Text>
            </View>
          ) : null}
        </View>
      </View>

      <PagedListView
        list={notOnboarded ? { ...list, loading: false, error: null } : list}
        empty={notOnboarded || undefined}
        emptyText={notOnboarded ? '完善住址后即可查看并报名所在社区的志愿活动' : filtered ? '没有符合条件的活动' : '本社区暂时没有志愿活动'}
        emptyAction={
          notOnboarded ? (
            <Button type='plain' className='vol-go-onboarding' onClick={() => void Taro.navigateTo({ url: ONBOARDING_URL })}>
              去完善住址
            </Button>
          ) : filtered ? (
            <Button
              type='plain'
              className='vol-clear-filters'
              onClick={() => {
                setQuery('')
                setFilters(NO_FILTERS)
              }}
            >
              清除筛选
            </Button>
          ) : undefined
        }
      >
        <View className='vol-list'>
          {list.items.map((a) => (
            <ActivityCard key={a.id} item={a} onClick={() => void Taro.navigateTo({ url: VOLUNTEER_URLS.detail(a.id) })} />
          ))}
        </View>
      </PagedListView>
    </PageRoot>
  )
}

export default function ActivityListPage() {
  return <ActivityListView />
}
