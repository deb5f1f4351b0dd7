import { useRouter } from '@tarojs/taro'
import { View, Text, Input } from '@tarojs/components'
import { useCallback, useEffect, useRef, useState } from 'react'
import { Done, Field, PageRoot, PageWrapper, Switch, cx, toLoadError, type LoadError } from '@/components'
import { DISPUTE_URLS } from '@/features/dispute/config'
import { submittedNext } from '@/features/cases/format'
import { CaseContentFields, CaseSubmitArea, useCaseSubmit } from '@/features/cases/ui/CaseForm'
import { Chips } from '@/features/cases/ui/Chips'
import { usePhotoUploads } from '@/features/cases/ui/PhotoPicker'
import { PlacePicker } from '@/features/cases/ui/PlacePicker'
import { loadChildPlaces, loadLocationDefaults, submitDispute, type PlaceOption } from '@/features/dispute/data'
import { EMPTY_FORM, MAX_DESCRIPTION, buildPayload, errorsFromApi, validateForm, type DisputeForm, type FormErrors } from '@/features/dispute/form'
import { DISPUTE_CATEGORIES, type DisputeCategory, type Urgency } from '@/shared/rules/cases'
import { ProxyBlock, proxyTargetOf, useProxy, type ProxyTarget } from '@/features/privacy/proxy'
import './index.css'

const URGENCY_OPTIONS: Array<{ key: Urgency; label: string }> = [
  { key: 'normal', label: '一般' },
  { key: 'urgent', label: '紧急' },
]
const URGENCY_HINTS: Record<Urgency, string> = {
  normal: '24 小时内受理，7 天内办结',
  urgent: '2 小时内受理。适用于正在发生、需要马上处理的情况，如漏水、持续噪音',
}

interface PlaceState {
  estateName: string
  buildings: PlaceOption[]
  units: PlaceOption[]
  otherUnits: PlaceOption[]
}


/** 提交纠纷: category, description, photos, location, the other party, urgency; `proxyFor`: 代办 for a resident (a grid worker, from their household's page). */
export function DisputeNewView({ proxyFor = null }: { proxyFor?: ProxyTarget | null } = {}) {
  const proxy = useProxy(proxyFor)
  const forBuilding = proxyFor?.buildingId
  const forUnit = proxyFor?.unitId
  const [form, setForm] = useState<DisputeForm>(EMPTY_FORM)
  const [errors, setErrors] = useState<FormErrors>({})
  const [places, setPlaces] = useState<PlaceState | null>(null)
  const [state, setState] = useState<'loading' | 'ready' | 'error' | 'no-address'>('loading')
  const [loadError, setLoadError] = useState<LoadError | null>(null)
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
      // 代办: the location starts at the resident's building and unit (when it is among these buildings).
      const theirs = forBuilding && location.buildings.some((b) => b.id === forBuilding) ? forBuilding : null
      if (theirs) {
        const units = await loadChildPlaces(theirs)
        setPlaces((p) => (p ? { ...p, units } : p))
        setForm((f) => ({ ...f, buildingId: theirs, unitId: forUnit && units.some((u) => u.id === forUnit) ? forUnit : '' }))
      }
      setState('ready')
    } catch (e) {
      setLoadError(toLoadError(e))
      setState('error')
    }
  }, [forBuilding, forUnit])

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
  const photos = usePhotoUploads(() => setErrors((e) => (e.photos ? { ...e, photos: undefined } : e)))

  // ---------- submit ----------
  const payload = () => ({ ...formRef.current, photos: photos.items })
  const { submitting, submit, done } = useCaseSubmit<FormErrors>({
    check: () => {
      const errors = validateForm(payload())
      return proxy.check() ? errors : { ...errors, _: errors._ ?? '请确认已征得居民同意' }
    },
    send: (requestId) => {
      const onBehalfOf = proxy.input()
      return submitDispute({ ...buildPayload(payload()), ...(onBehalfOf ? { onBehalfOf } : {}) }, requestId)
    },
    refused: errorsFromApi,
    setErrors,
    detailUrl: DISPUTE_URLS.detail,
    done: (c) =>
      proxyFor
        ? { title: `已为${proxyFor.name}提交纠纷`, next: submittedNext(c), notes: ['纠纷归居民本人所有：受理和办理的每一步都会通知居民，居民可在「我的纠纷」查看。'] }
        : { title: '纠纷已提交', next: submittedNext(c), notes: ['受理和办理的每一步都会通知您，也可随时在「我的纠纷」查看。'] },
  })

  if (done) {
    return (
      <PageRoot className='dispute-new dispute-done'>
        <Done {...done} />
      </PageRoot>
    )
  }

  if (state !== 'ready' || !places) {
    return (
      <PageRoot className='dispute-new'>
        <PageWrapper
          loading={state === 'loading'}
          error={state === 'error' ? loadError : state === 'no-address' ? { code: 'NOT_ONBOARDED', message: '请先完善住址，纠纷将交给您所在网格的调解员' } : null}
          onRetry={() => void load()}
        />
      </PageRoot>
    )
  }

  return (
    <PageRoot className='dispute-new'>
      <ProxyBlock proxy={proxy} what='纠纷' />
      <CaseContentFields<DisputeCategory>
        category={{ label: '纠纷类型', options: DISPUTE_CATEGORIES, columns: 4, value: form.category, error: errors.category, onChange: (category) => update({ category }, 'category') }}
        text={{
          label: '情况描述',
          fieldClass: 'field-description',
          inputClass: 'description-input',
          placeholder: '请描述发生了什么、持续多久、希望如何解决',
          max: MAX_DESCRIPTION,
          value: form.description,
          error: errors.description,
          onChange: (description) => update({ description }, 'description'),
        }}
        photos={{ uploads: photos, hint: '拍下现场情况，帮助调解员了解', error: errors.photos }}
      />

      <View className='form-group'>
        <Field label='发生位置' required error={errors.location} hint={`${places.estateName}，默认为${proxyFor ? '居民' : '您'}所在的楼栋`} className='field-location'>
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

      <CaseSubmitArea
        error={errors._}
        submitting={submitting}
        uploading={photos.uploading}
        label='提交纠纷'
        note='提交后由您所在网格的调解员受理，办理进度会通知您。'
        onSubmit={() => void submit()}
      />
    </PageRoot>
  )
}

export default function DisputeNewPage() {
  const router = useRouter()
  return <DisputeNewView proxyFor={proxyTargetOf(router.params)} />
}
