import { useRouter } from '@tarojs/taro'
import { Text } from '@tarojs/components'
import { useState } from 'react'
import { Card, PageRoot, PageWrapper, cx, useResource } from '@/components'
import { loadCase } from '@/features/cases/data'
import { deadlineText } from '@/features/cases/format'
import { CaseActions, useCaseRunner } from '@/features/cases/ui/CaseActions'
import { CaseHead, CaseInfo, CasePhotos, CaseResult, InfoRow, ObserverNote } from '@/features/cases/ui/CaseParts'
import { TimelineCard } from '@/features/cases/ui/Timeline'
import type { CaseDetailT } from '@/shared/api/cases'
import { LEVEL_LABELS, type Level } from '@/shared/rules/cases'
import { DepartmentSheet, type DepartmentMode } from '../../components/DepartmentSheet'
import { paramOf } from '@/features/grid/config'
import '../../components/grid.css'

/** 承办情况: who has it now (the community to route it, a department, the street) and by when. */
function HandlingCard({ c }: { c: CaseDetailT }) {
  const due = deadlineText(c)
  const open = ['submitted', 'accepted', 'mediating', 'waiting_info'].includes(c.status)
  const atDept = c.level === 'department' && !!c.departmentName
  const who = atDept ? c.departmentName! : `${LEVEL_LABELS[c.level as Level]}${c.level === 'community' && c.status === 'submitted' ? '（待分流转办）' : ''}`
  return (
    <Card title='承办情况' className='event-handling'>
      {open ? <InfoRow className='event-handling__who' label='当前承办' value={who} /> : null}
      {c.departmentName && (!open || !atDept) ? <InfoRow className='event-handling__dept' label='职能部门' value={c.departmentName} /> : null}
      {!open && !c.departmentName ? <InfoRow className='event-handling__who' label='承办' value={c.assigneeName ?? LEVEL_LABELS[c.level as Level]} /> : null}
      {open && due ? <InfoRow className={cx('event-handling__due', due.overdue && 'event-handling__due--overdue')} label='时限' value={due.text} /> : null}
      {c.level === 'street' && open ? <Text className='event-handling__note'>职能部门逾期未办结，已上报街道；街道可吹哨改派其他职能部门。</Text> : null}
    </Card>
  )
}

/**
 * One patrol report (巡查上报): what was found, where, the department handling it and its
 * deadline, the result, the record; and what the viewer may do — 分流转办 (community), 接收处置 /
 * 处置完毕 (the department), 吹哨 (the street), 添加备注, 撤回 (the grid worker).
 */
export function EventDetailView({ id }: { id: string }) {
  const res = useResource<CaseDetailT>(id ? () => loadCase(id) : null, [id], '缺少上报编号')
  const run = useCaseRunner(res)
  const [sheet, setSheet] = useState<DepartmentMode | null>(null)
  const { data: c, loading, error, reload } = res

  if (!c) {
    return (
      <PageRoot className='grid-event'>
        <PageWrapper loading={loading} error={loading ? null : error} onRetry={() => void reload()} />
      </PageRoot>
    )
  }

  return (
    <PageRoot className='grid-event'>
      <CaseHead c={c} />
      <ObserverNote c={c} />

      <Card title='发现的问题' className='case-content'>
        <Text className='case-description'>{c.description}</Text>
        <CasePhotos photos={c.photos} rejected={c.rejectedPhotos} />
      </Card>

      <HandlingCard c={c} />
      <CaseResult c={c} />

      <CaseActions c={c} run={run} onCustom={(key) => setSheet(key === 'route' || key === 'whistle' ? key : null)} />

      <CaseInfo c={c} />
      <TimelineCard kind={c.kind} entries={c.timeline} />

      <DepartmentSheet c={c} mode={sheet} run={run} onClose={() => setSheet(null)} />
    </PageRoot>
  )
}

export default function EventDetailPage() {
  const router = useRouter()
  return <EventDetailView id={paramOf(router.params.id)} />
}
