import { useRouter } from '@tarojs/taro'
import { Text } from '@tarojs/components'
import { Card, PageRoot, PageWrapper, useResource } from '@/components'
import { loadCase } from '@/features/cases/data'
import { CaseActions, useCaseRunner } from '@/features/cases/ui/CaseActions'
import { CaseHead, CaseInfo, CasePhotos, CaseResult, NextSteps, ObserverNote } from '@/features/cases/ui/CaseParts'
import { Timeline } from '@/features/cases/ui/Timeline'
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
        <CasePhotos photos={c.photos} />
      </Card>

      <CaseInfo c={c} />
      <CaseResult c={c} />
      <NextSteps c={c} />

      <CaseActions
        c={c}
        run={run}
        note={c.can.includes('rate') ? <Text className='case-actions__hint'>请在 7 天内评价，逾期按「默认满意」办结。</Text> : null}
      />

      <Card title='办理记录' className='case-timeline'>
        <Timeline kind={c.kind} entries={c.timeline} />
      </Card>
    </PageRoot>
  )
}

export default function DisputeDetailPage() {
  const router = useRouter()
  return <DisputeDetailView id={String(router.params.id ?? '')} />
}
