import { DISPUTE_URLS } from '@/features/dispute/config'
import { isCaseHandler, seesCaseStats } from '@/features/cases/format'
import { CaseMine, type PageLink } from '@/features/cases/ui/CaseMine'
import type { Role } from '@/shared/api/define'

/** Handlers get 待办纠纷; staff and the street also 统计. */
function disputeLinks(roles: readonly Role[]): PageLink[] {
  if (!isCaseHandler(roles)) return []
  return [
    { key: 'queue', title: '待办纠纷', desc: '按时限办理 ›', url: DISPUTE_URLS.queue },
    ...(seesCaseStats(roles) ? [{ key: 'stats', title: '统计', desc: '受理与满意率 ›', url: DISPUTE_URLS.statsOf('dispute') }] : []),
  ]
}

/** 我的纠纷: the resident's disputes (newest first); handlers also get 待办纠纷 / 统计 links. */
export function DisputeMineView() {
  return (
    <CaseMine
      kind='dispute'
      className='dispute-mine'
      links={disputeLinks}
      intro='邻里之间有矛盾，提交给网格调解员，24 小时内受理（紧急 2 小时）。'
      emptyText='您还没有提交过纠纷'
      noAddressText='完善住址后即可提交纠纷，由您所在网格的调解员受理'
      newLabel='提交纠纷'
      newUrl={DISPUTE_URLS.new}
      detailUrl={DISPUTE_URLS.detail}
    />
  )
}

export default function DisputeMinePage() {
  return <DisputeMineView />
}
