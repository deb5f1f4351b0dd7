import { useRouter } from '@tarojs/taro'
import { Text } from '@tarojs/components'
import { Card, PageRoot, PageWrapper, useResource } from '@/components'
import { loadCase } from '@/features/cases/data'
import { CaseActions, useCaseRunner } from '@/features/cases/ui/CaseActions'
import { CaseHead, CaseInfo, CasePhotos, CaseResult, NextSteps, ObserverNote } from '@/features/cases/ui/CaseParts'
import { TimelineCard } from '@/features/cases/ui/Timeline'
import type { CaseDetailT } from '@/shared/api/cases'

/** One dispute: status, content, people, result, the timeline, and what the viewer may do now. */
export function DisputeDetailView({ id }: { id: string }) {
  const res = useResource<CaseDetailT>(id ? () => loadCase(id) : null, [id], '缺少纠纷编号')
  const run = useCaseRunner(res)
  const { data: c, loading, error, reload } = res

  if (!c) {
    return (
      <PageRoot className='dispute-detail'>
        <PageWrapper loading={loading} error={loading ? null : error} onRetry={() => void reload()} />
      </PageRoot>
    )
  }

  return (
    <PageRoot className='dispute-detail'>
      <CaseHead c={c} />
      <ObserverNote c={c} />

      <Card title='纠纷情况' className='case-content'>
        <Text className='case-description'>{c.description}</Text>
        <CasePhotos photos={c.photos} rejected={c.rejectedPhotos} />
      </Card>

      <CaseInfo c={c} />
      <CaseResult c={c} />
      <NextSteps c={c} />

      <CaseActions c={c} run={run} />

      <TimelineCard kind={c.kind} entries={c.timeline} />
    </PageRoot>
  )
}

export default function DisputeDetailPage() {
  const router = useRouter()
  return <DisputeDetailView id={String(router.params.id ?? '')} />
}
