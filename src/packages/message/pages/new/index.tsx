import { View, Text } from '@tarojs/components'
import { useCallback, useState } from 'react'
import { Done, PageRoot, PageWrapper, Switch } from '@/components'
import { useCaseSession } from '@/features/cases/useSession'
import { submittedNext } from '@/features/cases/format'
import { CaseContentFields, CaseSubmitArea, useCaseSubmit } from '@/features/cases/ui/CaseForm'
import { usePhotoUploads } from '@/features/cases/ui/PhotoPicker'
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
import type { MessageCategory } from '@/shared/rules/cases'
import './index.css'

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
  const photos = usePhotoUploads(() => setErrors((e) => (e.photos ? { ...e, photos: undefined } : e)))
  const { submitting, submit, done } = useCaseSubmit<MessageErrors>({
    check: () => validateMessage(form, photos.items),
    send: (requestId) => writeMessage(buildMessagePayload(form, photos.items), requestId),
    refused: messageErrorsFromApi,
    setErrors,
    detailUrl: MESSAGE_URLS.detail,
    done: (c) => ({ title: '留言已提交', next: submittedNext(c), notes: ['答复会通知您，也可随时在「我的留言」查看。'] }),
  })

  const update = useCallback((patch: Partial<MessageForm>, clear?: keyof MessageErrors) => {
    setForm((f) => ({ ...f, ...patch }))
    if (clear) setErrors((e) => (e[clear] ? { ...e, [clear]: undefined } : e))
  }, [])

  if (done) {
    return (
      <PageRoot className='message-new message-done'>
        <Done {...done} />
      </PageRoot>
    )
  }

  if (loaded && !session?.profile) {
    return (
      <PageRoot className='message-new'>
        <PageWrapper error={{ code: 'NOT_ONBOARDED', message: '请先完善住址，留言将交给您所在社区的工作人员' }} />
      </PageRoot>
    )
  }

  return (
    <PageRoot className='message-new'>
      <CaseContentFields<MessageCategory>
        category={{ label: '留言类型', options: MESSAGE_CATEGORIES, columns: 3, value: form.category, error: errors.category, onChange: (category) => update({ category }, 'category') }}
        text={{
          label: '留言内容',
          fieldClass: 'field-text',
          inputClass: 'message-input',
          placeholder: '想咨询、建议或反映什么？写清楚地点和情况，社区能更快答复',
          max: MAX_MESSAGE,
          value: form.text,
          error: errors.text,
          onChange: (text) => update({ text }, 'text'),
        }}
        photos={{ uploads: photos, hint: '拍下现场情况，帮助工作人员了解', error: errors.photos }}
      />

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

      <CaseSubmitArea
        error={errors._}
        submitting={submitting}
        uploading={photos.uploading}
        label='提交留言'
        note='社区工作人员 24 小时内答复（水电气暖紧急 2 小时），答复会通知您。'
        onSubmit={() => void submit()}
      />
    </PageRoot>
  )
}

export default function MessageNewPage() {
  return <MessageNewView />
}
