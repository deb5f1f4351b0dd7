import { View, Text } from '@tarojs/components'
import { useCallback, useEffect, useRef, useState } from 'react'
import { Field, PageRoot, PageWrapper, cx, toLoadError, type LoadError } from '@/components'
import { CaseContentFields, CaseSubmitArea, useCaseSubmit } from '@/features/cases/ui/CaseForm'
import { Chips } from '@/features/cases/ui/Chips'
import { usePhotoUploads } from '@/features/cases/ui/PhotoPicker'
import { PlacePicker } from '@/features/cases/ui/PlacePicker'
import { loadGridSettings, loadPlaces, submitReport, type PlaceOption } from '@/features/grid/api'
import { GRID_URLS } from '@/features/grid/config'
import { canReport } from '@/features/grid/format'
import { buildReport, EMPTY_REPORT, MAX_DESCRIPTION, reportErrorsFromApi, validateReport, type ReportErrors, type ReportForm } from '@/features/grid/form'
import { loadSession } from '@/services/session'
import type { Urgency } from '@/shared/rules/cases'
import type { EventType } from '@/shared/rules/grid'
import '../../components/grid.css'

const URGENCY_OPTIONS: Array<{ key: Urgency; label: string }> = [
  { key: 'normal', label: '一般' },
  { key: 'urgent', label: '紧急' },
]
const URGENCY_HINTS: Record<Urgency, string> = {
  normal: '社区 24 小时内分流转办到职能部门',
  urgent: '社区 2 小时内分流转办。适用于正在发生、可能危及安全的情况',
}


interface Loaded {
  matters: EventType[]
  estates: PlaceOption[]
  buildings: PlaceOption[]
  units: PlaceOption[]
}

/**
 * 巡查上报 (grid workers): a type from the community's 网格事项清单, what was found, photos, where
 * (小区 → 楼栋 → 单元) and how urgent. The community then routes it to a department.
 */
export function ReportView() {
  const [form, setForm] = useState<ReportForm>(EMPTY_REPORT)
  const [errors, setErrors] = useState<ReportErrors>({})
  const [data, setData] = useState<Loaded | null>(null)
  const [loadError, setLoadError] = useState<LoadError | null>(null)
  const [forbidden, setForbidden] = useState(false)
  const formRef = useRef(form)
  formRef.current = form

  const update = useCallback((patch: Partial<ReportForm>, clear?: keyof ReportErrors) => {
    setForm((f) => ({ ...f, ...patch }))
    if (clear) setErrors((e) => (e[clear] ? { ...e, [clear]: undefined } : e))
  }, [])

  const load = useCallback(async () => {
    setLoadError(null)
    setData(null)
    try {
      const { profile } = await loadSession()
      if (!profile || !canReport(profile.roles)) {
        setForbidden(true)
        return
      }
      const [settings, estates] = await Promise.all([loadGridSettings(), loadPlaces(profile.address.community.id)])
      const estateId = estates.some((e) => e.id === profile.address.estate.id) ? profile.address.estate.id : (estates[0]?.id ?? '')
      const buildings = estateId ? await loadPlaces(estateId) : []
      setData({ matters: settings.matters as EventType[], estates, buildings, units: [] })
      setForm((f) => ({ ...f, estateId: f.estateId || estateId }))
    } catch (e) {
      setLoadError(toLoadError(e))
    }
  }, [])

  useEffect(() => {
    void load()
  }, [load])

  const pickEstate = async (estateId: string) => {
    update({ estateId, buildingId: '', unitId: '' }, 'location')
    try {
      const buildings = await loadPlaces(estateId)
      setData((d) => (d ? { ...d, buildings, units: [] } : d))
    } catch {
      setData((d) => (d ? { ...d, buildings: [], units: [] } : d))
    }
  }
  const pickBuilding = async (buildingId: string) => {
    update({ buildingId, unitId: '' }, 'location')
    try {
      const units = await loadPlaces(buildingId)
      setData((d) => (d ? { ...d, units } : d))
    } catch {
      setData((d) => (d ? { ...d, units: [] } : d))
    }
  }

  const photos = usePhotoUploads(() => setErrors((e) => (e.photos ? { ...e, photos: undefined } : e)))
  const current = () => ({ ...formRef.current, photos: photos.items })
  const { submitting, submit } = useCaseSubmit<ReportErrors>({
    check: () => validateReport(current(), data?.matters ?? []),
    send: (requestId) => submitReport(buildReport(current()), requestId),
    refused: reportErrorsFromApi,
    setErrors,
    detailUrl: GRID_URLS.event,
  })

  if (!data) {
    return (
      <PageRoot className='grid-report'>
        <PageWrapper
          loading={!loadError && !forbidden}
          error={forbidden ? { code: 'FORBIDDEN', message: '巡查上报仅限网格员使用' } : loadError}
          onRetry={() => void load()}
        />
      </PageRoot>
    )
  }

  return (
    <PageRoot className='grid-report'>
      <CaseContentFields<EventType>
        category={{
          label: '上报类型',
          options: data.matters,
          columns: 3,
          value: form.type,
          error: errors.type,
          onChange: (type) => update({ type }, 'type'),
        }}
        text={{
          label: '发现的问题',
          fieldClass: 'field-description',
          inputClass: 'description-input',
          placeholder: '写明具体位置、发现的情况和已做的处理，例如：2栋东侧消防通道被电动车堵住，已口头提醒',
          max: MAX_DESCRIPTION,
          value: form.description,
          error: errors.description,
          onChange: (description) => update({ description }, 'description'),
        }}
        photos={{ uploads: photos, hint: '拍下现场，方便职能部门处置', error: errors.photos }}
      />

      <View className='form-group'>
        <Field label='发现位置' required error={errors.location} className='field-location'>
          {data.estates.length > 1 ? (
            <PlacePicker className='estate-picker' options={data.estates} value={form.estateId} placeholder='选择小区' onChange={(id) => void pickEstate(id)} />
          ) : null}
          <View className={cx('place-row', data.estates.length > 1 && 'place-row--spaced')}>
            <PlacePicker className='building-picker' options={data.buildings} value={form.buildingId} placeholder='选择楼栋' onChange={(id) => void pickBuilding(id)} />
            <PlacePicker
              className='unit-picker'
              options={[{ id: '', name: '不指定单元' }, ...data.units]}
              value={form.unitId}
              placeholder='单元（选填）'
              onChange={(unitId) => update({ unitId }, 'location')}
            />
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
        label='提交上报'
        note={`可上报的类型由本社区网格事项清单确定：${data.matters.join('、')}。提交后由社区分流转办，处置进度会通知您。`}
        onSubmit={() => void submit()}
      />
    </PageRoot>
  )
}

export default function ReportPage() {
  return <ReportView />
}
