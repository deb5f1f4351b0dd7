import Taro from '@tarojs/taro'
import { View, Text, Input } from '@tarojs/components'
import { useEffect, useState } from 'react'
import { Button, Field, PageRoot, PageWrapper, Section, cx, useResource } from '@/components'
import { loadGridSettings, saveGridSettings } from '@/features/grid/api'
import { managesGridSettings } from '@/features/grid/format'
import { buildSettings, settingsErrorsFromApi, settingsFormOf, toggleMatter, validateSettings, type SettingsErrors, type SettingsForm } from '@/features/grid/form'
import { useSession } from '@/features/profile/useSession'
import { CARE_TAGS, EVENT_TYPES, type CareTag } from '@/shared/rules/grid'
import '@/features/cases/ui/cases.css'
import '../../components/grid.css'

/**
 * 网格设置: the community's 走访周期 per care tag, its 网格事项清单 (the report types grid workers
 * may file) and the default days a department has to finish a routed report. Admins change
 * them; staff and grid workers see them read-only.
 */
export function GridSettingsView() {
  const { session } = useSession()
  const canEdit = managesGridSettings(session?.profile?.roles)
  // Not reloaded when shown again: it would undo what is being typed. Pull down to reload.
  const res = useResource(loadGridSettings, [])
  const [form, setForm] = useState<SettingsForm | null>(null)
  const [errors, setErrors] = useState<SettingsErrors>({})
  const [saving, setSaving] = useState(false)
  const s = res.data

  // The form follows what the server holds: on load, pull-down refresh and after saving.
  useEffect(() => {
    if (s) setForm(settingsFormOf(s))
  }, [s])

  if (!s || !form) {
    return (
      <PageRoot className='grid-settings'>
        <PageWrapper loading={res.loading || (!!s && !form)} error={res.loading ? null : res.error} onRetry={() => void res.reload()} />
      </PageRoot>
    )
  }

  const update = (patch: Partial<SettingsForm>, ...clear: Array<keyof SettingsErrors>) => {
    setForm((f) => (f ? { ...f, ...patch } : f))
    setErrors((e) => (clear.some((k) => e[k]) || e._ ? { ...e, ...Object.fromEntries(clear.map((k) => [k, undefined])), _: undefined } : e))
  }
  const setDays = (t: CareTag, value: string) => update({ visitDays: { ...form.visitDays, [t]: value } }, `visitDays.${t}`, 'visitDays')

  const save = async () => {
    if (saving) return
    const local = validateSettings(form)
    if (Object.keys(local).length) {
      setErrors(local)
      return
    }
    setSaving(true)
    setErrors({})
    try {
      res.setData(await saveGridSettings(buildSettings(form)))
      void Taro.showToast({ title: '已保存', icon: 'success' })
    } catch (e) {
      setErrors(settingsErrorsFromApi(e))
    } finally {
      setSaving(false)
    }
  }

  const daysInput = (className: string, value: string, max: number, onInput: (v: string) => void) => (
    <View className='gset-days'>
      <Input className={cx('ui-input', 'gset-days__input', className)} type='number' placeholderClass='ui-placeholder' placeholder={`1–${max}`} maxlength={3} value={value} onInput={(e) => onInput(e.detail.value)} />
      <Text className='gset-days__unit'>天</Text>
    </View>
  )
  const readDays = (className: string, days: number | undefined) => <Text className={cx('gset-value', className)}>{days === undefined ? '未设置' : `${days} 天`}</Text>

  return (
    <PageRoot className={cx('grid-settings', canEdit && 'ui-with-bottom-bar')}>
      <Text className='grid-note gset-intro'>{canEdit ? '本社区网格工作的设置，保存后立即生效。' : '本社区网格工作的设置。仅社区管理员可以修改。'}</Text>

      <Section title='走访周期' className='gset-visit'>
        <Text className='grid-note gset-section-note'>重点户按关爱类别定期走访；一户有多个标签时，按最短的周期。</Text>
        <View className='form-group'>
          {CARE_TAGS.map((t, i) => (
            <Field key={t} label={t} error={errors[`visitDays.${t}`]} className={cx('gset-day', `gset-day-${i}`)}>
              {canEdit ? daysInput(`gset-day-input-${i}`, form.visitDays[t], 365, (v) => setDays(t, v)) : readDays(`gset-day-value-${i}`, s.visitDays[t])}
            </Field>
          ))}
        </View>
        {errors.visitDays ? <Text className='form-error gset-visit-error'>{errors.visitDays}</Text> : null}
      </Section>

      <Section title='网格事项清单' className='gset-matters'>
        <View className='form-group'>
          <Field label='' error={errors.matters} hint={canEdit ? '网格员只能上报清单内的类型，至少保留一项。点选开启或关闭。' : '网格员只能上报清单内的类型。'} className='gset-matters-field'>
            <View className='chips chips--cols-3' aria-role='group'>
              {EVENT_TYPES.map((t, i) => {
                const on = form.matters.includes(t)
                return (
                  <View
                    key={t}
                    className={cx('chip', 'matter-chip', `matter-chip-${i}`, on && 'chip--on', !canEdit && !on && 'gset-chip--off')}
                    hoverClass={canEdit ? 'chip--hover' : undefined}
                    aria-role='checkbox'
                    aria-checked={on}
                    aria-disabled={canEdit ? undefined : true}
                    onClick={() => {
                      if (canEdit) update({ matters: toggleMatter(form.matters, t) }, 'matters')
                    }}
                  >
                    <Text className='chip__label'>{on ? `✓ ${t}` : t}</Text>
                  </View>
                )
              })}
            </View>
          </Field>
        </View>
      </Section>

      <Section title='职能部门办结时限' className='gset-department'>
        <View className='form-group'>
          <Field
            label='默认办结时限'
            error={errors.departmentDays}
            hint={canEdit ? '1–60 天：社区转办到职能部门时默认给的天数，转办时可另行指定。' : '社区转办到职能部门时默认给的天数。'}
            className='gset-department-days'
          >
            {canEdit ? daysInput('gset-department-input', form.departmentDays, 60, (v) => update({ departmentDays: v }, 'departmentDays')) : readDays('gset-department-value', s.departmentDays)}
          </Field>
        </View>
      </Section>

      {errors._ ? <Text className='form-error gset-error'>{errors._}</Text> : null}

      {canEdit ? (
        <View className='ui-bottom-bar'>
          <Button type='primary' block className='gset-save' loading={saving} onClick={() => void save()}>
            保存
          </Button>
        </View>
      ) : null}
    </PageRoot>
  )
}

export default function GridSettingsPage() {
  return <GridSettingsView />
}
