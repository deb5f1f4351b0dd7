import Taro, { useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { Button, PageRoot, PageWrapper } from '@/components'
import { loadDue } from '@/features/grid/api'
import { GRID_URLS, paramOf } from '@/features/grid/config'
import { householdTitle } from '@/features/grid/format'
import { useShownResource } from '@/features/grid/hooks'
import { HouseholdItem } from '../../components/HouseholdItem'
import '../../components/grid.css'

const go = (url: string) => void Taro.navigateTo({ url })

/** 待走访: the grid's tagged households that are overdue or due within 3 days, most urgent first. */
export function DueView({ gridId }: { gridId: string }) {
  const res = useShownResource(gridId ? () => loadDue(gridId) : null, [gridId], '缺少网格编号')
  const items = res.data ?? []
  const overdue = items.filter((h) => h.visitState === 'overdue').length

  return (
    <PageRoot className='grid-due'>
      {res.data && items.length ? (
        <View className='grid-due__summary'>
          <Text>
            {overdue ? `${overdue} 户已逾期` : '没有逾期'}
            {items.length - overdue ? `，${items.length - overdue} 户近期待走访` : ''}，最紧迫的在前。
          </Text>
        </View>
      ) : null}
      <PageWrapper
        loading={res.loading && !res.data}
        error={res.data ? null : res.error}
        empty={!!res.data && items.length === 0}
        emptyText='重点户都已按期走访，近 3 天没有到期的'
        onRetry={() => void res.reload()}
      >
        <View className='hh-flat-list'>
          {items.map((h) => (
            <HouseholdItem
              key={h.id}
              item={h}
              title={householdTitle(h)}
              onClick={() => go(GRID_URLS.household(h.id))}
              action={
                <Button type={h.visitState === 'overdue' ? 'primary' : 'plain'} size='small' className='due-visit-btn' onClick={() => go(GRID_URLS.household(h.id, true))}>
                  去走访
                </Button>
              }
            />
          ))}
        </View>
      </PageWrapper>
    </PageRoot>
  )
}

export default function DuePage() {
  const router = useRouter()
  return <DueView gridId={paramOf(router.params.gridId)} />
}
