import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import { View, Text, Picker } from '@tarojs/components'
import { useCallback, useEffect, useRef, useState } from 'react'
import { PageRoot, PagedListView, Switch, usePagedList } from '@/components'
import { DISPUTE_URLS } from '@/features/dispute/config'
import {
  DEFAULT_QUEUE_FILTERS,
  fetchQueue,
  loadCommunityGrids,
  QUEUE_STATUSES,
  QUEUE_STATUS_LABELS,
  type GridOption,
  type QueueFilters,
} from '@/features/dispute/data'
import { useDisputeSession } from '@/features/dispute/useSession'
import type { CaseSummaryT } from '@/shared/api/cases'
import { DISPUTE_CATEGORIES, type DisputeCategory } from '@/shared/rules/cases'
import { CaseCard } from '../../components/CaseCard'
import { Chips } from '../../components/Chips'
import '../../components/dispute.css'
import './index.css'

const STATUS_OPTIONS = QUEUE_STATUSES.map((key) => ({ key, label: QUEUE_STATUS_LABELS[key] }))
const CATEGORY_RANGE = ['全部类别', ...DISPUTE_CATEGORIES]

/**
 * The grids the 网格 filter offers: staff and admin any grid of the community; a grid worker
 * (not street staff, whose queue is the street's) only their own, and only when they have several.
 */
function useGridChoices(): GridOption[] {
  const { session } = useDisputeSession()
  const roles = session?.profile?.roles ?? []
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

/** 待办纠纷 (grid workers, staff, street): sorted by deadline, overdue first, with filters. */
export function DisputeQueueView() {
  const [filters, setFilters] = useState<QueueFilters>(DEFAULT_QUEUE_FILTERS)
  const fetchPage = useCallback((cursor: string | undefined) => fetchQueue(filters, cursor), [filters])
  const list = usePagedList<CaseSummaryT, string>(fetchPage, { auto: false })
  const { refresh } = list

  // First load and every filter change (the hook always calls the latest fetchPage).
  useEffect(() => {
    void refresh()
  }, [filters, refresh])

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

  const grids = useGridChoices()
  const gridRange = ['全部网格', ...grids.map((g) => g.name)]
  const gridIndex = filters.gridId ? grids.findIndex((g) => g.id === filters.gridId) + 1 : 0

  const categoryIndex = filters.category ? DISPUTE_CATEGORIES.indexOf(filters.category) + 1 : 0

  return (
    <PageRoot className='dispute-queue'>
      <View className='queue-filters'>
        <Chips name='status' options={STATUS_OPTIONS} value={filters.status} onChange={(status) => setFilters((f) => ({ ...f, status }))} />
        <View className='queue-filters__row'>
          <Picker
            mode='selector'
            range={CATEGORY_RANGE}
            value={categoryIndex}
            onChange={(e) => {
              const i = Number(e.detail.value)
              setFilters((f) => ({ ...f, category: i > 0 ? (DISPUTE_CATEGORIES[i - 1] as DisputeCategory) : null }))
            }}
          >
            <View className='ui-picker category-picker'>
              <Text>{CATEGORY_RANGE[categoryIndex]}</Text>
              <Text className='category-picker__arrow'>▾</Text>
            </View>
          </Picker>
          <View className='overdue-toggle'>
            <Text className='overdue-toggle__text'>只看超期</Text>
            <Switch className='overdue-switch' checked={filters.overdueOnly} label='只看超期' onChange={(overdueOnly) => setFilters((f) => ({ ...f, overdueOnly }))} />
          </View>
        </View>
        {grids.length ? (
          <View className='queue-filters__row'>
            <Picker
              mode='selector'
              range={gridRange}
              value={gridIndex}
              onChange={(e) => {
                const i = Number(e.detail.value)
                setFilters((f) => ({ ...f, gridId: i > 0 ? (grids[i - 1]?.id ?? null) : null }))
              }}
            >
              <View className='ui-picker grid-picker'>
                <Text>{gridRange[gridIndex]}</Text>
                <Text className='category-picker__arrow'>▾</Text>
              </View>
            </Picker>
          </View>
        ) : null}
      </View>

      <PagedListView
        list={list}
        emptyText={filters.overdueOnly ? '没有超期的纠纷' : '暂无纠纷'}
      >
        <View className='case-list'>
          {list.items.map((item) => (
            <CaseCard key={item.id} item={item} showGrid onClick={() => void Taro.navigateTo({ url: DISPUTE_URLS.detail(item.id) })} />
          ))}
        </View>
      </PagedListView>
    </PageRoot>
  )
}

export default function DisputeQueuePage() {
  return <DisputeQueueView />
}
