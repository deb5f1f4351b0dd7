import Taro from '@tarojs/taro'
import { Button as TaroButton, Text, View } from '@tarojs/components'
import { useEffect, useState, type CSSProperties } from 'react'
import {
  AGREE_BUTTON_ID,
  CONSENT_PURPOSE_LABELS,
  PRIVACY_GUIDE_URL,
  answerConsent,
  listenForPrivacyAuthorization,
  onConsentAsk,
  type ConsentAsk,
} from '@/services/privacy'
import { Button } from '../Button'

const isWeapp = process.env.TARO_ENV === 'weapp'

// Inline styles: PageRoot is imported by every page at a different place among its other
// components, so a stylesheet here would be ordered differently in every chunk (the build warns
// "couldn't fulfill desired order"); the sizes follow 长辈模式 through the CSS variables.
const S: Record<string, CSSProperties> = {
  wrap: { position: 'fixed', top: 0, right: 0, bottom: 0, left: 0, zIndex: 2000 },
  mask: { position: 'absolute', top: 0, right: 0, bottom: 0, left: 0, backgroundColor: 'rgba(0, 0, 0, 0.45)' },
  sheet: {
    position: 'absolute',
    right: 0,
    bottom: 0,
    left: 0,
    padding: '16px var(--pad, 16px)',
    paddingBottom: 'calc(16px + env(safe-area-inset-bottom))',
    borderRadius: '12px 12px 0 0',
    backgroundColor: 'var(--c-surface, #ffffff)',
  },
  title: { display: 'block', marginBottom: '8px', fontSize: 'var(--fs-title, 17px)', fontWeight: 600, color: 'var(--c-text, #1f2329)' },
  text: { display: 'block', fontSize: 'var(--fs-body, 15px)', color: 'var(--c-text, #1f2329)' },
  link: { display: 'inline-block', minHeight: 'var(--tap, 44px)', lineHeight: 'var(--tap, 44px)', fontSize: 'var(--fs-body, 15px)', color: 'var(--c-accent, #c8161d)' },
  note: { display: 'block', marginBottom: '12px', fontSize: 'var(--fs-small, 13px)', color: 'var(--c-text-2, #4e5969)' },
  actions: { display: 'flex', gap: '12px' },
  action: { flex: 1 },
}

/**
 * The privacy consent sheet (隐私授权), on every page (PageRoot renders it): shown while a photo
 * picker, the 手机号 button or another privacy API waits for the person's agreement
 * (services/privacy.ts). 同意 in weapp is WeChat's `agreePrivacyAuthorization` button; tapping
 * outside the sheet is 拒绝.
 */
export function PrivacyConsent() {
  const [ask, setAsk] = useState<ConsentAsk | null>(null)
  useEffect(() => {
    listenForPrivacyAuthorization()
    return onConsentAsk(setAsk)
  }, [])
  if (!ask) return null
  const what = CONSENT_PURPOSE_LABELS[ask.purpose]
  return (
    <View className='privacy-consent' style={S.wrap}>
      <View className='privacy-consent__mask' style={S.mask} onClick={() => answerConsent(false)} catchMove />
      <View className='privacy-consent__sheet' style={S.sheet} aria-role='dialog' aria-label='隐私保护提示'>
        <Text className='privacy-consent__title' style={S.title}>
          隐私保护提示
        </Text>
        <Text className='privacy-consent__text' style={S.text}>
          {`${what}前，请您阅读并同意《用户隐私保护指引》。我们只把您提供的信息用于处理您的社区事项，不会提供给无关的第三方。`}
        </Text>
        <Text className='privacy-consent__link' style={S.link} aria-role='link' onClick={() => void Taro.navigateTo({ url: PRIVACY_GUIDE_URL }).catch(() => undefined)}>
          查看《用户隐私保护指引》
        </Text>
        <Text className='privacy-consent__note' style={S.note}>{`拒绝后仍可使用其他服务，只是不能${what}。`}</Text>
        <View className='privacy-consent__actions' style={S.actions}>
          <View style={S.action}>
            <Button block className='privacy-consent-refuse' onClick={() => answerConsent(false)}>
              拒绝
            </Button>
          </View>
          <View style={S.action}>
            {isWeapp ? (
              <TaroButton
                id={AGREE_BUTTON_ID}
                className='ui-btn ui-btn--primary ui-btn--block privacy-consent-agree'
                hoverClass='ui-btn--hover'
                openType='agreePrivacyAuthorization'
                onAgreePrivacyAuthorization={() => answerConsent(true)}
              >
                同意
              </TaroButton>
            ) : (
              <Button type='primary' block className='privacy-consent-agree' onClick={() => answerConsent(true)}>
                同意
              </Button>
            )}
          </View>
        </View>
      </View>
    </View>
  )
}
