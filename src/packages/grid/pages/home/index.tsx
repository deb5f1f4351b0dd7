import Taro, { useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { Button, Card, PageRoot, PageWrapper, Tag, cx } from '@/components'
import { PageLinks, type PageLink } from '@/features/cases/ui/CaseMine'
import { loadMyGrids, type GridSummary } from '@/features/grid/api'
import { GRID_URLS, paramOf } from '@/features/grid/config'
import { canReport, isCommunityStaff, managesDepartments, managesGridSettings } from '@/features/grid/format'
import { useShownResource } from '@/features/grid/hooks'
import { useSession } from '@/features/profile/useSession'
import type { Role } from '@/shared/api/define'
import '../../components/grid.css'

const go = (url: string) => void Taro.navigateTo({ url })

function homeLinks(roles: readonly Role[]): PageLink[] {
  const links: PageLink[] = []
  if (canReport(roles)) {
    links.push({ key: 'report', title: '巡查上报', desc: '发现问题随手报 ›', url: GRID_URLS.report })
    links.push({ key: 'mine', title: '我的上报', desc: '查看处置进度 ›', url: `${GRID_URLS.events}?mine=1` })
  }
  if (isCommunityStaff(roles)) links.push({ key: 'triage', title: '上报事项分流', desc: '转办到职能部门 ›', url: GRID_URLS.events })
  links.push({ key: 'stats', title: '网格统计', desc: '走访、上报、办结 ›', url: GRID_URLS.stats() })
  if (managesDepartments(roles)) links.push({ key: 'departments', title: '职能部门', desc: '部门与联系人 ›', url: GRID_URLS.departments })
  if (managesGridSettings(roles)) links.push({ key: 'settings', title: '网格设置', desc: '走访周期、事项清单 ›', url: GRID_URLS.settings })
  return links
}

function Figure({ value, label, tone, className }: { value: number; label: string; tone?: 'danger' | 'warning'; className: string }) {
  return (
    <View className={cx('grid-figure', className, value > 0 && tone && `grid-figure--${tone}`)}>
      <Text className='grid-figure__value'>{value}</Text>
      <Text className='grid-figure__label'>{label}</Text>
    </View>
  )
}

function GridCard({ g }: { g: GridSummary }) {
  const waiting = g.overdue + g.due
  return (
    <Card
      title={g.name}
      className={cx('grid-card', `grid-card--${g.id}`)}
      extra={g.overdue ? <Tag type='danger'>{g.overdue} 户逾期未走访</Tag> : waiting ? <Tag type='warning'>{waiting} 户待走访</Tag> : <Tag type='success'>走访按期</Tag>}
    >
      <View className='grid-figures'>
        <Figure className='grid-figure--households' value={g.households} label='户数' />
        <Figure className='grid-figure--tagged' value={g.tagged} label='重点户' />
        <Figure className='grid-figure--overdue' value={g.overdue} label='已逾期' tone='danger' />
        <Figure className='grid-figure--due' value={g.due} label='近期待走访' tone='warning' />
      </View>
      <View className='grid-card__actions'>
        <Button type='default' className='grid-go-households' onClick={() => go(GRID_URLS.households(g.id))}>
          网格户籍
        </Button>
        <Button type={waiting ? 'primary' : 'default'} className='grid-go-due' onClick={() => go(GRID_URLS.due(g.id))}>
          {waiting ? `待走访（${waiting}）` : '待走访'}
        </Button>
      </View>
    </Card>
  )
}

/**
 * 网格工作 (grid workers, community staff): my grids (staff: every grid of the community) with
 * 户数, 重点户, 已逾期 and 近期待走访; links to 巡查上报, 我的上报, 上报事项分流, 网格统计 (admins: 网格设置).
 */
export function GridHomeView({ focus }: { focus?: string }) {
  const { session } = useSession()
  const roles = session?.profile?.roles ?? []
  const res = useShownResource(() => loadMyGrids(), [])
  const grids = res.data ?? []
  // From the job's reminder (…?gridId=): that grid first.
  const ordered = focus ? [...grids.filter((g) => g.id === focus), ...grids.filter((g) => g.id !== focus)] : grids

  return (
    <PageRoot className='grid-home'>
      <PageLinks links={homeLinks(roles)} />
      <PageWrapper
        loading={res.loading && !res.data}
        error={res.data ? null : res.error}
        empty={!!res.data && grids.length === 0}
        emptyText='您还没有负责的网格，请联系社区工作人员设置'
        onRetry={() => void res.reload()}
      >
        <View className='grid-list'>
          {ordered.map((g) => (
            <GridCard key={g.id} g={g} />
          ))}
        </View>
        <Text className='grid-note'>重点户按关爱类别的走访周期计算，到期前 3 天起列入「近期待走访」。</Text>
      </PageWrapper>
    </PageRoot>
  )
}

export default function GridHomePage() {
  const router = useRouter()
  return <GridHomeView focus={router.params.gridId ? paramOf(router.params.gridId) : undefined} />
}
