import Taro, { useRouter } from '@tarojs/taro'
import { useEffect } from 'react'
import { PageRoot, PageWrapper } from '@/components'
import { CaseMine, type PageLink } from '@/features/cases/ui/CaseMine'
import { CaseQueue } from '@/features/cases/ui/CaseQueue'
import { useCaseSession } from '@/features/cases/useSession'
import { GRID_URLS } from '@/features/grid/config'
import { managesDepartments, seesEventQueue } from '@/features/grid/format'
import type { Role } from '@/shared/api/define'
import { EVENT_TYPES } from '@/shared/rules/grid'
import '../../components/grid.css'

function queueLinks(roles: readonly Role[]): PageLink[] {
  return managesDepartments(roles) ? [{ key: 'departments', title: '职能部门', desc: '部门与联系人 ›', url: GRID_URLS.departments }] : []
}

const noLinks = (): PageLink[] => []

/**
 * 上报事项: a grid worker's own reports (我的上报, newest first); for the community (分流转办), a
 * department (接收、处置) and the street (吹哨) their queue of patrol reports, by deadline.
 */
export function EventsView({ mine = false }: { mine?: boolean }) {
  const { session, loaded } = useCaseSession()
  const roles = session?.profile?.roles ?? []
  const showMine = mine || (loaded && !seesEventQueue(roles))

  useEffect(() => {
    if (!loaded) return
    void Promise.resolve(Taro.setNavigationBarTitle({ title: showMine ? '我的上报' : '上报事项' })).catch(() => undefined)
  }, [loaded, showMine])

  if (!loaded && !session) {
    return (
      <PageRoot className='grid-events'>
        <PageWrapper loading />
      </PageRoot>
    )
  }
  if (showMine) {
    return (
      <CaseMine
        kind='event'
        className='grid-events grid-events--mine'
        links={noLinks}
        intro='巡查中发现的安全隐患、环境卫生、设施损坏等问题，上报后由社区分流转办到职能部门处置。'
        emptyText='您还没有巡查上报'
        noAddressText='完善住址后即可上报'
        newLabel='巡查上报'
        newUrl={GRID_URLS.report}
        detailUrl={GRID_URLS.event}
      />
    )
  }
  return <CaseQueue kind='event' className='grid-events grid-events--queue' categories={EVENT_TYPES} detailUrl={GRID_URLS.event} links={queueLinks} />
}

export default function EventsPage() {
  const router = useRouter()
  return <EventsView mine={router.params.mine === '1'} />
}
