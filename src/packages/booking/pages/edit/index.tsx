import Taro, { useRouter } from '@tarojs/taro'
import { View, Text, Input, Textarea, Picker, Image } from '@tarojs/components'
import { useCallback, useEffect, useState } from 'react'
import { Button, Field, PageRoot, PageWrapper, Section, Switch, cx, toLoadError, type LoadError } from '@/components'
import { loadRoom, saveRoom } from '@/features/booking/api'
import { DEFAULT_OPEN_HOURS, WEEK_ORDER, halfHours, weekdayLabel } from '@/features/booking/format'
import { ApiError } from '@/services/gateway'
import { choosePhotos } from '@/services/media'
import { uploadPhoto } from '@/services/upload'
import { MAX_ROOM_PHOTOS, type OpenHoursT } from '@/shared/api/booking'
import { BOOKABLE_BY, BOOKABLE_BY_LABELS, SLOT_LENGTHS, type BookableBy } from '@/shared/rules/booking'
import '../../components/booking.css'

interface RoomForm {
  id?: string
  version?: number
  name: string
  capacity: string
  location: string
  description: string
  facilities: string
  /** `checking`: its content check still runs (no `url` unless the viewer uploaded it). */
  photos: Array<{ fileId: string; url: string | null; checking?: boolean }>
  openHours: OpenHoursT
  slotMinutes: number
  bookableBy: BookableBy
  needsApproval: boolean
  active: boolean
  order: number
}

const EMPTY: RoomForm = {
  name: '',
  capacity: '',
  location: '',
  description: '',
  facilities: '',
  photos: [],
  openHours: DEFAULT_OPEN_HOURS,
  slotMinutes: 30,
  bookableBy: 'residents',
  needsApproval: true,
  active: true,
  order: 0,
}

const OPEN_TIMES = halfHours()
const CLOSE_TIMES = halfHours(true)
const BOOKABLE_SHORT: Record<BookableBy, string> = { residents: '居民', verified: '认证居民', organisations: '社区组织' }

/** 新建 / 编辑场地: name, capacity, photos, facilities, opening hours per weekday, slot length, who may book, approval, active. */
export function RoomEditView({ id }: { id?: string }) {
  const [form, setForm] = useState<RoomForm | null>(id ? null : EMPTY)
  const [loadError, setLoadError] = useState<LoadError | null>(null)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [saving, setSaving] = useState(false)
  const [uploading, setUploading] = useState(false)

  const load = useCallback(async () => {
    if (!id) return
    try {
      const r = await loadRoom(id)
      setForm({
        id: r.id,
        version: r.version,
        name: r.name,
        capacity: String(r.capacity),
        location: r.location ?? '',
        description: r.description ?? '',
        facilities: r.facilities.join('、'),
        photos: r.photos,
        openHours: r.openHours,
        slotMinutes: r.slotMinutes,
        bookableBy: r.bookableBy,
        needsApproval: r.needsApproval,
        active: r.active,
        order: r.order,
      })
      setLoadError(null)
    } catch (e) {
      setLoadError(toLoadError(e))
    }
  }, [id])

  useEffect(() => {
    void load()
  }, [load])

  useEffect(() => {
    void Taro.setNavigationBarTitle({ title: id ? '编辑场地' : '新建场地' }).catch(() => undefined)
  }, [id])

  if (!form) {
    return (
      <PageRoot className='bk-edit'>
        <PageWrapper loading={!loadError} error={loadError} onRetry={() => void load()} />
      </PageRoot>
    )
  }

  const set = (patch: Partial<RoomForm>, field?: string) => {
    setForm((f) => (f ? { ...f, ...patch } : f))
    if (field) setErrors((e) => ({ ...e, [field]: '', _: '' }))
  }
  const setDay = (day: number, value: OpenHoursT[number]) => {
    const openHours = form.openHours.slice()
    openHours[day] = value
    set({ openHours }, 'openHours')
  }

  const addPhotos = async () => {
    try {
      const paths = await choosePhotos(MAX_ROOM_PHOTOS - form.photos.length)
      if (paths.length === 0) return // cancelled
      setUploading(true)
      const ids = await Promise.all(paths.map((p) => uploadPhoto(p).then((fileId) => ({ fileId, url: p }))))
      setForm((f) => (f ? { ...f, photos: [...f.photos, ...ids].slice(0, MAX_ROOM_PHOTOS) } : f))
    } catch {
      void Taro.showToast({ title: '照片上传失败，请重试', icon: 'none' })
    } finally {
      setUploading(false)
    }
  }

  const save = async () => {
    if (saving) return
    const capacity = Number(form.capacity)
    const local: Record<string, string> = {}
    if (!form.name.trim()) local.name = '请填写场地名称'
    if (!Number.isInteger(capacity) || capacity < 1) local.capacity = '请填写容纳人数'
    if (Object.keys(local).length) {
      setErrors(local)
      return
    }
    setSaving(true)
    try {
      await saveRoom({
        ...(form.id ? { id: form.id, version: form.version } : {}),
        name: form.name,
        capacity,
        location: form.location,
        description: form.description,
        facilities: form.facilities
          .split(/[、,，\s]+/)
          .map((s) => s.trim())
          .filter(Boolean),
        photos: form.photos.map((p) => p.fileId),
        openHours: form.openHours,
        slotMinutes: form.slotMinutes,
        bookableBy: form.bookableBy,
        needsApproval: form.needsApproval,
        active: form.active,
        order: form.order,
      })
      void Taro.showToast({ title: '已保存', icon: 'success' })
      setTimeout(() => void Taro.navigateBack().catch(() => undefined), 600)
    } catch (e) {
      if (e instanceof ApiError && e.code === 'CONFLICT') setErrors({ _: e.message })
      else if (e instanceof ApiError && e.issues.length) setErrors(e.fieldErrors())
      else setErrors({ _: e instanceof Error && e.message ? e.message : '保存失败，请稍后重试' })
    } finally {
      setSaving(false)
    }
  }

  return (
    <PageRoot className='bk-edit ui-with-bottom-bar'>
      <Section title='基本信息'>
        <Field label='场地名称' required error={errors.name}>
          <Input className='ui-input bk-room-name' placeholderClass='ui-placeholder' placeholder='例如：多功能活动室' value={form.name} maxlength={20} onInput={(e) => set({ name: e.detail.value }, 'name')} />
        </Field>
        <Field label='容纳人数' required error={errors.capacity}>
          <Input className='ui-input bk-room-capacity' type='number' placeholderClass='ui-placeholder' placeholder='人数' value={form.capacity} onInput={(e) => set({ capacity: e.detail.value }, 'capacity')} />
        </Field>
        <Field label='位置' error={errors.location}>
          <Input className='ui-input' placeholderClass='ui-placeholder' placeholder='例如：党群服务中心二楼 201' value={form.location} maxlength={40} onInput={(e) => set({ location: e.detail.value }, 'location')} />
        </Field>
        <Field label='设施' error={errors.facilities} hint='用顿号或空格分隔，例如：投影仪、音响、空调'>
          <Input className='ui-input' placeholderClass='ui-placeholder' placeholder='投影仪、音响' value={form.facilities} onInput={(e) => set({ facilities: e.detail.value }, 'facilities')} />
        </Field>
        <Field label='介绍' error={errors.description}>
          <Textarea className='ui-textarea' placeholderClass='ui-placeholder' placeholder='适合开展的活动、使用须知' value={form.description} maxlength={300} onInput={(e) => set({ description: e.detail.value }, 'description')} />
        </Field>
        <Field label={`照片（最多 ${MAX_ROOM_PHOTOS} 张）`} error={errors.photos}>
          <View className='bk-photos'>
            {form.photos.map((p) => (
              <View key={p.fileId} className='bk-photo-edit' onClick={() => set({ photos: form.photos.filter((x) => x.fileId !== p.fileId) }, 'photos')}>
                {p.url ? <Image className='bk-photos__img' src={p.url} mode='aspectFill' aria-label='场地照片' /> : null}
                {p.checking ? <Text className='bk-intro'>{p.url ? '审核中' : '图片审核中'}</Text> : null}
                <Text className='bk-intro'>点击移除</Text>
              </View>
            ))}
          </View>
          {form.photos.length < MAX_ROOM_PHOTOS ? (
            <Button type='default' className='bk-add-photo' loading={uploading} onClick={() => void addPhotos()}>
              添加照片
            </Button>
          ) : null}
        </Field>
      </Section>

      <Section title='开放时间'>
        <Field label='每周开放时间' error={errors.openHours} hint='关闭的日期不可预约；时间为整点或半点'>
          {WEEK_ORDER.map((day) => {
            const h = form.openHours[day]
            return (
              <View key={day} className={cx('bk-hours', `bk-hours-${day}`)}>
                <Text className='bk-hours__day'>{weekdayLabel(day)}</Text>
                {h ? (
                  <>
                    <Picker mode='selector' range={OPEN_TIMES} value={Math.max(0, OPEN_TIMES.indexOf(h.open))} onChange={(e) => setDay(day, { ...h, open: OPEN_TIMES[Number(e.detail.value)] })} className='bk-hours__pick'>
                      <View className='ui-picker'>
                        <Text>{h.open}</Text>
                      </View>
                    </Picker>
                    <Picker mode='selector' range={CLOSE_TIMES} value={Math.max(0, CLOSE_TIMES.indexOf(h.close))} onChange={(e) => setDay(day, { ...h, close: CLOSE_TIMES[Number(e.detail.value)] })} className='bk-hours__pick'>
                      <View className='ui-picker'>
                        <Text>{h.close}</Text>
                      </View>
                    </Picker>
                  </>
                ) : (
                  <Text className='bk-hours__closed'>不开放</Text>
                )}
                <Switch checked={!!h} label={`${weekdayLabel(day)}开放`} onChange={(on) => setDay(day, on ? { open: '08:30', close: '17:30' } : null)} />
              </View>
            )
          })}
        </Field>
        <Field label='时段长度' error={errors.slotMinutes}>
          <View className='bk-chips'>
            {SLOT_LENGTHS.map((n) => (
              <View key={n} className={cx('bk-chip', form.slotMinutes === n && 'bk-chip--on')} onClick={() => set({ slotMinutes: n }, 'slotMinutes')}>
                <Text>{n} 分钟</Text>
              </View>
            ))}
          </View>
        </Field>
      </Section>

      <Section title='预约规则'>
        <Field label='预约对象' error={errors.bookableBy} hint={BOOKABLE_BY_LABELS[form.bookableBy]}>
          <View className='bk-chips'>
            {BOOKABLE_BY.map((b) => (
              <View key={b} className={cx('bk-chip', `bk-bookable-${b}`, form.bookableBy === b && 'bk-chip--on')} onClick={() => set({ bookableBy: b }, 'bookableBy')}>
                <Text>{BOOKABLE_SHORT[b]}</Text>
              </View>
            ))}
          </View>
        </Field>
        <Field label='审核'>
          <View className='bk-row'>
            <Text className='bk-row__text'>{form.needsApproval ? '预约需工作人员审核' : '预约后直接确认'}</Text>
            <Switch className='bk-needs-approval' checked={form.needsApproval} label='需要审核' onChange={(needsApproval) => set({ needsApproval })} />
          </View>
        </Field>
        <Field label='启用'>
          <View className='bk-row'>
            <Text className='bk-row__text'>{form.active ? '居民可以看到并预约' : '已停用，居民看不到'}</Text>
            <Switch className='bk-active' checked={form.active} label='启用' onChange={(active) => set({ active })} />
          </View>
        </Field>
      </Section>
      {errors._ ? <Text className='bk-error bk-save-error'>{errors._}</Text> : null}

      <View className='ui-bottom-bar'>
        <Button type='primary' block className='bk-save-room' loading={saving} disabled={uploading} onClick={() => void save()}>
          保存
        </Button>
      </View>
    </PageRoot>
  )
}

export default function RoomEditPage() {
  const router = useRouter()
  const id = router.params.id ? String(router.params.id) : undefined
  return <RoomEditView id={id} />
}
