import Taro from '@tarojs/taro'
import { View, Text, Input } from '@tarojs/components'
import { useEffect, useState } from 'react'
import { Button, Card, Field, PageRoot, PageWrapper, Section, cx } from '@/components'
import { useSession } from '@/features/profile/useSession'
import { saveSettings } from '@/features/property/api'
import { isPropertyAdmin } from '@/features/property/format'
import { SETTINGS_FIELDS, buildSettings, fieldErrorsOf, settingsFormOf, validateSettings, type SettingsErrors, type SettingsField, type SettingsForm } from '@/features/property/form'
import { useSettings } from '@/features/property/hooks'
import '../../components/property.css'

interface FieldSpec {
  key: SettingsField
  label: string
  hint: string
  unit: string
  placeholder: string
  /** The keyboard: decimals or whole numbers. */
  type: 'digit' | 'number'
}

const DEDUCTIONS: readonly FieldSpec[] = [
  { key: 'complaint', label: '每件属实投诉扣分', hint: '0–2 分，可填两位小数', unit: '分', placeholder: '例如：0.1', type: 'digit' },
  { key: 'general', label: '每次一般违规扣分', hint: '0–2 分，可填两位小数', unit: '分', placeholder: '例如：0.2', type: 'digit' },
  { key: 'serious', label: '每次严重违规扣分', hint: '0–2 分，可填两位小数；有严重违规的公司当季直接上黑榜', unit: '分', placeholder: '例如：0.5', type: 'digit' },
]
const BURST: FieldSpec = {
  key: 'burstPerHour',
  label: '集中评价阈值（每小时同一公司新增评价数）',
  hint: '3–1000 条：一小时内对同一家物业的新增评价达到这个数，列入「集中评价核查」',
  unit: '条',
  placeholder: '例如：20',
  type: 'number',
}

/**
 * 计分标准设置: the community's deductions per substantiated complaint, per 一般 and per 严重
 * violation, and the burst threshold; the formula residents read, as these numbers make it.
 * Admins change them; staff see them read-only.
 */
export function SettingsView() {
  const res = useSettings()
  const profile = useSession().session?.profile ?? null
  const canEdit = isPropertyAdmin(profile?.roles)
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
      <PageRoot className='pm-settings'>
        <PageWrapper loading={res.loading || (!!s && !form)} error={res.loading ? null : res.error} onRetry={() => void res.reload()} />
      </PageRoot>
    )
  }

  const set = (key: SettingsField, value: string) => {
    setForm((f) => (f ? { ...f, [key]: value } : f))
    setErrors((e) => (e[key] || e._ ? { ...e, [key]: undefined, _: undefined } : e))
  }

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
      res.setData(await saveSettings(buildSettings(form)))
      void Taro.showToast({ title: '已保存', icon: 'success' })
    } catch (e) {
      setErrors(fieldErrorsOf(e, SETTINGS_FIELDS, '保存失败，请稍后重试'))
    } finally {
      setSaving(false)
    }
  }

  const field = (f: FieldSpec) => (
    <Field key={f.key} label={f.label} required={canEdit} error={errors[f.key]} hint={canEdit ? f.hint : undefined} className={cx('pm-set-field', `pm-set-${f.key}`)}>
      {canEdit ? (
        <View className='pm-set-row'>
          <Input
            className={cx('ui-input', 'pm-set-input', `pm-set-input-${f.key}`)}
            type={f.type}
            placeholderClass='ui-placeholder'
            placeholder={f.placeholder}
            maxlength={f.type === 'digit' ? 5 : 4}
            value={form[f.key]}
            onInput={(e) => set(f.key, e.detail.value)}
          />
          <Text className='pm-set-unit'>{f.unit}</Text>
        </View>
      ) : (
        <Text className={cx('pm-set-value', `pm-set-value-${f.key}`)}>
          {s[f.key]} {f.unit}
        </Text>
      )}
    </Field>
  )

  return (
    <PageRoot className={cx('pm-settings', canEdit && 'ui-with-bottom-bar')}>
      <View className='pm-head'>
        <Text className='pm-head__title pm-settings-title'>{profile ? `${profile.address.community.name} 物业计分标准` : '物业计分标准'}</Text>
        <Text className='pm-head__sub'>{canEdit ? '本社区物业季度评定的扣分标准和集中评价阈值，保存后用于之后的计算。' : '本社区物业季度评定的扣分标准和集中评价阈值。仅社区管理员可以修改。'}</Text>
      </View>

      <Section title='扣分标准'>{DEDUCTIONS.map(field)}</Section>
      <Section title='集中评价'>{field(BURST)}</Section>
      {errors._ ? <Text className='pm-error pm-form-error pm-settings-error'>{errors._}</Text> : null}

      <Section title='计分规则'>
        <View className='pm-list'>
          <Card className='pm-formula pm-settings-formula'>
            {s.formula.map((line, i) => (
              <Text key={i} className='pm-formula__line'>
                {line}
              </Text>
            ))}
          </Card>
        </View>
      </Section>

      {canEdit ? (
        <View className='ui-bottom-bar'>
          <Button type='primary' block className='pm-settings-save' loading={saving} onClick={() => void save()}>
            保存
          </Button>
        </View>
      ) : null}
    </PageRoot>
  )
}

export default function PropertySettingsPage() {
  return <SettingsView />
}
