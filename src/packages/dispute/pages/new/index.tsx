import Taro from '@tarojs/taro'
import { View, Text, Textarea, Input, Image, Picker } from '@tarojs/components'
import { useCallback, useEffect, useRef, useState } from 'react'
import { Button, Field, PageRoot, PageWrapper, Switch, cx } from '@/components'
import { ONBOARDING_URL } from '@/features/entries'
import { DISPUTE_URLS } from '@/features/dispute/config'
import { loadChildPlaces, loadLocationDefaults, requestCaseSubscribe, submitDispute, type PlaceOption } from '@/features/dispute/data'
import {
  EMPTY_FORM,
  MAX_DESCRIPTION,
  MAX_PHOTOS,
  buildPayload,
  errorsFromApi,
  hasErrors,
  validateForm,
  type DisputeForm,
  type FormErrors,
  type PhotoItem,
} from '@/features/dispute/form'
import { newRequestId } from '@/services/gateway'
import { uploadPhoto } from '@/services/upload'
import { DISPUTE_CATEGORIES, type DisputeCategory, type Urgency } from '@/shared/rules/cases'
import { Chips } from '../../components/Chips'
import '../../components/dispute.css'
import './index.css'

const CATEGORY_OPTIONS = DISPUTE_CATEGORIES.map((c) => ({ key: c, label: c }))
const URGENCY_OPTIONS: Array<{ key: Urgency; label: string }> = [
  { key: 'normal', label: '一般' },
  { key: 'urgent', label: '紧急' },
]
const URGENCY_HINTS: Record<Urgency, string> = {
  normal: '24 小时内受理，7 天内办结',
  urgent: '2 小时内受理。适用于正在发生、需要马上处理的情况，如漏水、持续噪音',
}

let photoSeq = 0
const photoKey = () => `p${Date.now().toString(36)}${(photoSeq++).toString(36)}`

interface PlaceState {
  estateName: string
  buildings: PlaceOption[]
  units: PlaceOption[]
  otherUnits: PlaceOption[]
}

function PlacePicker({ options, value, placeholder, onChange, className }: { options: PlaceOption[]; value: string; placeholder: string; onChange: (id: string) => void; className?: string }) {
  const index = options.findIndex((o) => o.id === value)
  return (
    <Picker
      mode='selector'
      range={options.map((o) => o.name)}
      value={index < 0 ? 0 : index}
      onChange={(e) => {
        const picked = options[Number(e.detail.value)]
        if (picked) onChange(picked.id)
      }}
    >
      <View className={cx('ui-picker', 'place-picker', className)}>
        <Text className={index < 0 ? 'ui-placeholder' : ''}>{index < 0 ? placeholder : options[index].name}</Text>
        <Text className='place-picker__arrow'>▾</Text>
      </View>
    </Picker>
  )
}

/** 提交纠纷: category, description, photos, location, the other party, urgency. */
export function DisputeNewView() {
  const [form, setForm] = useState<DisputeForm>(EMPTY_FORM)
  const [errors, setErrors] = useState<FormErrors>({})
  const [places, setPlaces] = useState<PlaceState | null>(null)
  const [state, setState] = useState<'loading' | 'ready' | 'error' | 'no-address'>('loading')
  const [loadError, setLoadError] = useState<{ message: string } | null>(null)
  const [submitting, setSubmitting] = useState(false)
  // One request id per form: a retry after a lost answer returns the first submission.
  const requestId = useRef(newRequestId())
  const asked = useRef(false)
  const formRef = useRef(form)
  formRef.current = form

  const update = useCallback((patch: Partial<DisputeForm>, clear?: keyof FormErrors) => {
    setForm((f) => ({ ...f, ...patch }))
    if (clear) setErrors((e) => (e[clear] ? { ...e, [clear]: undefined } : e))
  }, [])

  const load = useCallback(async () => {
    setState('loading')
    try {
      const res = await loadLocationDefaults()
      if (!res) {
        setState('no-address')
        return
      }
      const { location } = res
      setPlaces({ estateName: location.estateName, buildings: location.buildings, units: location.units, otherUnits: [] })
      setForm((f) => ({ ...f, buildingId: f.buildingId || location.buildingId, unitId: f.buildingId ? f.unitId : location.unitId }))
      setState('ready')
    } catch (e) {
      setLoadError({ message: e instanceof Error && e.message ? e.message : '加载失败，请稍后重试' })
      setState('error')
    }
  }, [])

  useEffect(() => {
    void load()
  }, [load])

  // ---------- location ----------
  const pickBuilding = async (buildingId: string) => {
    update({ buildingId, unitId: '' }, 'location')
    try {
      const units = await loadChildPlaces(buildingId)
      setPlaces((p) => (p ? { ...p, units } : p))
    } catch {
      setPlaces((p) => (p ? { ...p, units: [] } : p))
    }
  }
  const pickOtherBuilding = async (buildingId: string) => {
    update({ other: { ...formRef.current.other, buildingId, unitId: '' } }, 'otherParty')
    try {
      const otherUnits = await loadChildPlaces(buildingId)
      setPlaces((p) => (p ? { ...p, otherUnits } : p))
    } catch {
      setPlaces((p) => (p ? { ...p, otherUnits: [] } : p))
    }
  }

  // ---------- photos ----------
  const setPhoto = (key: string, patch: Partial<PhotoItem>) =>
    setForm((f) => ({ ...f, photos: f.photos.map((p) => (p.key === key ? { ...p, ...patch } : p)) }))

  const upload = async (item: PhotoItem) => {
    setPhoto(item.key, { status: 'uploading' })
    try {
      const fileId = await uploadPhoto(item.path)
      setPhoto(item.key, { status: 'done', fileId })
    } catch {
      setPhoto(item.key, { status: 'failed' })
    }
  }

  const addPhotos = async () => {
    const remaining = MAX_PHOTOS - formRef.current.photos.length
    if (remaining <= 0) {
      void Taro.showToast({ title: `最多上传 ${MAX_PHOTOS} 张照片`, icon: 'none' })
      return
    }
    let paths: string[]
    try {
      const res = await Taro.chooseImage({
        count: remaining,
        sizeType: ['compressed'],
        // H5: the browser's own chooser already offers the camera.
        sourceType: process.env.TARO_ENV === 'h5' ? ['album'] : ['album', 'camera'],
      })
      paths = res.tempFilePaths ?? []
    } catch {
      return // cancelled
    }
    const room = MAX_PHOTOS - formRef.current.photos.length
    if (paths.length > room) {
      void Taro.showToast({ title: `最多上传 ${MAX_PHOTOS} 张，多出的 ${paths.length - room} 张未添加`, icon: 'none' })
      paths = paths.slice(0, Math.max(0, room))
    }
    const items: PhotoItem[] = paths.map((path) => ({ key: photoKey(), path, status: 'uploading' }))
    if (items.length === 0) return
    setForm((f) => ({ ...f, photos: f.photos.concat(items) }))
    setErrors((e) => ({ ...e, photos: undefined }))
    await Promise.all(items.map(upload))
  }

  const removePhoto = (key: string) => update({ photos: formRef.current.photos.filter((p) => p.key !== key) }, 'photos')

  const preview = (item: PhotoItem) => {
    if (item.status === 'failed') {
      void upload(item)
      return
    }
    void Taro.previewImage({ urls: formRef.current.photos.map((p) => p.path), current: item.path }).catch(() => undefined)
  }

  // ---------- submit ----------
  const submit = async () => {
    if (submitting) return
    const f = formRef.current
    const local = validateForm(f)
    if (hasErrors(local)) {
      setErrors(local)
      void Taro.showToast({ title: '请检查标红的内容', icon: 'none' })
      return
    }
    setErrors({})
    setSubmitting(true)
    // Inside the tap (WeChat requires it): ask once for progress notifications; never blocks.
    const subscribed = asked.current ? Promise.resolve() : requestCaseSubscribe()
    asked.current = true
    try {
      const detail = await submitDispute(buildPayload(f), requestId.current)
      await subscribed
      void Taro.redirectTo({ url: DISPUTE_URLS.detail(detail.id) })
    } catch (e) {
      setErrors(errorsFromApi(e))
      setSubmitting(false)
    }
  }

  if (state !== 'ready' || !places) {
    return (
      <PageRoot className='dispute-new'>
        <PageWrapper
          loading={state === 'loading'}
          error={state === 'error' ? loadError : null}
          empty={state === 'no-address'}
          emptyText='请先完善住址，纠纷将交给您所在网格的调解员'
          emptyAction={
            <Button type='primary' onClick={() => void Taro.navigateTo({ url: ONBOARDING_URL })}>
              去完善住址
            </Button>
          }
          onRetry={() => void load()}
        />
      </PageRoot>
    )
  }

  const length = form.description.length
  const over = length > MAX_DESCRIPTION
  const uploading = form.photos.some((p) => p.status === 'uploading')

  return (
    <PageRoot className='dispute-new'>
      <View className='form-group'>
        <Field label='纠纷类型' required error={errors.category} className='field-category'>
          <Chips
            name='category'
            columns={4}
            options={CATEGORY_OPTIONS}
            value={form.category || null}
            onChange={(category: DisputeCategory) => update({ category }, 'category')}
          />
        </Field>

        <Field label='情况描述' required error={errors.description} className='field-description'>
          <Textarea
            className='ui-textarea description-input'
            placeholderClass='ui-placeholder'
            placeholder='请描述发生了什么、持续多久、希望如何解决'
            value={form.description}
            maxlength={-1}
            autoHeight={false}
            onInput={(e) => update({ description: e.detail.value }, 'description')}
          />
          <View className={cx('counter', over && 'counter--over')}>
            <Text className='counter__text'>
              {length}/{MAX_DESCRIPTION}
            </Text>
          </View>
        </Field>

        <Field label={`照片（选填，最多 ${MAX_PHOTOS} 张）`} error={errors.photos} hint='拍下现场情况，帮助调解员了解' className='field-photos'>
          <View className='photos'>
            {form.photos.map((p) => (
              <View key={p.key} className={cx('photo', `photo--${p.status}`)}>
                <Image className='photo__img' src={p.path} mode='aspectFill' onClick={() => preview(p)} />
                {p.status === 'uploading' ? (
                  <View className='photo__state'>
                    <View className='photo__spinner' />
                    <Text>上传中</Text>
                  </View>
                ) : null}
                {p.status === 'failed' ? (
                  <View className='photo__state photo__state--failed' onClick={() => preview(p)}>
                    <Text>上传失败</Text>
                    <Text>点按重试</Text>
                  </View>
                ) : null}
                <View className='photo__remove' hoverClass='photo__remove--hover' onClick={() => removePhoto(p.key)} aria-label='删除照片'>
                  <Text>×</Text>
                </View>
              </View>
            ))}
            {form.photos.length < MAX_PHOTOS ? (
              <View className='photo photo-add' hoverClass='photo-add--hover' onClick={() => void addPhotos()} aria-label='添加照片'>
                <Text className='photo-add__plus'>+</Text>
                <Text className='photo-add__text'>
                  {form.photos.length}/{MAX_PHOTOS}
                </Text>
              </View>
            ) : null}
          </View>
        </Field>
      </View>

      <View className='form-group'>
        <Field label='发生位置' required error={errors.location} hint={`${places.estateName}，默认为您所在的楼栋`} className='field-location'>
          <View className='place-row'>
            <PlacePicker className='building-picker' options={places.buildings} value={form.buildingId} placeholder='选择楼栋' onChange={(id) => void pickBuilding(id)} />
            <PlacePicker
              className='unit-picker'
              options={[{ id: '', name: '不指定单元' }, ...places.units]}
              value={form.unitId}
              placeholder='单元（选填）'
              onChange={(unitId) => update({ unitId }, 'location')}
            />
          </View>
        </Field>

        <Field label='对方住址（选填）' error={errors.otherParty} className='field-other'>
          <View className='other-toggle'>
            <Text className='other-toggle__text'>我知道对方住在哪里</Text>
            <Switch className='other-switch' checked={form.withOther} label='填写对方住址' onChange={(withOther) => update({ withOther }, 'otherParty')} />
          </View>
          {form.withOther ? (
            <View className='other-fields'>
              <View className='place-row'>
                <PlacePicker options={places.buildings} value={form.other.buildingId} placeholder='楼栋' onChange={(id) => void pickOtherBuilding(id)} />
                <PlacePicker
                  options={places.otherUnits}
                  value={form.other.unitId}
                  placeholder='单元'
                  onChange={(unitId) => update({ other: { ...formRef.current.other, unitId } }, 'otherParty')}
                />
              </View>
              <Input
                className='ui-input other-room'
                placeholderClass='ui-placeholder'
                placeholder='门牌号，例如 1203'
                value={form.other.room}
                maxlength={10}
                onInput={(e) => update({ other: { ...formRef.current.other, room: e.detail.value } }, 'otherParty')}
              />
            </View>
          ) : null}
          <View className='privacy-note'>
            <Text>对方信息仅调解员可见，不会告知其他居民</Text>
          </View>
        </Field>

        <Field label='紧急程度' error={errors.urgency} className='field-urgency'>
          <Chips name='urgency' columns={2} options={URGENCY_OPTIONS} value={form.urgency} onChange={(urgency) => update({ urgency }, 'urgency')} />
          <Text className={cx('urgency-hint', form.urgency === 'urgent' && 'urgency-hint--urgent')}>{URGENCY_HINTS[form.urgency]}</Text>
        </Field>
      </View>

      {errors._ ? <Text className='form-error submit-error'>{errors._}</Text> : null}

      <View className='submit-area'>
        <Button type='primary' block className='submit-btn' loading={submitting} disabled={uploading} onClick={() => void submit()}>
          {uploading ? '照片上传中…' : '提交纠纷'}
        </Button>
        <Text className='submit-note'>提交后由您所在网格的调解员受理，办理进度会通知您。</Text>
      </View>
    </PageRoot>
  )
}

export default function DisputeNewPage() {
  return <DisputeNewView />
}
