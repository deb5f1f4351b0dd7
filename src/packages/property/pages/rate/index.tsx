import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useEffect, useState } from 'react'
import { Button, Card, Field, PageRoot, PageWrapper, useRevealErrors } from '@/components'
import { CountedTextarea } from '@/features/cases/ui/CountedTextarea'
import { ONBOARDING_URL } from '@/features/entries'
import { rate } from '@/features/property/api'
import { PROPERTY_URLS } from '@/features/property/config'
import { MAX_RATING_COMMENT, missingCount, rateErrorsFromApi, rateFormOf, rateStars, validateRate, type RateErrors, type RateForm } from '@/features/property/form'
import { DIMENSIONS, DIMENSION_LABELS, untilText } from '@/features/property/format'
import { useMyRating, useRoles } from '@/features/property/hooks'
import { StarPicker } from '../../components/StarPicker'
import { ErrorLine } from '../../components/ReasonSheet'
import '../../components/property.css'

/** After rating: back to the company page it came from, else open it in place of this one. */
function backToCompany(companyId: string) {
  try {
    const pages = Taro.getCurrentPages()
    const prev = pages[pages.length - 2] as { route?: string; options?: Record<string, string> } | undefined
    if (prev?.route && prev.route.includes('packages/property/pages/company') && (!prev.options?.id || prev.options.id === companyId)) {
      void Taro.navigateBack().catch(() => undefined)
      return
    }
  } catch {
    // no page stack (a test): open the company page
  }
  void Taro.redirectTo({ url: PROPERTY_URLS.company(companyId) }).catch(() => undefined)
}

/** 评价物业: six dimensions of 1–5 stars and an optional comment, once per household per quarter (editable until it ends). */
export function RateView() {
  const { hasProfile, verified, known } = useRoles()
  const mine = useMyRating()
  const [form, setForm] = useState<RateForm | null>(null)
  const [errors, setErrors] = useState<RateErrors>({})
  const [busy, setBusy] = useState(false)
  const reveal = useRevealErrors()
  const m = mine.data

  useEffect(() => {
    if (m && !form) setForm(rateFormOf(m))
  }, [m, form])

  if (!m || !form) {
    return (
      <PageRoot className='pm-rate-page'>
        <PageWrapper loading={mine.loading || (!!m && !form)} error={mine.loading ? null : mine.error} onRetry={() => void mine.reload()} />
      </PageRoot>
    )
  }

  if (m.blocked || !m.company) {
    const needsAddress = known && !hasProfile
    const needsVerify = known && hasProfile && !verified
    return (
      <PageRoot className='pm-rate-page'>
        <PageWrapper
          empty
          className='pm-blocked'
          emptyText={m.blocked ?? '您所在的小区暂未登记物业公司，暂时不能评价'}
          emptyAction={
            needsAddress || needsVerify ? (
              <Button type='plain' className='pm-go-onboarding' onClick={() => void Taro.navigateTo({ url: ONBOARDING_URL })}>
                {needsAddress ? '去完善住址' : '填写邀请码认证住址'}
              </Button>
            ) : undefined
          }
        />
      </PageRoot>
    )
  }

  const company = m.company
  const missing = missingCount(form)
  const set = (patch: Partial<RateForm>, field: keyof RateErrors) => {
    setForm((f) => (f ? { ...f, ...patch, stars: { ...f.stars, ...patch.stars } } : f))
    setErrors((e) => ({ ...e, [field]: undefined, _: undefined }))
  }

  const submit = async () => {
    if (busy) return
    const local = validateRate(form)
    if (Object.keys(local).length) {
      setErrors(local)
      reveal()
      return
    }
    setBusy(true)
    setErrors({})
    try {
      const next = await rate(company.id, rateStars(form), form.comment.trim())
      mine.setData(next)
      void Taro.showToast({ title: m.rating ? '评价已修改' : '评价已提交', icon: 'success' })
      backToCompany(company.id)
    } catch (e) {
      const errors = rateErrorsFromApi(e)
      setErrors(errors)
      reveal(errors._ ?? (e instanceof Error ? e.message : null))
    } finally {
      setBusy(false)
    }
  }

  return (
    <PageRoot className='pm-rate-page ui-with-bottom-bar'>
      <View className='pm-head'>
        <Text className='pm-head__title pm-rate-company'>{company.name}</Text>
        <Text className='pm-head__sub'>{m.quarterLabel}服务评价</Text>
        <Text className='pm-hint pm-rate-note'>
          {m.rating ? `本季度已评价，可在 ${untilText(m.editableUntil)} 前修改。` : `每户每季度评价一次，${untilText(m.editableUntil)} 前可以修改。`}
        </Text>
        {m.rating?.excluded ? <Text className='pm-hint pm-rate-excluded'>您家本季度的评价经核查未计入得分。</Text> : null}
      </View>

      <View className='pm-list'>
        <Card title='六项打分' className='pm-rate-stars'>
          {DIMENSIONS.map((d) => (
            <StarPicker key={d} name={d} label={DIMENSION_LABELS[d]} value={form.stars[d]} error={errors[d]} onChange={(n) => set({ stars: { ...form.stars, [d]: n } }, d)} />
          ))}
        </Card>
        <Card className='pm-rate-comment-card'>
          <Field label='评语（选填）' error={errors.comment} hint='评语经审核后公开显示，不显示您的姓名和门牌号' className='pm-field-comment'>
            <CountedTextarea className='pm-rate-comment' placeholder='说说物业做得好的地方，或需要改进的地方' max={MAX_RATING_COMMENT} value={form.comment} onInput={(comment) => set({ comment }, 'comment')} />
          </Field>
        </Card>
      </View>
      <ErrorLine text={errors._} className='pm-form-error pm-rate-error' />

      <View className='ui-bottom-bar'>
        <Button type='primary' block className='pm-rate-submit' loading={busy} onClick={() => void submit()}>
          {missing ? `提交评价（还有 ${missing} 项未选）` : m.rating ? '保存修改' : '提交评价'}
        </Button>
      </View>
    </PageRoot>
  )
}

export default function RatePage() {
  return <RateView />
}
