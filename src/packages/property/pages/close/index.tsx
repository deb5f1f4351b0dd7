import Taro, { useRouter } from '@tarojs/taro'
import { View, Text, Picker } from '@tarojs/components'
import { useState } from 'react'
import { Button, Card, PageRoot, PageWrapper, Tag, cx, type TagType } from '@/components'
import { computeQuarter, correctResult, decideAppeal, openAppeal, publishQuarter } from '@/features/property/api'
import { PROPERTY_URLS } from '@/features/property/config'
import { isPropertyAdmin } from '@/features/property/format'
import { useClose, useRoles } from '@/features/property/hooks'
import { ApiError } from '@/services/gateway'
import type { CloseOutT, ResultOutT } from '@/shared/api/property'
import { CLOSE_STATE_LABELS, type AppealState, type CloseState } from '@/shared/rules/property'
import { formatDateTime, formatShort } from '@/shared/time'
import { Photos } from '../../components/Photos'
import { ReasonSheet } from '../../components/ReasonSheet'
import { Corrections, ScoreHead } from '../../components/ScoreDetail'
import '../../components/property.css'

type Action = 'compute' | 'openAppeal' | 'publish'
type SheetState = { kind: 'accept' | 'reject' | 'correct'; companyId: string; companyName: string }

const STATE_TAGS: Record<CloseState, TagType> = { draft: 'warning', appeal: 'info', published: 'success' }
const APPEAL_TAGS: Record<AppealState, TagType> = { pending: 'warning', accepted: 'success', rejected: 'muted' }
const toast = (title: string, icon: 'none' | 'success' = 'none') => void Taro.showToast({ title, icon, duration: 2500 })
const errorText = (e: unknown, fallback: string) => (e instanceof Error && e.message ? e.message : fallback)

async function confirm(title: string, content: string, confirmText: string): Promise<boolean> {
  const res = await Taro.showModal({ title, content, confirmText, cancelText: '再想想', confirmColor: '#c8161d' }).catch(() => ({ confirm: false }))
  return !!res.confirm
}

function ResultCard({ r, closeState, canCorrect, onSheet }: { r: ResultOutT; closeState: CloseState | null; canCorrect: boolean; onSheet: (s: SheetState) => void }) {
  const a = r.appeal
  return (
    <Card title={r.companyName} className={cx('pm-result', `pm-result--${r.companyId}`)} extra={a ? <Tag type={APPEAL_TAGS[a.state]} className='pm-appeal-state'>申诉{a.stateLabel}</Tag> : undefined}>
      <ScoreHead score={r.score} size='small' />
      <Corrections original={r.original} corrections={r.corrections} />
      {a ? (
        <View className='pm-box pm-appeal'>
          <Text className='pm-item__title'>物业公司申诉（{a.byName}，{formatShort(a.at)}）</Text>
          <Text className='pm-text pm-appeal__text'>{a.text}</Text>
          <Photos photos={a.photos} />
          {a.decision ? (
            <Text className='pm-hint pm-appeal__decision'>
              {a.stateLabel}：{a.decision}
              {a.decidedAt ? `（${formatShort(a.decidedAt)}）` : ''}
            </Text>
          ) : null}
          {a.state === 'pending' && closeState !== 'published' ? (
            <View className='pm-actions'>
              <Button type='primary' size='small' className='pm-appeal-accept' onClick={() => onSheet({ kind: 'accept', companyId: r.companyId, companyName: r.companyName })}>
                采纳
              </Button>
              <Button type='default' size='small' className='pm-appeal-reject' onClick={() => onSheet({ kind: 'reject', companyId: r.companyId, companyName: r.companyName })}>
                驳回
              </Button>
            </View>
          ) : null}
        </View>
      ) : null}
      {canCorrect ? (
        <View className='pm-actions'>
          <Button type='plain' size='small' className='pm-correct' onClick={() => onSheet({ kind: 'correct', companyId: r.companyId, companyName: r.companyName })}>
            更正
          </Button>
        </View>
      ) : null}
    </Card>
  )
}

const SHEETS = {
  accept: { title: '采纳申诉', label: '处理理由', placeholder: '例如：经核实该投诉系误判，撤销扣分', confirm: '确认采纳', hint: '采纳后按现有记录重新计算该公司的结果。' },
  reject: { title: '驳回申诉', label: '处理理由', placeholder: '例如：违规事实清楚，证据充分', confirm: '确认驳回', hint: '驳回后结果不变，理由会告知物业公司。' },
  correct: { title: '更正结果', label: '更正原因', placeholder: '例如：一条违规记录有误，已撤销', confirm: '确认更正', hint: '按现有记录重新计算该公司结果；原结果保留，并注明“已更正”。' },
} as const

/** 季度评定 (staff): compute → 开始申诉期 → decide appeals → 公布; later 更正. */
export function CloseView({ initialQuarter = null }: { initialQuarter?: string | null } = {}) {
  const [quarter, setQuarter] = useState<string | null>(initialQuarter)
  const res = useClose(quarter)
  const { roles } = useRoles()
  const [busy, setBusy] = useState<Action | null>(null)
  const [sheet, setSheet] = useState<SheetState | null>(null)
  const c = res.data

  if (!c) {
    return (
      <PageRoot className='pm-close'>
        <PageWrapper loading={res.loading} error={res.loading ? null : res.error} onRetry={() => void res.reload()} />
      </PageRoot>
    )
  }

  const can = (a: string) => c.can.includes(a)

  const run = async (action: Action, f: (c: CloseOutT) => Promise<CloseOutT>, done: string) => {
    if (busy) return
    setBusy(action)
    try {
      res.setData(await f(c))
      toast(done, 'success')
    } catch (e) {
      if (e instanceof ApiError && e.code === 'CONFLICT') {
        toast('评定状态刚刚有了变化，已刷新')
        await res.reload()
      } else toast(errorText(e, '操作失败，请稍后重试'))
    } finally {
      setBusy(null)
    }
  }

  const compute = () => run('compute', (x) => computeQuarter(x.quarter), '已计算')
  const startAppeal = async () => {
    if (await confirm('开始申诉期', `结果将告知各物业公司，${c.quarterLabel}的申诉期为 7 天。`, '开始申诉')) void run('openAppeal', openAppeal, '已开始申诉期')
  }
  const publish = async () => {
    if (await confirm('公布结果', '公布后不可修改，如有错误只能以“更正”方式注明。确定公布吗？', '确认公布')) void run('publish', publishQuarter, '已公布')
  }

  const spec = sheet ? SHEETS[sheet.kind] : null
  const quarterOptions = c.quarters.map((x) => `${x.label}（${x.state ? CLOSE_STATE_LABELS[x.state] : '未计算'}）`)

  return (
    <PageRoot className='pm-close'>
      <View className='pm-head'>
        <View className='pm-head__row'>
          <Text className='pm-head__title pm-close-quarter'>{c.quarterLabel}</Text>
          <Tag type={c.state ? STATE_TAGS[c.state] : 'muted'} className='pm-close-state'>
            {c.stateLabel}
          </Tag>
        </View>
        {isPropertyAdmin(roles) ? (
          <View className='pm-head__link pm-settings-link' hoverClass='pm-head__link--hover' onClick={() => void Taro.navigateTo({ url: PROPERTY_URLS.settings })}>
            <Text>计分标准设置 ›</Text>
          </View>
        ) : null}
        {!c.ended ? <Text className='pm-head__sub'>本季度尚未结束，结束后才能评定。</Text> : null}
        {c.appealUntil && c.state === 'appeal' ? <Text className='pm-head__sub pm-appeal-until'>申诉截止：{formatDateTime(c.appealUntil)}</Text> : null}
        {c.publishedAt ? <Text className='pm-head__sub'>公布时间：{formatDateTime(c.publishedAt)}</Text> : null}
        {c.quarters.length ? (
          <Picker
            mode='selector'
            range={quarterOptions}
            value={Math.max(0, c.quarters.findIndex((x) => x.quarter === c.quarter))}
            onChange={(e) => setQuarter(c.quarters[Number(e.detail.value)]?.quarter ?? null)}
            className='pm-quarter-picker'
          >
            <View className='ui-picker pm-close-picker'>
              <Text>选择季度：{c.quarterLabel} ▾</Text>
            </View>
          </Picker>
        ) : null}
        {can('compute') || can('openAppeal') || can('publish') ? (
          <View className='pm-actions pm-close-actions'>
            {can('compute') ? (
              <Button type={c.state ? 'default' : 'primary'} className='pm-compute' loading={busy === 'compute'} disabled={busy !== null && busy !== 'compute'} onClick={() => void compute()}>
                {c.state ? '重新计算' : '计算结果'}
              </Button>
            ) : null}
            {can('openAppeal') ? (
              <Button type='primary' className='pm-open-appeal' loading={busy === 'openAppeal'} disabled={busy !== null && busy !== 'openAppeal'} onClick={() => void startAppeal()}>
                开始申诉期
              </Button>
            ) : null}
            {can('publish') ? (
              <Button type='primary' className='pm-publish' loading={busy === 'publish'} disabled={busy !== null && busy !== 'publish'} onClick={() => void publish()}>
                公布
              </Button>
            ) : null}
          </View>
        ) : null}
        {c.waitReason ? <Text className='pm-hint pm-wait-reason'>{c.waitReason}</Text> : null}
      </View>

      <PageWrapper empty={c.results.length === 0} emptyText={c.state ? '本季度没有物业公司的结果' : c.ended ? '尚未计算：点“计算结果”生成各物业公司的得分' : '季度结束后可计算结果'}>
        <View className='pm-list'>
          {c.results.map((r) => (
            <ResultCard key={r.companyId} r={r} closeState={c.state} canCorrect={can('correct')} onSheet={setSheet} />
          ))}
        </View>
      </PageWrapper>

      <ReasonSheet
        open={!!sheet}
        title={spec && sheet ? `${spec.title}：${sheet.companyName}` : ''}
        label={spec?.label ?? ''}
        placeholder={spec?.placeholder ?? ''}
        max={200}
        confirmText={spec?.confirm ?? ''}
        name='pm-decide'
        onClose={() => setSheet(null)}
        onSubmit={async (reason) => {
          if (!sheet) return
          try {
            const next = sheet.kind === 'correct' ? await correctResult(c.quarter, sheet.companyId, reason) : await decideAppeal(c.quarter, sheet.companyId, sheet.kind === 'accept', reason)
            res.setData(next)
            setSheet(null)
            toast(sheet.kind === 'correct' ? '已更正' : sheet.kind === 'accept' ? '已采纳申诉' : '已驳回申诉', 'success')
          } catch (e) {
            if (e instanceof ApiError && e.code === 'CONFLICT') {
              setSheet(null)
              toast('评定状态刚刚有了变化，已刷新')
              await res.reload()
              return
            }
            throw e
          }
        }}
      >
        {spec ? <Text className='pm-hint'>{spec.hint}</Text> : null}
      </ReasonSheet>
    </PageRoot>
  )
}

export default function ClosePage() {
  // 工作台 opens the quarter an appeal waits in (`?quarter=2026Q3`).
  const router = useRouter()
  const q = router.params.quarter
  return <CloseView initialQuarter={q && /^\d{4}Q[1-4]$/.test(q) ? q : null} />
}
