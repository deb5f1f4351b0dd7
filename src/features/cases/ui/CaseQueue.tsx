import Taro from '@tarojs/taro'
import { View, Text, Picker } from '@tarojs/components'
import { useCallback, useEffect, useState } from 'react'
import { PageRoot, PagedListView, Switch, useFilteredList } from '@/components'
import type { CaseSummaryT } from '@/shared/api/cases'
import { kindNounOf, type CaseKind } from '@/shared/rules/cases'
import { DEFAULT_QUEUE_FILTERS, fetchQueue, loadCommunityGrids, QUEUE_STATUSES, queueStatusLabel, type GridOption, type QueueFilters } from '../data'
import { useCaseSession } from '../useSession'
import type { Role } from '@/shared/api/define'
import { CaseCard } from './CaseCard'
import { PageLinks, type PageLink } from './CaseMine'
import { Chips } from './Chips'
import { StaffSubscribePrompt } from './SubscribePrompt'
import './cases.css'

/**
 * The grids the 网格 filter offers: staff and admin any grid of the community; a grid worker
 * (not street staff, whose queue is the street's) only their own, and only when they have several.
 */
function useGridChoices(roles: readonly Role[]): GridOption[] {
  const mode = roles.includes('staff') || roles.includes('admin') ? 'all' : roles.includes('grid_worker') && !roles.includes('street') ? 'mine' : null
  const [grids, setGrids] = useState<GridOption[]>([])
  useEffect(() => {
    if (!mode) return
    let alive = true
    loadCommunityGrids()
      .then((items) => {
        if (alive) setGrids(mode === 'all' ? items : items.filter((g) => g.mine))
      })
      .catch(() => undefined) // no filter then; the queue itself still loads
    return () => {
      alive = false
    }
  }, [mode])
  return mode === 'all' || (mode === 'mine' && grids.length > 1) ? grids : []
}

function FilterPicker({ range, index, className, onPick }: { range: string[]; index: number; className: string; onPick: (index: number) => void }) {
  return (
    <Picker mode='selector' range={range} value={index} onChange={(e) => onPick(Number(e.detail.value))}>
      <View className={`ui-picker ${className}`}>
        <Text>{range[index]}</Text>
        <Text className='category-picker__arrow'>▾</Text>
      </View>
    </Picker>
  )
}

export interface CaseQueueProps {
  kind: CaseKind
  /** The kind's categories (the 类别 filter). */
  categories: readonly string[]
  detailUrl: (id: string) => string
  /** The page root's class (`dispute-queue`, `message-inbox`). */
  className: string
  /** Links above the filters for this person's roles (常用回复). */
  links?: (roles: readonly Role[]) => PageLink[]
}

/** 待办纠纷 / 留言办理 (grid workers, staff, street): sorted by deadline, overdue first, with filters. */
export function CaseQueue({ kind, categories, detailUrl, className, links }: CaseQueueProps) {
  const { session } = useCaseSession()
  const roles = session?.profile?.roles ?? []
  const [filters, setFilters] = useState<QueueFilters>(DEFAULT_QUEUE_FILTERS)
  const fetchPage = useCallback((cursor: string | undefined) => fetchQueue(kind, filters, cursor), [kind, filters])
  // First load and every filter change.
  const list = useFilteredList<CaseSummaryT>(fetchPage)

  const grids = useGridChoices(roles)
  const gridRange = ['全部网格', ...grids.map((g) => g.name)]
  const gridIndex = filters.gridId ? grids.findIndex((g) => g.id === filters.gridId) + 1 : 0
  const categoryRange = ['全部类别', ...categories]
  const categoryIndex = filters.category ? categories.indexOf(filters.category) + 1 : 0
  const statusOptions = QUEUE_STATUSES[kind].map((key) => ({ key, label: queueStatusLabel(kind, key) }))
  const noun = kindNounOf(kind)

  return (
    <PageRoot className={className}>
      <StaffSubscribePrompt />
      {links ? <PageLinks links={links(roles)} /> : null}
      <View className='queue-filters'>
        <Chips name='status' options={statusOptions} value={filters.status} onChange={(status) => setFilters((f) => ({ ...f, status }))} />
        <View className='queue-filters__row'>
          <FilterPicker
            className='category-picker'
            range={categoryRange}
            index={categoryIndex}
            onPick={(i) => setFilters((f) => ({ ...f, category: i > 0 ? (categories[i - 1] as QueueFilters['category']) : null }))}
          />
          <View className='overdue-toggle'>
            <Text className='overdue-toggle__text'>只看超期</Text>
            <Switch className='overdue-switch' checked={filters.overdueOnly} label='只看超期' onChange={(overdueOnly) => setFilters((f) => ({ ...f, overdueOnly }))} />
          </View>
        </View>
        {grids.length ? (
          <View className='queue-filters__row'>
            <FilterPicker
              className='grid-picker'
              range={gridRange}
              index={gridIndex}
              onPick={(i) => setFilters((f) => ({ ...f, gridId: i > 0 ? (grids[i - 1]?.id ?? null) : null }))}
            />
          </View>
        ) : null}
      </View>

      <PagedListView list={list} emptyText={filters.overdueOnly ? `没有超期的${noun}` : `暂无${noun}`}>
        <View className='case-list'>
          {list.items.map((item) => (
            <CaseCard key={item.id} item={item} showGrid onClick={() => void Taro.navigateTo({ url: detailUrl(item.id) })} />
          ))}
        </View>
      </PagedListView>
    </PageRoot>
  )
}
