import Taro from '@tarojs/taro'
import { Input, Text, View } from '@tarojs/components'
import { useEffect, useRef, useState } from 'react'
import { Button, Field, PageRoot, PageWrapper, Section } from '@/components'
import { saveProfile, type ProfilePatch } from '@/features/profile/api'
import { CONSENT_REQUIRED, splitErrors } from '@/features/profile/onboarding'
import { ONBOARDING_URL } from '@/features/profile/routes'
import { useSession } from '@/features/profile/useSession'
import { PhoneField } from '../../components/PhoneField'
import '../index/index.css'
import './index.css'

type ErrorKey = 'name' | 'phone' | 'consent' | 'partyUnit'
type Errors = Partial<Record<ErrorKey, string>>
const PROFILE_FIELDS: Record<string, ErrorKey> = { name: 'name', phone: 'phone', phoneCode: 'phone', partyUnit: 'partyUnit' }

/** 修改资料: 姓名, 手机号, and 报到单位 (在职党员双报到) through `user.updateProfile`. */
export default function ProfileEditPage() {
  const { session, loading, error, reload } = useSession()
  const profile = session?.profile ?? null
  const [name, setName] = useState('')
  const [phone, setPhone] = useState('')
  const [phoneCode, setPhoneCode] = useState('')
  const [consent, setConsent] = useState(false)
  const [partyUnit, setPartyUnit] = useState('')
  const [errors, setErrors] = useState<Errors>({})
  const [top, setTop] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const filled = useRef(false)

  useEffect(() => {
    if (!profile || filled.current) return
    filled.current = true
    setName(profile.name ?? '')
    setPartyUnit(profile.partyUnit ?? '')
  }, [profile])

  const save = async () => {
    if (!profile) return
    const patch: ProfilePatch = {}
    if (name.trim() && name.trim() !== (profile.name ?? '')) patch.name = name.trim()
    if (phoneCode) patch.phoneCode = phoneCode
    else if (phone.trim()) patch.phone = phone.trim()
    if (partyUnit.trim() && partyUnit.trim() !== (profile.partyUnit ?? '')) patch.partyUnit = partyUnit.trim()
    setTop(null)
    if ((patch.phone || patch.phoneCode) && !consent) {
      setErrors({ consent: CONSENT_REQUIRED })
      return
    }
    if (Object.keys(patch).length === 0) {
      setErrors({})
      setTop('没有需要保存的修改')
      return
    }
    setSaving(true)
    try {
      await saveProfile(patch)
      setErrors({})
      void Taro.showToast({ title: '资料已保存', icon: 'success' }).catch(() => undefined)
      setTimeout(() => void Taro.navigateBack().catch(() => undefined), 600)
    } catch (e) {
      const { fields, top: message } = splitErrors(e, PROFILE_FIELDS)
      setErrors(fields)
      setTop(message)
    } finally {
      setSaving(false)
    }
  }

  return (
    <PageRoot className='profile-edit'>
      <PageWrapper
        loading={loading}
        error={error}
        onRetry={() => void reload()}
        empty={!loading && !error && !profile}
        emptyText='完善住址后才能修改资料'
        emptyAction={
          <Button type='primary' onClick={() => void Taro.redirectTo({ url: ONBOARDING_URL })}>
            去完善住址
          </Button>
        }
        skeletonRows={2}
      >
        {top ? (
          <View className='onb-top-error' role='alert'>
            <Text>{top}</Text>
          </View>
        ) : null}
        <Section title='个人资料'>
          <View className='onb-group'>
            <Field label='姓名' error={errors.name} className='field-name'>
              <Input
                className='ui-input input-name'
                maxlength={20}
                placeholder='请输入姓名'
                placeholderClass='ui-placeholder'
                value={name}
                onInput={(e) => setName(e.detail.value)}
              />
            </Field>
            <PhoneField
              phone={phone}
              phoneCode={phoneCode}
              consent={consent}
              error={errors.phone}
              consentError={errors.consent}
              current={profile?.phoneMasked}
              onPhone={setPhone}
              onPhoneCode={setPhoneCode}
              onConsent={(v) => {
                setConsent(v)
                setErrors(({ consent: _c, ...rest }) => rest)
              }}
            />
          </View>
        </Section>
        <Section title='在职党员双报到'>
          <View className='onb-group'>
            <Field
              label='报到单位'
              error={errors.partyUnit}
              hint={profile?.roles.includes('party_member') ? '已确认为在职党员，可修改单位全称' : '在职党员填写工作单位全称，社区工作人员核实后确认为在职党员'}
              className='field-party-unit'
            >
              <Input
                className='ui-input input-party-unit'
                maxlength={40}
                placeholder='例如 市自来水有限公司'
                placeholderClass='ui-placeholder'
                value={partyUnit}
                onInput={(e) => setPartyUnit(e.detail.value)}
              />
            </Field>
          </View>
        </Section>
        <View className='onb-submit'>
          <Button type='primary' block className='profile-save' loading={saving} onClick={() => void save()}>
            保存
          </Button>
        </View>
      </PageWrapper>
    </PageRoot>
  )
}
