import Taro, { useRouter } from '@tarojs/taro'
import { View, Text, Input, Picker } from '@tarojs/components'
import { useCallback, useEffect, useState } from 'react'
import { Button, Field, PageRoot, PageWrapper, Section, toLoadError, type LoadError } from '@/components'
import { Chips } from '@/features/cases/ui/Chips'
import { CountedTextarea } from '@/features/cases/ui/CountedTextarea'
import { loadActivity, saveActivity } from '@/features/volunteer/api'
import { VOLUNTEER_URLS } from '@/features/volunteer/config'
import { joinInstant, splitInstant, type DateTime } from '@/features/volunteer/format'
import { ApiError } from '@/services/gateway'
import type { ActivityDetailT, ActivityInputT } from '@/shared/api/volunteer'
import { ACTIVITY_CATEGORIES, type ActivityCategory } from '@/shared/rules/volunteer'
import '../../components/volunteer.css'

interface ActivityForm {
  id?: string
  version?: number
  title: string
  category: ActivityCategory | null
  description: string
  start: DateTime
  end: DateTime
  deadline: DateTime
  place: string
  address: string
  location: ActivityDetailT['location']
  capacity: string
  points: string
  requirements: string
  contact: string
}

const EMPTY_DT: DateTime = { date: '', time: '' }
const EMPTY: ActivityForm = {
  title: '',
  category: null,
  description: '',
  start: EMPTY_DT,
  end: EMPTY_DT,
  deadline: EMPTY_DT,
  place: '',
  address: '',
  location: null,
  capacity: '',
  points: '',
  requirements: '',
  contact: '',
}

function formOf(a: ActivityDetailT): ActivityForm {
  return {
    id: a.id,
    version: a.version,
    title: a.title,
    category: a.category as ActivityCategory,
    description: a.description,
    start: splitInstant(a.startAt),
    end: splitInstant(a.endAt),
    deadline: splitInstant(a.signupDeadline),
    place: a.place,
    address: a.address === a.place ? '' : a.address,
    location: a.location,
    capacity: String(a.capacity),
    points: String(a.points),
    requirements: a.requirements,
    contact: a.contact,
  }
}

/** '' → undefined (the schema says 请填写此项), else the number typed (the schema checks it is whole). */
const toNumber = (s: string): number => (s.trim() === '' ? (undefined as unknown as number) : Number(s))

/** The fields whose errors the form shows under a control; anything else goes to the foot. */
const FIELDS = ['title', 'category', 'description', 'startAt', 'endAt', 'signupDeadline', 'place', 'address', 'capacity', 'points', 'requirements', 'contact']

function DateTimeField({ label, value, onChange, error, hint, required, className }: { label: string; value: DateTime; onChange: (v: DateTime) => void; error?: string; hint?: string; required?: boolean; className: string }) {
  return (
    <Field label={label} required={required} error={error} hint={hint} className={className}>
      <View className='vol-pair'>
        <Picker mode='date' value={value.date} onChange={(e) => onChange({ ...value, date: String(e.detail.value) })} className='vol-pair__item'>
          <View className='ui-picker'>
            <Text className={value.date ? '' : 'ui-placeholder'}>{value.date || '选择日期'}</Text>
          </View>
        </Picker>
        <Picker mode='time' value={value.time} onChange={(e) => onChange({ ...value, time: String(e.detail.value) })} className='vol-pair__item'>
          <View className='ui-picker'>
            <Text className={value.time ? '' : 'ui-placeholder'}>{value.time || '选择时间'}</Text>
          </View>
        </Picker>
      </View>
    </Field>
  )
}

/** 新建 / 编辑活动 (staff). A new activity is saved as a draft and opened, to be published from its page. */
export function ActivityEditView({ id }: { id?: string }) {
  const [form, setForm] = useState<ActivityForm | null>(id ? null : EMPTY)
  const [loadError, setLoadError] = useState<LoadError | null>(null)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [saving, setSaving] = useState(false)

  const load = useCallback(async () => {
    if (!id) return
    try {
      setForm(formOf(await loadActivity(id)))
      setLoadError(null)
    } catch (e) {
      setLoadError(toLoadError(e))
    }
  }, [id])

  useEffect(() => {
    void load()
  }, [load])

  useEffect(() => {
    void Taro.setNavigationBarTitle({ title: id ? '编辑活动' : '新建活动' }).catch(() => undefined)
  }, [id])

  if (!form) {
    return (
      <PageRoot className='vol-edit'>
        <PageWrapper loading={!loadError} error={loadError} onRetry={() => void load()} />
      </PageRoot>
    )
  }

  const set = (patch: Partial<ActivityForm>, field: string) => {
    setForm((f) => (f ? { ...f, ...patch } : f))
    setErrors((e) => ({ ...e, [field]: '', _: '' }))
  }

  const save = async () => {
    if (saving) return
    const startAt = joinInstant(form.start)
    const endAt = joinInstant(form.end.date ? form.end : { ...form.end, date: form.start.date })
    const deadline = form.deadline.date || form.deadline.time ? joinInstant(form.deadline) : null
    const local: Record<string, string> = {}
    if (!startAt) local.startAt = '请选择开始日期和时间'
    if (!endAt) local.endAt = '请选择结束时间'
    if ((form.deadline.date || form.deadline.time) && !deadline) local.signupDeadline = '请选择完整的截止日期和时间，或都不选'
    if (!form.category) local.category = '请选择活动类别'
    if (Object.keys(local).length) {
      setErrors(local)
      return
    }
    const payload: ActivityInputT = {
      ...(form.id ? { id: form.id, version: form.version } : {}),
      title: form.title,
      category: form.category!,
      description: form.description,
      startAt: startAt!,
      endAt: endAt!,
      ...(deadline ? { signupDeadline: deadline } : {}),
      place: form.place,
      address: form.address,
      ...(form.location ? { location: form.location } : {}),
      capacity: toNumber(form.capacity),
      points: toNumber(form.points),
      requirements: form.requirements,
      contact: form.contact,
    }
    setSaving(true)
    try {
      const saved = await saveActivity(payload)
      void Taro.showToast({ title: form.id ? '已保存' : '已保存为草稿', icon: 'success' })
      if (form.id) void Taro.navigateBack().catch(() => undefined)
      else void Taro.redirectTo({ url: VOLUNTEER_URLS.detail(saved.id) })
    } catch (e) {
      if (e instanceof ApiError && e.issues.length) {
        const out: Record<string, string> = {}
        for (const [k, v] of Object.entries(e.fieldErrors())) out[FIELDS.includes(k) ? k : '_'] = out[FIELDS.includes(k) ? k : '_'] || v
        setErrors(out)
      } else setErrors({ _: e instanceof Error && e.message ? e.message : '保存失败，请稍后重试' })
    } finally {
      setSaving(false)
    }
  }

  const input = (key: 'title' | 'place' | 'address' | 'contact', label: string, placeholder: string, max: number, required = true) => (
    <Field label={label} required={required} error={errors[key]} className={`vol-field-${key}`}>
      <Input className={`ui-input vol-input-${key}`} placeholderClass='ui-placeholder' placeholder={placeholder} maxlength={max} value={form[key]} onInput={(e) => set({ [key]: e.detail.value }, key)} />
    </Field>
  )

  return (
    <PageRoot className='vol-edit ui-with-bottom-bar'>
      <Section title='活动内容'>
        {input('title', '活动名称', '例如：翠园小区楼道清理', 40)}
        <Field label='类别' required error={errors.category} className='vol-field-category'>
          <Chips name='edit-category' columns={4} options={ACTIVITY_CATEGORIES.map((c) => ({ key: c, label: c }))} value={form.category} onChange={(category) => set({ category }, 'category')} />
        </Field>
        <Field label='活动介绍' required error={errors.description} className='vol-field-description'>
          <CountedTextarea className='vol-input-description' placeholder='做什么、怎么做、注意事项' max={1000} value={form.description} onInput={(description) => set({ description }, 'description')} />
        </Field>
        <Field label='参加要求' error={errors.requirements} className='vol-field-requirements'>
          <CountedTextarea className='vol-input-requirements' placeholder='例如：请穿着志愿者马甲，提前 10 分钟到场签到' max={200} value={form.requirements} onInput={(requirements) => set({ requirements }, 'requirements')} />
        </Field>
      </Section>

      <Section title='时间'>
        <DateTimeField label='开始' required value={form.start} error={errors.startAt} className='vol-field-start' onChange={(start) => set({ start, end: form.end.date ? form.end : { ...form.end, date: start.date } }, 'startAt')} />
        <DateTimeField label='结束' required value={form.end} error={errors.endAt} hint='一次活动最长 12 小时' className='vol-field-end' onChange={(end) => set({ end }, 'endAt')} />
        <DateTimeField label='报名截止' value={form.deadline} error={errors.signupDeadline} hint='不选：开始前都可报名' className='vol-field-deadline' onChange={(deadline) => set({ deadline }, 'signupDeadline')} />
      </Section>

      <Section title='地点与名额'>
        {input('place', '集合地点', '例如：翠园小区 1栋楼下', 60)}
        {input('address', '详细地址', '选填，便于导航', 100, false)}
        <Field label='名额' required error={errors.capacity} className='vol-field-capacity'>
          <Input className='ui-input vol-input-capacity' type='number' placeholderClass='ui-placeholder' placeholder='人数，1–500' value={form.capacity} onInput={(e) => set({ capacity: e.detail.value }, 'capacity')} />
        </Field>
        <Field label='积分' required error={errors.points} hint='完成活动（参加满 60% 时长）可得的积分，0–200' className='vol-field-points'>
          <Input className='ui-input vol-input-points' type='number' placeholderClass='ui-placeholder' placeholder='例如：20' value={form.points} onInput={(e) => set({ points: e.detail.value }, 'points')} />
        </Field>
        {input('contact', '联系人', '例如：李秀梅 13800001002', 40)}
      </Section>
      {errors._ ? <Text className='vol-error vol-save-error'>{errors._}</Text> : null}

      <View className='ui-bottom-bar'>
        <Button type='primary' block className='vol-save' loading={saving} onClick={() => void save()}>
          {form.id ? '保存修改' : '保存为草稿'}
        </Button>
      </View>
    </PageRoot>
  )
}

export default function ActivityEditPage() {
  const router = useRouter()
  return <ActivityEditView id={router.params.id ? String(router.params.id) : undefined} />
}
