import Taro from '@tarojs/taro'
import { Input, Text, View } from '@tarojs/components'
import { Button, Checkbox, Field } from '@/components'
import { PRIVACY_URL } from '@/features/profile/routes'
import { ensureConsent, recordConsent, refusedText } from '@/services/privacy'
import './PhoneField.css'

const IS_WEAPP = process.env.TARO_ENV === 'weapp'

export interface PhoneFieldProps {
  phone: string
  phoneCode: string
  consent: boolean
  error?: string
  consentError?: string
  /** Already on file (masked), for 修改: an empty field keeps it. */
  current?: string | null
  onPhone: (phone: string) => void
  onPhoneCode: (code: string) => void
  onConsent: (consent: boolean) => void
}

/**
 * 手机号 (optional) with its privacy consent. weapp: WeChat's 手机号快速验证 button (the code is
 * exchanged on the server), usable once the consent is ticked. H5: typed, validated by the
 * shared schema before anything is sent.
 */
export function PhoneField({ phone, phoneCode, consent, error, consentError, current, onPhone, onPhoneCode, onConsent }: PhoneFieldProps) {
  const hint = current ? `已登记 ${current}，不填写则保持不变` : '选填，方便工作人员联系您；仅向处理您事项的工作人员完整显示'
  // Ticking is the consent (issue 14): weapp also asks WeChat's privacy authorisation now (our
  // consent sheet, its 同意 being WeChat's agree button), so the 手机号 button works once ticked;
  // H5 keeps the answer like the sheet's 同意.
  const tick = async (on: boolean) => {
    if (!on) return onConsent(false)
    if (!IS_WEAPP) {
      recordConsent()
      return onConsent(true)
    }
    const agreed = await ensureConsent('phone')
    onConsent(agreed)
    if (!agreed) void Taro.showToast({ title: refusedText('phone'), icon: 'none' }).catch(() => undefined)
  }
  return (
    <View className='phone-field'>
      <Field label='手机号' error={error} hint={hint} className='field-phone'>
        {IS_WEAPP ? (
          phoneCode ? (
            <View className='phone-field__got'>
              <Text className='phone-field__got-text'>已获取微信手机号，提交后保存</Text>
              <Text className='phone-field__link' onClick={() => onPhoneCode('')}>
                取消
              </Text>
            </View>
          ) : (
            <Button
              type='plain'
              block
              className='phone-field__wechat'
              disabled={!consent}
              openType='getPhoneNumber'
              onGetPhoneNumber={(e) => {
                const code = e.detail.code
                if (code) onPhoneCode(code)
                else void Taro.showToast({ title: '未获取到手机号，可稍后在「我的」中补充', icon: 'none' })
              }}
            >
              {consent ? '使用微信手机号' : '请先勾选下方隐私指引'}
            </Button>
          )
        ) : (
          <Input
            className='ui-input input-phone'
            type='number'
            maxlength={11}
            placeholder='11 位手机号'
            placeholderClass='ui-placeholder'
            value={phone}
            onInput={(e) => onPhone(e.detail.value)}
          />
        )}
      </Field>
      <View className={consentError ? 'phone-field__consent phone-field__consent--invalid' : 'phone-field__consent'}>
        <Checkbox
          className='consent-check'
          checked={consent}
          onChange={(on) => void tick(on)}
          after={
            <Text className='phone-field__link privacy-link' aria-role='link' onClick={() => void Taro.navigateTo({ url: PRIVACY_URL })}>
              《用户隐私保护指引》
            </Text>
          }
        >
          <Text>我已阅读并同意</Text>
        </Checkbox>
        {consentError ? <Text className='ui-field__error'>{consentError}</Text> : null}
      </View>
    </View>
  )
}
