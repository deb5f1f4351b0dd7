import Taro, { useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useState } from 'react'
import { PageRoot, PagedListView } from '@/components'
import { Chips } from '@/features/cases/ui/Chips'
import type { HouseholdFilter } from '@/features/grid/api'
import { GRID_URLS, paramOf } from '@/features/grid/config'
import { groupHouseholds } from '@/features/grid/format'
import { useHouseholdList } from '@/features/grid/hooks'
import { HouseholdItem } from '../../components/HouseholdItem'
import '../../components/grid.css'

const FILTERS: Array<{ key: HouseholdFilter; label: string }> = [
  { key: 'all', label: '全部' },
  { key: 'tagged', label: '重点户' },
  { key: 'due', label: '待走访' },
]
const EMPTY: Record<HouseholdFilter, string> = {
  all: '这个网格还没有已认证的住户',
  tagged: '还没有标记重点关爱的住户',
  due: '没有近期待走访的住户',
}

/**
 * 网格户籍: the grid's households by 楼栋 and 单元, with care tags, 上次走访 and the visit state, a
 * page at a time (加载更多 at the bottom, pull-down refreshes). 重点户 keep the roster's order;
 * 待走访 come most urgent first.
 */
export function HouseholdsView({ gridId }: { gridId: string }) {
  const [filter, setFilter] = useState<HouseholdFilter>('all')
  const { list, gridName } = useHouseholdList(gridId, filter)
  const groups = groupHouseholds(list.items)

  return (
    <PageRoot className='grid-households'>
      <View className='grid-filter'>
        {gridName ? (
          <Text className='grid-filter__title'>
            {gridName}
            {list.loaded && !list.hasMore ? ` · 共 ${list.items.length} 户` : ''}
          </Text>
        ) : null}
        <Chips name='filter' columns={3} options={FILTERS} value={filter} onChange={setFilter} />
      </View>
      <PagedListView list={list} emptyText={EMPTY[filter]}>
        {groups.map((b) => (
          <View key={b.key} className='hh-building'>
            <View className='hh-building__head'>
              <Text className='hh-building__name'>{b.buildingName}</Text>
              <Text className='hh-building__count'>{b.count} 户</Text>
            </View>
            {b.units.map((u) => (
              <View key={u.key} className='hh-unit'>
                <Text className='hh-unit__name'>{u.unitName}</Text>
                <View className='hh-unit__list'>
                  {u.items.map((h) => (
                    <HouseholdItem key={h.id} item={h} title={`${h.room} 室`} onClick={() => void Taro.navigateTo({ url: GRID_URLS.household(h.id) })} />
                  ))}
                </View>
              </View>
            ))}
          </View>
        ))}
      </PagedListView>
    </PageRoot>
  )
}

export default function HouseholdsPage() {
  const router = useRouter()
  return <HouseholdsView gridId={paramOf(router.params.gridId)} />
}
