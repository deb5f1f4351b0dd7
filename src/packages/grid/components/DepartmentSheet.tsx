import { View, Text, Input } from '@tarojs/components'
import { useCallback, useEffect, useState } from 'react'
import { Button, Field, PageWrapper, Sheet, toLoadError, type LoadError } from '@/components'
import { actionHint } from '@/features/cases/actions'
import type { CaseRunner, FieldErrors } from '@/features/cases/ui/CaseActions'
import { Chips } from '@/features/cases/ui/Chips'
import { CountedTextarea } from '@/features/cases/ui/CountedTextarea'
import { loadDepartments, loadGridSettings } from '@/features/grid/api'
import type { CaseDetailT } from '@/shared/api/cases'
import type { DepartmentOutT } from '@/shared/api/grid'
import './grid.css'

const MAX_NOTE = 200
const MAX_DAYS = 60

export type DepartmentMode = 'route' | 'whistle'

const TEXT: Record<DepartmentMode, { title: string; note: string; placeholder: string; confirm: string }> = {
  route: { title: '分流转办', note: '转办说明', placeholder: '例如：请城管中队协调清理消防通道内的电动车和杂物', confirm: '确认转办' },
  whistle: { title: '吹哨：改派职能部门', note: '吹哨说明', placeholder: '例如：原部门逾期未处置，请派出所会同处置', confirm: '确认吹哨' },
}

interface State {
  departmentId: string | null
  days: string
  note: string
  errors: FieldErrors
  busy: boolean
}

const blank: State = { departmentId: null, days: '', note: '', errors: {}, busy: false }

/**
 * 分流转办 (community staff) and 吹哨 (the street): a department of the street (those without a
 * contact say so), the time to finish in days (分流转办: the community's default to start with),
 * and a note. The current department cannot be chosen again for 吹哨.
 */
export function DepartmentSheet({ c, mode, run, onClose }: { c: CaseDetailT; mode: DepartmentMode | null; run: CaseRunner; onClose: () => void }) {
  const [departments, setDepartments] = useState<DepartmentOutT[] | null>(null)
  const [loadError, setLoadError] = useState<LoadError | null>(null)
  const [s, setS] = useState<State>(blank)

  const load = useCallback(async (m: DepartmentMode) => {
    setLoadError(null)
    try {
      const [items, settings] = await Promise.all([loadDepartments(), m === 'route' ? loadGridSettings().catch(() => null) : Promise.resolve(null)])
      setDepartments(items)
      if (settings) setS((x) => (x.days ? x : { ...x, days: String(settings.departmentDays) }))
    } catch (e) {
      setLoadError(toLoadError(e))
    }
  }, [])

  useEffect(() => {
    if (!mode) return
    setS(blank)
    void load(mode)
  }, [mode, load])

  if (!mode) return null
  const t = TEXT[mode]
  const hint = actionHint(mode, c)
  const patch = (p: Partial<State>, clear: string) => setS((x) => ({ ...x, ...p, errors: { ...x.errors, [clear]: '' } }))

  // The department it is with now (吹哨 must pick another one).
  const currentName = c.departmentName
  const options = (departments ?? []).map((d) => {
    const current = mode === 'whistle' && d.name === currentName
    return {
      key: d.id,
      label: d.name,
      disabled: current,
      note: current ? '当前承办' : d.contacts.length ? `${d.kind} · ${d.contacts.map((p) => p.name).join('、')}` : `${d.kind} · 暂无联系人`,
    }
  })

  const confirm = async () => {
    if (s.busy) return
    const local: FieldErrors = {}
    const days = Number(s.days)
    if (!s.departmentId) local.departmentId = '请选择职能部门'
    if (s.days.trim() === '' && mode === 'whistle') local.days = '请填写办结时限'
    else if (s.days.trim() !== '' && (!Number.isInteger(days) || days < 1 || days > MAX_DAYS)) local.days = `请填写 1–${MAX_DAYS} 的整数天数`
    if (!s.note.trim()) local.note = `请填写${t.note}`
    else if (s.note.length > MAX_NOTE) local.note = `最多 ${MAX_NOTE} 个字`
    if (Object.keys(local).length) {
      setS({ ...s, errors: local })
      return
    }
    setS({ ...s, busy: true, errors: {} })
    const out = await run(mode, { departmentId: s.departmentId ?? '', ...(s.days.trim() ? { days } : {}), text: s.note })
    if (out.done || out.conflict) {
      onClose()
      return
    }
    // Refused (a department just removed…): the message stays; the list is fetched again.
    setS((x) => ({ ...x, busy: false, errors: out.errors }))
    void load(mode)
  }

  return (
    <Sheet
      open
      title={t.title}
      className={`action-sheet action-sheet--${mode} dept-sheet`}
      onClose={onClose}
      footer={
        departments ? (
          <Button type='primary' block className='sheet-confirm' loading={s.busy} onClick={() => void confirm()}>
            {t.confirm}
          </Button>
        ) : null
      }
    >
      {hint ? <Text className='sheet__hint'>{hint}</Text> : null}
      <PageWrapper loading={!departments && !loadError} error={departments ? null : loadError} onRetry={() => void load(mode)} skeletonRows={2}>
        {departments ? (
          <View>
            <Field label='职能部门' required error={s.errors.departmentId} className='dept-field'>
              {options.length ? (
                <Chips name='dept' columns={2} options={options} value={s.departmentId} onChange={(departmentId) => patch({ departmentId }, 'departmentId')} />
              ) : (
                <Text className='sheet-target__note'>本街道还没有登记职能部门，请联系街道工作人员登记。</Text>
              )}
            </Field>
            <Field label='办结时限（天）' required={mode === 'whistle'} error={s.errors.days} hint={mode === 'route' ? '从转办时起算；逾期未办结将上报街道' : '从吹哨时起算'} className='dept-days'>
              <Input
                className='ui-input dept-days-input'
                type='number'
                placeholderClass='ui-placeholder'
                placeholder={`1–${MAX_DAYS} 天`}
                value={s.days}
                maxlength={2}
                onInput={(e) => patch({ days: e.detail.value }, 'days')}
              />
            </Field>
            <Field label={t.note} required error={s.errors.note} className='dept-note'>
              <CountedTextarea className='sheet-textarea dept-note-input' fixed value={s.note} max={MAX_NOTE} placeholder={t.placeholder} onInput={(note) => patch({ note }, 'note')} />
            </Field>
            {s.errors._ ? <Text className='form-error sheet-error'>{s.errors._}</Text> : null}
          </View>
        ) : null}
      </PageWrapper>
    </Sheet>
  )
}
