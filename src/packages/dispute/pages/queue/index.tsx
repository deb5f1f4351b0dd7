import { DISPUTE_URLS } from '@/features/dispute/config'
import { CaseQueue } from '@/features/cases/ui/CaseQueue'
import { DISPUTE_CATEGORIES } from '@/shared/rules/cases'

/** 待办纠纷 (grid workers, staff, street): sorted by deadline, overdue first, with filters. */
export function DisputeQueueView() {
  return <CaseQueue kind='dispute' className='dispute-queue' categories={DISPUTE_CATEGORIES} detailUrl={DISPUTE_URLS.detail} />
}

export default function DisputeQueuePage() {
  return <DisputeQueueView />
}
