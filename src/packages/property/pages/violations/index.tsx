import Taro, { useRouter } from '@tarojs/taro'
import { View, Text, Picker } from '@tarojs/components'
import { useRef, useState } from 'react'
import { Button, Card, Field, PageRoot, PageWrapper, Sheet, Tag, cx } from '@/components'
import { Chips } from '@/features/cases/ui/Chips'
import { CountedTextarea } from '@/features/cases/ui/CountedTextarea'
import { PhotoPicker, usePhotoUploads } from '@/features/cases/ui/PhotoPicker'
import { photosProblem, uploadedPhotoIds } from '@/features/cases/form'
import { recordViolation, removeViolation } from '@/features/property/api'
import { fieldErrorsOf } from '@/features/property/form'
import { quarterLabel, recentQuarters } from '@/features/property/format'
import { useViolations } from '@/features/property/hooks'
import { newRequestId } from '@/services/gateway'
import { MAX_PROPERTY_PHOTOS, type ViolationOutT } from '@/shared/api/property'
import { VIOLATION_LABELS, VIOLATION_LEVELS, type ViolationLevel } from '@/shared/rules/property'
import { formatDate, quarterOf } from '@/shared/time'
import { Photos } from '../../components/Photos'
import { ReasonSheet } from '../../components/ReasonSheet'
import '../../components/property.css'

type Fields = 'level' | 'quarter' | 'description' | 'photos'
interface Form {
  level: ViolationLevel | null
  /** Index into the quarter options (0: the current quarter). */
  quarter: number
  description: string
  errors: Partial<Record<Fields | '_', string>>
  busy: boolean
}

const EMPTY: Form = { level: null, quarter: 0, description: '', errors: {}, busy: false }
const LEVEL_OPTIONS = VIOLATION_LEVELS.map((l) => ({ key: l, label: l === 'serious' ? `${VIOLATION_LABELS[l]}（直接上黑榜）` : VIOLATION_LABELS[l] }))
const MAX_DESCRIPTION = 300

function ViolationItem({ v, published, onRemove }: { v: ViolationOutT; published: boolean; onRemove: () => void }) {
  return (
    <Card className={cx('pm-violation-card', `pm-violation--${v.level}`, v.removed && 'pm-violation--removed')}>
      <View className='pm-tags'>
        <Tag type={v.removed ? 'muted' : v.level === 'serious' ? 'danger' : 'warning'}>{v.levelLabel}违规</Tag>
        {v.removed ? <Tag type='muted' className='pm-removed-tag'>已撤销</Tag> : null}
        <Text className='pm-sub'>{quarterLabel(v.quarter)}</Text>
      </View>
      <Text className='pm-text'>{v.description}</Text>
      <Photos photos={v.photos} />
      <Text className='pm-sub'>
        {v.byName} 记录于 {formatDate(v.at)}
      </Text>
      {!v.removed && published ? <Text className='pm-hint pm-violation-published'>该季度已公布，如有错误请在“季度评定”中更正。</Text> : null}
      {!v.removed && !published ? (
        <View className='pm-actions'>
          <Button type='default' size='small' className='pm-remove-violation' onClick={onRemove}>
            撤销
          </Button>
        </View>
      ) : null}
    </Card>
  )
}

/** 违规记录 (staff): one company's recorded violations; record one (一般 / 严重, with photos), withdraw one recorded by mistake. */
export function ViolationsView({ companyId, now = new Date() }: { companyId: string; now?: Date }) {
  const res = useViolations(companyId)
  const [form, setForm] = useState<Form | null>(null)
  const [removing, setRemoving] = useState<string | null>(null)
  const photos = usePhotoUploads(() => setForm((f) => (f?.errors.photos ? { ...f, errors: { ...f.errors, photos: undefined } } : f)), MAX_PROPERTY_PHOTOS)
  const requestId = useRef<string | null>(null)
  const quarters = recentQuarters(quarterOf(now))
  const data = res.data

  if (!data) {
    return (
      <PageRoot className='pm-violations-page'>
        <PageWrapper loading={res.loading} error={res.loading ? null : res.error} onRetry={() => void res.reload()} />
      </PageRoot>
    )
  }

  const replace = (v: ViolationOutT, added = false) => res.setData({ ...data, items: added ? [v, ...data.items] : data.items.map((x) => (x.id === v.id ? v : x)) })

  const open = () => {
    requestId.current = newRequestId()
    photos.clear()
    setForm(EMPTY)
  }

  const submit = async () => {
    if (!form || form.busy) return
    const errors: Form['errors'] = {}
    if (!form.level) errors.level = '请选择违规等级'
    if (!form.description.trim()) errors.description = '请写明违规情况'
    else if (form.description.trim().length > MAX_DESCRIPTION) errors.description = `最多 ${MAX_DESCRIPTION} 个字`
    const problem = photosProblem(photos.items)
    if (problem) errors.photos = problem
    if (Object.keys(errors).length) {
      setForm({ ...form, errors })
      return
    }
    setForm({ ...form, busy: true, errors: {} })
    try {
      const v = await recordViolation(
        { companyId, quarter: form.quarter === 0 ? null : quarters[form.quarter].quarter, level: form.level!, description: form.description.trim(), photos: uploadedPhotoIds(photos.items) },
        requestId.current ?? newRequestId(),
      )
      replace(v, true)
      setForm(null)
      photos.clear()
      void Taro.showToast({ title: '已记录', icon: 'success' })
    } catch (e) {
      const errors = fieldErrorsOf(e, ['level', 'quarter', 'description', 'photos'] as const, '记录失败，请稍后重试')
      setForm((f) => (f ? { ...f, busy: false, errors } : f))
    }
  }

  const set = (patch: Partial<Form>, field: Fields) => setForm((f) => (f ? { ...f, ...patch, errors: { ...f.errors, [field]: undefined, _: undefined } } : f))

  return (
    <PageRoot className='pm-violations-page'>
      <View className='pm-head'>
        <Text className='pm-head__title'>{data.companyName ?? '物业公司'}</Text>
        <Text className='pm-head__sub'>违规记录（公布前可撤销；公布后请在季度评定中更正）</Text>
      </View>
      <View className='pm-cta'>
        <Button type='primary' block className='pm-record-violation' onClick={open}>
          记录违规
        </Button>
      </View>

      <PageWrapper empty={data.items.length === 0} emptyText='没有违规记录'>
        <View className='pm-list'>
          {data.items.map((v) => (
            <ViolationItem key={v.id} v={v} published={data.published.includes(v.quarter)} onRemove={() => setRemoving(v.id)} />
          ))}
        </View>
      </PageWrapper>

      <Sheet
        open={!!form}
        title='记录违规'
        className='pm-violation-sheet'
        onClose={() => setForm(null)}
        footer={
          <Button type='primary' block className='pm-violation-submit' loading={!!form?.busy} onClick={() => void submit()}>
            确认记录
          </Button>
        }
      >
        {form ? (
          <View>
            <Field label='违规等级' required error={form.errors.level}>
              <Chips name='level' columns={2} options={LEVEL_OPTIONS} value={form.level} onChange={(level) => set({ level }, 'level')} />
            </Field>
            <Field label='计入季度' error={form.errors.quarter}>
              <Picker mode='selector' range={quarters.map((q, i) => (i === 0 ? `${q.label}（本季度）` : q.label))} value={form.quarter} onChange={(e) => set({ quarter: Number(e.detail.value) }, 'quarter')}>
                <View className='ui-picker pm-violation-quarter'>
                  <Text>{form.quarter === 0 ? `${quarters[0].label}（本季度）` : quarters[form.quarter].label} ▾</Text>
                </View>
              </Picker>
            </Field>
            <Field label='违规情况' required error={form.errors.description}>
              <CountedTextarea className='pm-violation-description' placeholder='时间、地点、经过，依据的规定' max={MAX_DESCRIPTION} fixed value={form.description} onInput={(description) => set({ description }, 'description')} />
            </Field>
            <Field label='证据照片' error={form.errors.photos} hint={`最多 ${MAX_PROPERTY_PHOTOS} 张`}>
              <PhotoPicker uploads={photos} max={MAX_PROPERTY_PHOTOS} />
            </Field>
            {form.errors._ ? <Text className='pm-error'>{form.errors._}</Text> : null}
          </View>
        ) : null}
      </Sheet>

      <ReasonSheet
        open={removing !== null}
        title='撤销违规记录'
        label='撤销原因'
        placeholder='例如：记错了公司'
        max={100}
        confirmText='确认撤销'
        name='pm-remove'
        onClose={() => setRemoving(null)}
        onSubmit={async (reason) => {
          replace(await removeViolation(removing!, reason))
          setRemoving(null)
          void Taro.showToast({ title: '已撤销', icon: 'success' })
        }}
      />
    </PageRoot>
  )
}

export default function ViolationsPage() {
  const router = useRouter()
  return <ViolationsView companyId={String(router.params.companyId ?? '')} />
}
