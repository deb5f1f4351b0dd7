import { canKeepTemplates } from '@/features/cases/format'
import { CaseQueue } from '@/features/cases/ui/CaseQueue'
import type { PageLink } from '@/features/cases/ui/CaseMine'
import { MESSAGE_URLS } from '@/features/message/config'
import type { Role } from '@/shared/api/define'
import { MESSAGE_CATEGORIES } from '@/shared/rules/cases'

/** Staff and grid workers keep the saved replies they insert into answers. */
const inboxLinks = (roles: readonly Role[]): PageLink[] =>
  canKeepTemplates(roles) ? [{ key: 'templates', title: '常用回复', desc: '新建、修改答复模板 ›', url: MESSAGE_URLS.templates }] : []

/** 留言办理 (grid workers, staff, street): sorted by deadline, overdue first, unread replies marked. */
export function MessageInboxView() {
  return <CaseQueue kind='message' className='message-inbox' categories={MESSAGE_CATEGORIES} detailUrl={MESSAGE_URLS.detail} links={inboxLinks} />
}

export default function MessageInboxPage() {
  return <MessageInboxView />
}
