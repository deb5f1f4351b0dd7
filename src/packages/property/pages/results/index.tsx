import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useState } from 'react'
import { Button, Card, Field, PageRoot, PageWrapper, Sheet, Tag, cx, type TagType } from '@/components'
import { CountedTextarea } from '@/features/cases/ui/CountedTextarea'
import { PhotoPicker, usePhotoUploads } from '@/features/cases/ui/PhotoPicker'
import { photosProblem, uploadedPhotoIds } from '@/features/cases/form'
import { appeal } from '@/features/property/api'
import { fieldErrorsOf } from '@/features/property/form'
import { useResults } from '@/features/property/hooks'
import { MAX_PROPERTY_PHOTOS, type ResultOutT } from '@/shared/api/property'
import type { AppealState, CloseState } from '@/shared/rules/property'
import { formatDateTime, formatShort } from '@/shared/time'
import { Photos } from '../../components/Photos'
import { Corrections, DimensionBars, ScoreHead } from '../../components/ScoreDetail'
import '../../components/property.css'

const STATE_TAGS: Record<CloseState, TagType> = { draft: 'warning', appeal: 'info', published: 'success' }
const APPEAL_TAGS: Record<AppealState, TagType> = { pending: 'warning', accepted: 'success', rejected: 'muted' }
const MAX_APPEAL = 500

type SheetState = { result: ResultOutT; text: string; errors: Partial<Record<'text' | 'photos' | '_', string>>; busy: boolean }
const key = (r: Pick<ResultOutT, 'communityId' | 'quarter'>) => `${r.communityId}:${r.quarter}`

function ResultCard({ r, onAppeal }: { r: ResultOutT; onAppeal: () => void }) {
  const a = r.appeal
  return (
    <Card title={`${r.communityName} · ${r.quarterLabel}`} className={cx('pm-result', `pm-result--${r.state}`)} extra={<Tag type={STATE_TAGS[r.state]} className='pm-result__state'>{r.stateLabel}</Tag>}>
      <ScoreHead score={r.score} size='small' />
      <Corrections original={r.original} corrections={r.corrections} />
      <DimensionBars score={r.score} />
      {r.state === 'appeal' && r.appealUntil ? <Text className='pm-hint pm-appeal-until'>申诉截止：{formatDateTime(r.appealUntil)}</Text> : null}
      {a ? (
        <View className='pm-box pm-appeal'>
          <View className='pm-tags'>
            <Text className='pm-item__title'>本公司申诉</Text>
            <Tag type={APPEAL_TAGS[a.state]} className='pm-appeal-state'>
              {a.stateLabel}
            </Tag>
          </View>
          <Text className='pm-text pm-appeal__text'>{a.text}</Text>
          <Photos photos={a.photos} />
          <Text className='pm-sub'>
            {a.byName} 提交于 {formatShort(a.at)}
          </Text>
          {a.decision ? (
            <Text className='pm-hint pm-appeal__decision'>
              社区处理意见：{a.decision}
              {a.decidedAt ? `（${formatShort(a.decidedAt)}）` : ''}
            </Text>
          ) : null}
        </View>
      ) : null}
      {r.canAppeal ? (
        <View className='pm-actions'>
          <Button type='primary' size='small' className='pm-appeal-open' onClick={onAppeal}>
            {a ? '修改申诉' : '提出申诉'}
          </Button>
        </View>
      ) : null}
    </Card>
  )
}

/** 本公司评定结果与申诉 (物业联系人): each community's quarterly result; appeal within the 7-day window. */
export function ResultsView() {
  const res = useResults()
  const [sheet, setSheet] = useState<SheetState | null>(null)
  const photos = usePhotoUploads(() => setSheet((s) => (s?.errors.photos ? { ...s, errors: { ...s.errors, photos: undefined } } : s)), MAX_PROPERTY_PHOTOS)
  const data = res.data

  if (!data) {
    return (
      <PageRoot className='pm-results'>
        <PageWrapper loading={res.loading} error={res.loading ? null : res.error} onRetry={() => void res.reload()} />
      </PageRoot>
    )
  }

  const open = (r: ResultOutT) => {
    photos.clear()
    setSheet({ result: r, text: r.appeal?.text ?? '', errors: {}, busy: false })
  }

  const submit = async () => {
    if (!sheet || sheet.busy) return
    const errors: SheetState['errors'] = {}
    if (!sheet.text.trim()) errors.text = '请写明申诉理由'
    else if (sheet.text.trim().length > MAX_APPEAL) errors.text = `最多 ${MAX_APPEAL} 个字`
    const problem = photosProblem(photos.items)
    if (problem) errors.photos = problem
    if (Object.keys(errors).length) {
      setSheet({ ...sheet, errors })
      return
    }
    setSheet({ ...sheet, busy: true, errors: {} })
    try {
      const next = await appeal(sheet.result, sheet.text.trim(), uploadedPhotoIds(photos.items))
      res.setData({ ...data, items: data.items.map((x) => (key(x) === key(next) ? next : x)) })
      setSheet(null)
      photos.clear()
      void Taro.showToast({ title: '申诉已提交', icon: 'success' })
    } catch (e) {
      const errors = fieldErrorsOf(e, ['text', 'photos'] as const, '提交失败，请稍后重试')
      setSheet((s) => (s ? { ...s, busy: false, errors } : s))
    }
  }

  return (
    <PageRoot className='pm-results'>
      <View className='pm-head'>
        <Text className='pm-head__title pm-results-company'>{data.company.name}</Text>
        <Text className='pm-head__sub'>社区审核后会把季度结果告知本公司，7 天内可提出申诉（附说明和证据照片）。</Text>
      </View>
      <PageWrapper empty={data.items.length === 0} emptyText='暂无评定结果：季度结束、社区审核后会在这里显示'>
        <View className='pm-list'>
          {data.items.map((r) => (
            <ResultCard key={key(r)} r={r} onAppeal={() => open(r)} />
          ))}
        </View>
      </PageWrapper>

      <Sheet
        open={!!sheet}
        title={sheet ? `申诉：${sheet.result.communityName} ${sheet.result.quarterLabel}` : ''}
        className='pm-appeal-sheet'
        onClose={() => setSheet(null)}
        footer={
          <Button type='primary' block className='pm-appeal-submit' loading={!!sheet?.busy} onClick={() => void submit()}>
            提交申诉
          </Button>
        }
      >
        {sheet ? (
          <View>
            <Field label='申诉理由' required error={sheet.errors.text}>
              <CountedTextarea
                className='pm-appeal-text'
                placeholder='哪一项结果有误、为什么，附上相关证据'
                max={MAX_APPEAL}
                fixed
                value={sheet.text}
                onInput={(text) => setSheet((s) => (s ? { ...s, text, errors: { ...s.errors, text: undefined, _: undefined } } : s))}
              />
            </Field>
            <Field label='证据照片' error={sheet.errors.photos} hint={`选填，最多 ${MAX_PROPERTY_PHOTOS} 张`}>
              <PhotoPicker uploads={photos} max={MAX_PROPERTY_PHOTOS} />
            </Field>
            {sheet.errors._ ? <Text className='pm-error'>{sheet.errors._}</Text> : null}
          </View>
        ) : null}
      </Sheet>
    </PageRoot>
  )
}

export default function ResultsPage() {
  return <ResultsView />
}
