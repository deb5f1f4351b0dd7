import Taro from '@tarojs/taro'
import { View, Text, Picker } from '@tarojs/components'
import { useEffect, useRef, useState } from 'react'
import { Button, Field, Sheet, Switch } from '@/components'
import { newRequestId } from '@/services/gateway'
import { Chips } from '@/features/cases/ui/Chips'
import { CountedTextarea } from '@/features/cases/ui/CountedTextarea'
import { PhotoPicker, usePhotoUploads } from '@/features/cases/ui/PhotoPicker'
import { hasErrors } from '@/features/cases/form'
import { logVisit } from '@/features/grid/api'
import { dayText, nowParts } from '@/features/grid/format'
import { buildVisit, MAX_FOLLOW_UP, MAX_FOUND, MAX_VISIT_PHOTOS, validateVisit, visitErrorsFromApi, type VisitErrors, type VisitForm } from '@/features/grid/form'
import { addDays } from '@/shared/time'
import type { HouseholdOutT } from '@/shared/api/grid'
import './grid.css'

type When = 'now' | 'earlier'
const WHEN_OPTIONS: Array<{ key: When; label: string }> = [
  { key: 'now', label: '刚刚走访' },
  { key: 'earlier', label: '补记其他时间' },
]

function blankForm(): VisitForm {
  const { date, time } = nowParts()
  return { found: '', earlier: false, date, time, photos: [], followUp: false, followUpNote: '' }
}

export interface VisitSheetProps {
  householdId: string
  open: boolean
  onClose: () => void
  /** The household as the server answers after the visit. */
  onDone: (h: HouseholdOutT) => void
}

/**
 * 登记走访: what was found, when (now, or up to 30 days back), photos, 需要跟进 with a note. One
 * request id per visit being written: a retry after a lost answer never logs it twice.
 */
export function VisitSheet({ householdId, open, onClose, onDone }: VisitSheetProps) {
  const [form, setForm] = useState<VisitForm>(blankForm)
  const [errors, setErrors] = useState<VisitErrors>({})
  const [busy, setBusy] = useState(false)
  const requestId = useRef<string | null>(null)
  const photos = usePhotoUploads(() => setErrors((e) => (e.photos ? { ...e, photos: undefined } : e)), MAX_VISIT_PHOTOS)
  const { clear } = photos

  // A fresh form each time the sheet opens for a new visit (a failed one keeps what was typed).
  useEffect(() => {
    if (open && requestId.current === null) {
      setForm(blankForm())
      setErrors({})
      clear()
      requestId.current = newRequestId()
    }
  }, [open, clear])

  const update = (patch: Partial<VisitForm>, clearKey?: keyof VisitErrors) => {
    setForm((f) => ({ ...f, ...patch }))
    if (clearKey) setErrors((e) => (e[clearKey] ? { ...e, [clearKey]: undefined } : e))
  }

  const submit = async () => {
    if (busy) return
    const current = { ...form, photos: photos.items }
    const local = validateVisit(householdId, current)
    if (hasErrors(local)) {
      setErrors(local)
      return
    }
    setErrors({})
    setBusy(true)
    try {
      const h = await logVisit(buildVisit(householdId, current), requestId.current ?? newRequestId())
      requestId.current = null
      onDone(h)
      void Taro.showToast({ title: '已登记走访', icon: 'success' })
    } catch (e) {
      setErrors(visitErrorsFromApi(e))
    } finally {
      setBusy(false)
    }
  }

  const today = nowParts().date
  return (
    <Sheet
      open={open}
      title='登记走访'
      className='visit-sheet'
      onClose={onClose}
      footer={
        <Button type='primary' block className='visit-submit' loading={busy} disabled={photos.uploading} onClick={() => void submit()}>
          {photos.uploading ? '照片上传中…' : '保存走访记录'}
        </Button>
      }
    >
      <Field label='走访发现的情况' required error={errors.found} className='visit-found'>
        <CountedTextarea
          className='visit-found-input'
          fixed
          value={form.found}
          max={MAX_FOUND}
          placeholder='例如：老人身体状况良好，药品充足；家中燃气阀门老化，已提醒更换'
          onInput={(found) => update({ found }, 'found')}
        />
      </Field>

      <Field label='走访时间' error={errors.at} className='visit-time'>
        <Chips name='when' columns={2} options={WHEN_OPTIONS} value={form.earlier ? 'earlier' : 'now'} onChange={(k) => update({ earlier: k === 'earlier' }, 'at')} />
        {form.earlier ? (
          <View className='visit-time__pickers'>
            <Picker mode='date' value={form.date} start={addDays(today, -30)} end={today} onChange={(e) => update({ date: String(e.detail.value) }, 'at')}>
              <View className='ui-picker visit-date'>
                <Text>{dayText(`${form.date}T04:00:00Z`)}</Text>
              </View>
            </Picker>
            <Picker mode='time' value={form.time} onChange={(e) => update({ time: String(e.detail.value) }, 'at')}>
              <View className='ui-picker visit-clock'>
                <Text>{form.time}</Text>
              </View>
            </Picker>
          </View>
        ) : null}
      </Field>

      <Field label={`照片（选填，最多 ${MAX_VISIT_PHOTOS} 张）`} error={errors.photos} className='visit-photos'>
        <PhotoPicker uploads={photos} max={MAX_VISIT_PHOTOS} />
      </Field>

      <View className='share-row visit-follow'>
        <View className='share-row__text'>
          <Text className='share-row__title'>需要跟进</Text>
          <Text className='share-row__desc'>{form.followUp ? '记下要跟进的事，下次走访时查看' : '发现需要再次处理的问题时打开'}</Text>
        </View>
        <Switch className='follow-switch' checked={form.followUp} label='需要跟进' onChange={(followUp) => update({ followUp }, 'followUpNote')} />
      </View>
      {form.followUp ? (
        <Field label='跟进事项（选填）' error={errors.followUpNote} className='visit-follow-note'>
          <CountedTextarea
            className='visit-follow-input'
            fixed
            value={form.followUpNote}
            max={MAX_FOLLOW_UP}
            placeholder='例如：下周回访燃气阀门是否已更换'
            onInput={(followUpNote) => update({ followUpNote }, 'followUpNote')}
          />
        </Field>
      ) : null}
      {errors._ ? <Text className='form-error sheet-error visit-error'>{errors._}</Text> : null}
    </Sheet>
  )
}
