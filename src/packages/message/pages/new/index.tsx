import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useCallback, useRef, useState } from 'react'
import { Button, Field, PageRoot, PageWrapper, Switch } from '@/components'
import { ONBOARDING_URL } from '@/features/entries'
import { requestCaseSubscribe } from '@/features/cases/data'
import { hasErrors, MAX_PHOTOS } from '@/features/cases/form'
import { useCaseSession } from '@/features/cases/useSession'
import { Chips } from '@/features/cases/ui/Chips'
import { CountedTextarea } from '@/features/cases/ui/CountedTextarea'
import { PhotoPicker, usePhotoUploads } from '@/features/cases/ui/PhotoPicker'
import { MESSAGE_URLS } from '@/features/message/config'
import { writeMessage } from '@/features/message/data'
import {
  EMPTY_MESSAGE,
  MAX_MESSAGE,
  MESSAGE_CATEGORIES,
  buildMessagePayload,
  messageErrorsFromApi,
  offersUtility,
  validateMessage,
  type MessageErrors,
  type MessageForm,
} from '@/features/message/form'
import { newRequestId } from '@/services/gateway'
import type { MessageCategory } from '@/shared/rules/cases'
import './index.css'

const CATEGORY_OPTIONS = MESSAGE_CATEGORIES.map((c) => ({ key: c, label: c }))

function SwitchRow({ className, title, desc, checked, onChange }: { className: string; title: string; desc: string; checked: boolean; onChange: (on: boolean) => void }) {
  return (
    <View className={`share-row ${className}`}>
      <View className='share-row__text'>
        <Text className='share-row__title'>{title}</Text>
        <Text className='share-row__desc'>{desc}</Text>
      </View>
      <Switch className={`${className}__switch`} checked={checked} label={title} onChange={onChange} />
    </View>
  )
}

/** 写留言: category, text (≤ 1000), up to 6 photos, 水电气暖紧急 (报修 / 投诉), 希望公开. */
export function MessageNewView() {
  const { session, loaded } = useCaseSession()
  const [form, setForm] = useState<MessageForm>(EMPTY_MESSAGE)
  const [errors, setErrors] = useState<MessageErrors>({})
  const [submitting, setSubmitting] = useState(false)
  // One request id per form: a retry after a lost answer returns the first message.
  const requestId = useRef(newRequestId())
  const asked = useRef(false)
  const photos = usePhotoUploads(() => setErrors((e) => (e.photos ? { ...e, photos: undefined } : e)))

  const update = useCallback((patch: Partial<MessageForm>, clear?: keyof MessageErrors) => {
    setForm((f) => ({ ...f, ...patch }))
    if (clear) setErrors((e) => (e[clear] ? { ...e, [clear]: undefined } : e))
  }, [])

  const submit = async () => {
    if (submitting) return
    const local = validateMessage(form, photos.items)
    if (hasErrors(local)) {
      setErrors(local)
      void Taro.showToast({ title: '请检查标红的内容', icon: 'none' })
      return
    }
    setErrors({})
    setSubmitting(true)
    // Inside the tap (WeChat requires it): ask once for progress notifications; never blocks.
    const subscribed = asked.current ? Promise.resolve() : requestCaseSubscribe()
    asked.current = true
    try {
      const detail = await writeMessage(buildMessagePayload(form, photos.items), requestId.current)
      await subscribed
      void Taro.redirectTo({ url: MESSAGE_URLS.detail(detail.id) })
    } catch (e) {
      setErrors(messageErrorsFromApi(e))
      setSubmitting(false)
    }
  }

  if (loaded && !session?.profile) {
    return (
      <PageRoot className='message-new'>
        <PageWrapper
          empty
          emptyText='请先完善住址，留言将交给您所在社区的工作人员'
          emptyAction={
            <Button type='primary' onClick={() => void Taro.navigateTo({ url: ONBOARDING_URL })}>
              去完善住址
            </Button>
          }
        />
      </PageRoot>
    )
  }

  return (
    <PageRoot className='message-new'>
      <View className='form-group'>
        <Field label='留言类型' required error={errors.category} className='field-category'>
          <Chips
            name='category'
            columns={3}
            options={CATEGORY_OPTIONS}
            value={form.category || null}
            onChange={(category: MessageCategory) => update({ category }, 'category')}
          />
        </Field>

        <Field label='留言内容' required error={errors.text} className='field-text'>
          <CountedTextarea
            className='message-input'
            placeholder='想咨询、建议或反映什么？写清楚地点和情况，社区能更快答复'
            value={form.text}
            max={MAX_MESSAGE}
            onInput={(text) => update({ text }, 'text')}
          />
        </Field>

        <Field label={`照片（选填，最多 ${MAX_PHOTOS} 张）`} error={errors.photos} hint='拍下现场情况，帮助工作人员了解' className='field-photos'>
          <PhotoPicker uploads={photos} />
        </Field>
      </View>

      <View className='form-group'>
        {offersUtility(form.category) ? (
          <SwitchRow
            className='utility-row'
            title='水电气暖紧急（2 小时内答复）'
            desc='停水、停电、燃气、暖气等需要马上处理的情况'
            checked={form.utility}
            onChange={(utility) => update({ utility }, 'utility')}
          />
        ) : null}
        <SwitchRow
          className='public-row'
          title='希望公开到留言墙'
          desc='工作人员审核并隐去个人信息后公开，其他居民可以看到社区的答复'
          checked={form.wantsPublic}
          onChange={(wantsPublic) => update({ wantsPublic }, 'wantsPublic')}
        />
      </View>

      {errors._ ? <Text className='form-error submit-error'>{errors._}</Text> : null}

      <View className='submit-area'>
        <Button type='primary' block className='submit-btn' loading={submitting} disabled={photos.uploading} onClick={() => void submit()}>
          {photos.uploading ? '照片上传中…' : '提交留言'}
        </Button>
        <Text className='submit-note'>社区工作人员 24 小时内答复（水电气暖紧急 2 小时），答复会通知您。</Text>
      </View>
    </PageRoot>
  )
}

export default function MessageNewPage() {
  return <MessageNewView />
}
