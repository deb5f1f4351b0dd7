import Taro from '@tarojs/taro'
import { Input, Text, View } from '@tarojs/components'
import { useEffect, useRef, useState } from 'react'
import { Button, Field, PageRoot, PageWrapper, Section, cx, useRevealErrors } from '@/components'
import { LEVELS, LEVEL_LABELS, useOnboardingForm, type LevelKey, type OnboardingForm } from '@/features/profile/onboarding'
import { MINE_TAB_URL } from '@/features/profile/routes'
import { useSession } from '@/features/profile/useSession'
import type { Profile } from '@/shared/domain/user'
import { PhoneField } from '../../components/PhoneField'
import './index.css'

/** One level of the address (社区 / 小区 / 楼栋 / 单元): big tappable options, or the choice made. */
function LevelPicker({ form, level }: { form: OnboardingForm; level: LevelKey }) {
  const state = form.levels[level]
  const label = LEVEL_LABELS[level]
  return (
    <Field label={label} required error={form.errors[level]} className={cx('onb-level', `onb-level-${level}`)}>
      {state.selected && !state.open ? (
        <View className='onb-chosen'>
          <Text className={cx('onb-chosen__name', `onb-chosen-${level}`)}>{state.selected.name}</Text>
          <View className={cx('onb-chosen__change', `onb-change-${level}`)} hoverClass='onb-option--hover' onClick={() => form.reopen(level)}>
            <Text>重新选择</Text>
          </View>
        </View>
      ) : state.loading ? (
        <Text className='onb-level__status'>正在加载{label}…</Text>
      ) : state.error ? (
        <View className='onb-level__status onb-level__status--error'>
          <Text>{state.error}</Text>
          <View className='onb-retry' onClick={() => form.reopen(level)}>
            <Text>重试</Text>
          </View>
        </View>
      ) : state.options && state.options.length === 0 ? (
        <Text className='onb-level__status'>暂无可选的{label}，请联系社区工作人员</Text>
      ) : (
        <View className='onb-options'>
          {(state.options ?? []).map((place) => (
            <View
              key={place.id}
              className={cx('onb-option', `onb-option-${level}`, state.selected?.id === place.id && 'onb-option--on')}
              hoverClass='onb-option--hover'
              onClick={() => form.choose(level, place)}
            >
              <Text>{place.name}</Text>
            </View>
          ))}
        </View>
      )}
    </Field>
  )
}

/**
 * 入驻 / 修改住址: 社区 → 小区 → 楼栋 → 单元, 门牌号, optional 姓名, 手机号 and 邀请码.
 * Already onboarded: the same form prefilled, as 修改住址 (moving resets verification).
 */
export default function OnboardingPage() {
  const { session, loading, error, reload } = useSession()
  const form = useOnboardingForm()
  const { start } = form
  const started = useRef(false)
  // The person as the form started (a later session refresh, e.g. after saving, changes nothing here).
  const [profile, setProfile] = useState<Profile | null>(null)
  const editing = !!profile

  useEffect(() => {
    if (!session || started.current) return
    started.current = true
    setProfile(session.profile)
    start(session.profile)
    if (session.profile) void Taro.setNavigationBarTitle({ title: '修改住址' }).catch(() => undefined)
  }, [session, start])

  const reveal = useRevealErrors()
  const submit = async () => {
    const saved = await form.submit()
    if (!saved) {
      reveal()
      return
    }
    void Taro.showToast({ title: editing ? '住址已更新' : '入驻成功', icon: 'success' }).catch(() => undefined)
    await Taro.switchTab({ url: MINE_TAB_URL }).catch(() => undefined)
  }

  const visibleLevels = LEVELS.filter((level, i) => i === 0 || !!form.levels[LEVELS[i - 1]].selected)
  // Only what is on screen: a level below the first one not chosen is not shown yet.
  const errorCount = Object.entries(form.errors).filter(([key, message]) => message && !(LEVELS.includes(key as LevelKey) && !visibleLevels.includes(key as LevelKey))).length

  return (
    <PageRoot className='onboarding'>
      <PageWrapper loading={loading} error={error} onRetry={() => void reload()} skeletonRows={2}>
        <View className='onb-intro'>
          <Text className='onb-intro__title'>{editing ? '修改住址' : '完善住址'}</Text>
          <Text className='onb-intro__text'>
            {editing ? '选择新的住址后保存。' : '选择您居住的社区、小区、楼栋和单元，即可使用纠纷调解、场地预约等社区服务。'}
          </Text>
          {editing ? (
            <Text className='onb-intro__warn'>
              {profile.verified
                ? '注意：修改住址后需要重新认证（填写网格员邀请码可立即认证）。'
                : '您的住址尚未认证，保存后请联系网格员认证或输入邀请码。'}
            </Text>
          ) : null}
        </View>

        {form.topError ? (
          <View className='onb-top-error ui-form-error' role='alert'>
            <Text>{form.topError}</Text>
          </View>
        ) : null}

        <Section title='住址'>
          <View className='onb-group'>
            {visibleLevels.map((level) => (
              <LevelPicker key={level} form={form} level={level} />
            ))}
            <Field label='门牌号' required error={form.errors.room} hint='例如 1203、502-1' className='field-room'>
              <Input
                className='ui-input input-room'
                maxlength={10}
                placeholder='请输入门牌号'
                placeholderClass='ui-placeholder'
                value={form.values.room}
                onInput={(e) => form.setValue('room', e.detail.value)}
              />
            </Field>
          </View>
        </Section>

        <Section title='联系方式（选填）'>
          <View className='onb-group'>
            <Field label='姓名' error={form.errors.name} hint='选填，真实姓名便于工作人员联系和认证' className='field-name'>
              <Input
                className='ui-input input-name'
                maxlength={20}
                placeholder='请输入姓名'
                placeholderClass='ui-placeholder'
                value={form.values.name}
                onInput={(e) => form.setValue('name', e.detail.value)}
              />
            </Field>
            <PhoneField
              phone={form.values.phone}
              phoneCode={form.values.phoneCode}
              consent={form.values.consent}
              error={form.errors.phone}
              consentError={form.errors.consent}
              current={profile?.phoneMasked}
              onPhone={(v) => form.setValue('phone', v)}
              onPhoneCode={(v) => form.setValue('phoneCode', v)}
              onConsent={(v) => form.setValue('consent', v)}
            />
          </View>
        </Section>

        <Section title='邀请码（选填）'>
          <View className='onb-group'>
            <Field label='邀请码' error={form.errors.inviteCode} hint='网格员提供的 6 位邀请码，填写后住址立即认证' className='field-invite'>
              <Input
                className='ui-input input-invite'
                maxlength={6}
                placeholder='例如 K7M2QX'
                placeholderClass='ui-placeholder'
                value={form.values.inviteCode}
                onInput={(e) => form.setValue('inviteCode', e.detail.value.toUpperCase())}
              />
            </Field>
          </View>
        </Section>

        <View className='onb-submit'>
          {errorCount > 0 ? <Text className='onb-submit__summary'>有 {errorCount} 处需要修改，请查看标红的提示</Text> : null}
          <Button type='primary' block className='onb-submit__button' loading={form.submitting} onClick={() => void submit()}>
            {editing ? '保存住址' : '完成入驻'}
          </Button>
        </View>
      </PageWrapper>
    </PageRoot>
  )
}
