import Taro from '@tarojs/taro'
import { View, Text, Image } from '@tarojs/components'
import { Card, Tag, cx } from '@/components'
import type { CaseDetailT } from '@/shared/api/cases'
import { LEVEL_LABELS, SATISFACTION_LABELS, type Level, type Satisfaction } from '@/shared/rules/cases'
import { formatDateTime } from '@/shared/time'
import { deadlineText, shownStatus, statusTagType, URGENCY_LABELS, UTILITY_LABEL } from '../format'
import './cases.css'

/** What a case is called: 纠纷 / 留言 / 上报. */
export function kindNoun(kind: CaseDetailT['kind']): string {
  return kind === 'dispute' ? '纠纷' : kind === 'event' ? '上报' : '留言'
}

/** Who handles it, as the head's tag says: 网格办理 · 翠湖第一网格, 社区办理, 翠湖街道城管中队 办理. */
function handlerTag(c: Pick<CaseDetailT, 'level' | 'gridName' | 'departmentName'>): string {
  if (c.level === 'department' && c.departmentName) return `${c.departmentName}办理`
  return `${LEVEL_LABELS[c.level as Level]}办理${c.gridName && c.level === 'grid' ? ` · ${c.gridName}` : ''}`
}

export function InfoRow({ label, value, className }: { label: string; value: string; className?: string }) {
  return (
    <View className={cx('info-row', className)}>
      <Text className='info-row__label'>{label}</Text>
      <Text className='info-row__value'>{value}</Text>
    </View>
  )
}

/** The case's header: status, category, the deadline (or 已暂停计时), urgency, overdue, level. */
export function CaseHead({ c }: { c: CaseDetailT }) {
  const due = deadlineText(c)
  return (
    <View className={cx('case-head', `case-head--${statusTagType(c.status)}`)}>
      <View className='case-head__top'>
        <Text className='case-head__status'>{shownStatus(c)}</Text>
        <Text className='case-head__category'>
          {c.category}
          {kindNoun(c.kind)}
        </Text>
      </View>
      {due ? <Text className={cx('case-head__due', due.overdue && 'case-head__due--overdue', due.paused && 'case-head__due--paused')}>{due.text}</Text> : null}
      <View className='case-head__tags'>
        {c.urgency === 'urgent' ? <Tag type='danger'>{c.kind === 'message' ? UTILITY_LABEL : URGENCY_LABELS.urgent}</Tag> : null}
        {c.complex ? <Tag type='warning'>复杂案件</Tag> : null}
        {c.overdue ? <Tag type='danger'>已超期</Tag> : null}
        {due?.paused ? (
          <Tag type='warning' className='case-head__paused'>
            已暂停计时
          </Tag>
        ) : null}
        <Tag type='muted' className='case-head__level'>
          {handlerTag(c)}
        </Tag>
      </View>
    </View>
  )
}

/** An observer (another worker of the grid or community) reads only: who handles it. */
export function ObserverNote({ c }: { c: CaseDetailT }) {
  if (c.viewerRole !== 'observer') return null
  const who = c.assigneeName ?? (c.level === 'grid' && c.gridName ? c.gridName : c.level === 'department' && c.departmentName ? c.departmentName : LEVEL_LABELS[c.level as Level])
  return (
    <View className='observer-note'>
      <Text>
        该事项由 {who} 承办{c.assigneeName ? '' : '（尚未受理）'}，您可以查看，不能办理。
      </Text>
    </View>
  )
}

/**
 * The case's photos, each opening the viewer. While the content check runs, the uploader sees
 * their photo marked 审核中 and everyone else a placeholder (图片审核中, no image: the server sends
 * no URL). `rejected`: the viewer's own photos that failed the check (never sent).
 */
export function CasePhotos({
  photos,
  className,
  rejected,
}: {
  photos: ReadonlyArray<{ fileId: string; url: string | null; checking?: boolean }>
  className?: string
  rejected?: number
}) {
  if (!photos.length && !rejected) return null
  const urls = photos.flatMap((p) => (p.url ? [p.url] : []))
  return (
    <View className={cx('case-photos', className)}>
      {photos.map((p, i) =>
        p.url ? (
          <View key={p.fileId} className='case-photo' aria-label={`查看照片 ${i + 1}${p.checking ? '（审核中）' : ''}`} onClick={() => void Taro.previewImage({ urls, current: p.url! }).catch(() => undefined)}>
            <Image className='case-photo__img' src={p.url} mode='aspectFill' aria-label={`照片 ${i + 1}`} />
            {p.checking ? (
              <View className='case-photo__checking'>
                <Text>审核中</Text>
              </View>
            ) : null}
          </View>
        ) : (
          <View key={p.fileId} className='case-photo case-photo--pending'>
            <Text>{p.checking ? '图片审核中' : '图片暂不可用'}</Text>
          </View>
        ),
      )}
      {rejected ? <Text className='case-photos__rejected'>有 {rejected} 张图片未通过审核，仅您可见此提示</Text> : null}
    </View>
  )
}

/** 基本信息: where, who (the full phone only to the handler, as the server sends it), when, the 承办人. */
export function CaseInfo({ c }: { c: CaseDetailT }) {
  const dispute = c.kind === 'dispute'
  const event = c.kind === 'event'
  return (
    <Card title='基本信息' className='case-info'>
      <InfoRow label={dispute || event ? '发生位置' : '住址'} value={c.locationText} />
      {c.viewerRole === 'handler' && c.otherParty ? <InfoRow className='info-row--other' label='对方住址' value={`${c.otherParty}（仅工作人员可见）`} /> : null}
      <InfoRow label={dispute ? '提交人' : event ? '上报人' : '留言人'} value={c.submitter.name} />
      {c.submitter.phone ? <InfoRow label='联系电话' value={c.submitter.phone} /> : null}
      {c.proxy ? <InfoRow label='代办' value={c.proxy.text} className='case-proxy' /> : null}
      <InfoRow label={event ? '上报时间' : '提交时间'} value={formatDateTime(c.submittedAt)} />
      {dispute || event ? <InfoRow label='紧急程度' value={URGENCY_LABELS[c.urgency]} /> : null}
      {/* A withdrawn case was never handled to the end: no 承办人. */}
      {c.status === 'withdrawn' ? null : <InfoRow className='info-row--assignee' label='承办人' value={c.assigneeName ?? '待受理'} />}
    </Card>
  )
}

/** 调解结果 / 办理结果: the agreement or result, why it failed, the resident's rating. */
export function CaseResult({ c }: { c: CaseDetailT }) {
  if (!c.agreement && !c.failReason && !c.satisfaction) return null
  const dispute = c.kind === 'dispute'
  return (
    <Card title={dispute ? '调解结果' : c.kind === 'event' ? '处置情况' : '办结情况'} className='case-result'>
      {c.agreement ? <InfoRow className='info-row--block' label={dispute ? '调解协议' : c.kind === 'event' ? '处置结果' : '办理结果'} value={c.agreement} /> : null}
      {c.failReason ? <InfoRow className='info-row--block' label={dispute ? '未成原因' : '未能解决的原因'} value={c.failReason} /> : null}
      {c.satisfaction ? (
        <InfoRow
          label='居民评价'
          value={`${SATISFACTION_LABELS[c.satisfaction as Satisfaction] ?? c.satisfaction}${c.satisfactionComment ? `：${c.satisfactionComment}` : ''}`}
        />
      ) : null}
    </Card>
  )
}

/** The city's hotline for what the community could not settle. */
const HOTLINE = '12345'

/** After the final 不满意 (the case is closed): where the resident can still turn. */
export function NextSteps({ c }: { c: CaseDetailT }) {
  if (c.viewerRole !== 'owner' || c.status !== 'closed' || c.satisfaction !== 'unsatisfied') return null
  return (
    <Card title='还可以这样做' className='next-steps'>
      <View className='next-step next-step--mediation'>
        <Text className='next-step__title'>人民调解委员会</Text>
        <Text className='next-step__text'>可到社区党群服务中心，向人民调解委员会申请调解，调解不收费。</Text>
      </View>
      <View
        className='next-step next-step--hotline'
        hoverClass='next-step--hover'
        onClick={() => void Taro.makePhoneCall({ phoneNumber: HOTLINE }).catch(() => undefined)}
        aria-role='button'
      >
        <Text className='next-step__title'>{HOTLINE} 市民服务热线</Text>
        <Text className='next-step__text'>拨打 {HOTLINE} 反映问题，由相关部门接诉办理。点按拨打 ›</Text>
      </View>
    </Card>
  )
}
