import { isCaseHandler, seesCaseStats } from '@/features/cases/format'
import { DISPUTE_URLS } from '@/features/dispute/config'
import { CaseMine, type PageLink } from '@/features/cases/ui/CaseMine'
import { MESSAGE_URLS } from '@/features/message/config'
import type { Role } from '@/shared/api/define'

/** Everyone gets 留言墙; handlers also 留言办理; staff and the street 统计. */
function messageLinks(roles: readonly Role[]): PageLink[] {
  return [
    ...(isCaseHandler(roles) ? [{ key: 'inbox', title: '留言办理', desc: '按时限答复 ›', url: MESSAGE_URLS.inbox }] : []),
    ...(seesCaseStats(roles) ? [{ key: 'stats', title: '统计', desc: '响应率、解决率、满意率 ›', url: DISPUTE_URLS.statsOf('message') }] : []),
    { key: 'wall', title: '留言墙', desc: '看看社区的答复 ›', url: MESSAGE_URLS.wall },
  ]
}

/** 我的留言: the resident's messages (newest first) with a mark for unread replies. */
export function MessageMineView() {
  return (
    <CaseMine
      kind='message'
      className='message-mine'
      links={messageLinks}
      intro='有事想咨询、有建议、要投诉或报修，写给社区，24 小时内答复（水电气暖紧急 2 小时）。'
      emptyText='您还没有给社区留过言'
      noAddressText='完善住址后即可给社区留言'
      newLabel='写留言'
      newUrl={MESSAGE_URLS.new}
      detailUrl={MESSAGE_URLS.detail}
    />
  )
}

export default function MessageMinePage() {
  return <MessageMineView />
}
