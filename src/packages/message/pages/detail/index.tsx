import { useRouter } from '@tarojs/taro'
import { useState } from 'react'
import { Card, PageRoot, PageWrapper, useResource } from '@/components'
import { loadCase } from '@/features/cases/data'
import { CaseActions, useCaseRunner } from '@/features/cases/ui/CaseActions'
import { CaseHead, CaseInfo, CasePhotos, CaseResult, NextSteps, ObserverNote } from '@/features/cases/ui/CaseParts'
import { TimelineCard } from '@/features/cases/ui/Timeline'
import type { CaseDetailT } from '@/shared/api/cases'
import { AnswerBox, ReplyBox } from '../../components/Composer'
import { Thread } from '../../components/Thread'
import { PublishSheet, WallState } from '../../components/Wall'

/**
 * One message: the header, the thread, the box to answer (resident) or reply (handler), the
 * 留言墙 state, the result, and by `can` what the viewer may do; the record folded at the end.
 * Opening it marks the other side's posts read (the server does, on `get`).
 */
export function MessageDetailView({ id }: { id: string }) {
  const res = useResource<CaseDetailT>(id ? () => loadCase(id) : null, [id], '缺少留言编号')
  const run = useCaseRunner(res)
  const [publishing, setPublishing] = useState(false)
  const { data: c, loading, error, reload } = res

  if (!c) {
    return (
      <PageRoot className='message-detail'>
        <PageWrapper loading={loading} error={loading ? null : error} onRetry={() => void reload()} />
      </PageRoot>
    )
  }

  return (
    <PageRoot className='message-detail'>
      <CaseHead c={c} />
      <ObserverNote c={c} />

      <Card title='留言与回复' className='thread-card'>
        <Thread posts={c.thread} />
        {/* The writer's own photos that failed the content check are never shown: only this note, to them. */}
        <CasePhotos photos={[]} rejected={c.rejectedPhotos} />
      </Card>

      {c.can.includes('reply') ? <ReplyBox can={c.can} run={run} /> : null}
      {c.can.includes('answer') ? <AnswerBox waiting={c.status === 'waiting_info'} run={run} /> : null}

      <CaseResult c={c} />
      <NextSteps c={c} />
      <WallState c={c} />

      <CaseActions c={c} run={run} onCustom={(key) => setPublishing(key === 'publish')} />

      <CaseInfo c={c} />
      <TimelineCard kind={c.kind} entries={c.timeline} collapsible />

      <PublishSheet c={c} run={run} open={publishing} onClose={() => setPublishing(false)} />
    </PageRoot>
  )
}

export default function MessageDetailPage() {
  const router = useRouter()
  return <MessageDetailView id={String(router.params.id ?? '')} />
}
