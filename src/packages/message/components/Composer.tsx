import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useCallback, useEffect, useState } from 'react'
import { Button, Card, Field, PageWrapper, Sheet, toLoadError, type LoadError } from '@/components'
import { canKeepTemplates } from '@/features/cases/format'
import { photosProblem, uploadedPhotoIds } from '@/features/cases/form'
import type { CaseActionKey } from '@/features/cases/data'
import type { CaseRunner } from '@/features/cases/ui/CaseActions'
import { CountedTextarea } from '@/features/cases/ui/CountedTextarea'
import { PhotoPicker, usePhotoUploads } from '@/features/cases/ui/PhotoPicker'
import { useCaseSession } from '@/features/cases/useSession'
import { MESSAGE_URLS } from '@/features/message/config'
import { loadTemplates, type Template } from '@/features/message/data'
import { MAX_MESSAGE } from '@/shared/api/cases'
import './message.css'

/**
 * A box that posts to the thread (回复, 请居民补充, the resident's 补充): the text, its check,
 * the action in flight, the error; cleared once the post is in.
 */
function useComposer(run: CaseRunner) {
  const [text, setText] = useState('')
  const [error, setError] = useState<string | undefined>()
  const [busy, setBusy] = useState<CaseActionKey | null>(null)

  const send = async (key: CaseActionKey, extra: { photos?: string[] } = {}, problem?: string): Promise<boolean> => {
    if (busy) return false
    const local = !text.trim() ? '请填写内容' : text.length > MAX_MESSAGE ? `最多 ${MAX_MESSAGE} 个字` : problem
    if (local) {
      setError(local)
      return false
    }
    setBusy(key)
    setError(undefined)
    const out = await run(key, { text, ...extra })
    setBusy(null)
    if (out.done) {
      setText('')
      return true
    }
    if (!out.conflict) setError(out.errors.text ?? out.errors.photos ?? out.errors._ ?? Object.values(out.errors)[0])
    return false
  }

  const input = (value: string) => {
    setText(value)
    setError(undefined)
  }
  return { text, setText: input, error, busy, send }
}

/** 插入常用回复: the community's saved replies; a tap hands one to the reply box. */
function TemplateSheet({ open, onClose, onPick }: { open: boolean; onClose: () => void; onPick: (t: Template) => void }) {
  const { session } = useCaseSession()
  const [items, setItems] = useState<Template[] | null>(null)
  const [error, setError] = useState<LoadError | null>(null)

  const load = useCallback(async () => {
    setError(null)
    try {
      setItems(await loadTemplates())
    } catch (e) {
      setError(toLoadError(e))
    }
  }, [])

  // Loaded each time it opens: a colleague may have added one since.
  useEffect(() => {
    if (open) void load()
  }, [open, load])

  const manage = canKeepTemplates(session?.profile?.roles)
  return (
    <Sheet open={open} title='插入常用回复' className='template-picker' onClose={onClose}>
      <PageWrapper
        loading={items === null && !error}
        error={items === null ? error : null}
        onRetry={() => void load()}
        skeletonRows={2}
        empty={items !== null && items.length === 0}
        emptyText='还没有常用回复'
        emptyAction={
          manage ? (
            <Button className='template-manage' onClick={() => void Taro.navigateTo({ url: MESSAGE_URLS.templates })}>
              去新建常用回复
            </Button>
          ) : null
        }
      >
        {(items ?? []).map((t) => (
          <View
            key={t.id}
            className='template-option'
            hoverClass='template-option--hover'
            onClick={() => {
              onPick(t)
              onClose()
            }}
          >
            <Text className='template-option__title'>{t.title}</Text>
            <Text className='template-option__text'>{t.text}</Text>
          </View>
        ))}
      </PageWrapper>
    </Sheet>
  )
}

/** The handler's reply box: 插入常用回复, 回复, and 请居民补充 (pauses the clock) when allowed. */
export function ReplyBox({ can, run }: { can: readonly string[]; run: CaseRunner }) {
  const box = useComposer(run)
  const [picking, setPicking] = useState(false)
  const asks = can.includes('requestInfo')
  return (
    <Card
      title='回复居民'
      className='reply-box'
      extra={
        <View className='insert-template' hoverClass='insert-template--hover' onClick={() => setPicking(true)} aria-role='button'>
          <Text>插入常用回复</Text>
        </View>
      }
    >
      <Field label='' error={box.error} className='reply-field'>
        <CountedTextarea className='reply-input' value={box.text} max={MAX_MESSAGE} placeholder='写给居民的答复，居民会收到通知' onInput={box.setText} />
      </Field>
      <View className='reply-box__buttons'>
        {asks ? (
          <Button className='request-info-btn' loading={box.busy === 'requestInfo'} disabled={box.busy === 'reply'} onClick={() => void box.send('requestInfo')}>
            请居民补充
          </Button>
        ) : null}
        <Button type='primary' className='reply-btn' loading={box.busy === 'reply'} disabled={box.busy === 'requestInfo'} onClick={() => void box.send('reply')}>
          回复
        </Button>
      </View>
      {asks ? <Text className='reply-box__hint'>「请居民补充」会暂停办理计时，居民答复后继续计时。</Text> : null}
      <TemplateSheet
        open={picking}
        onClose={() => setPicking(false)}
        // Into the box, after what is already there: the worker adapts it before sending.
        onPick={(t) => box.setText(box.text.trim() ? `${box.text}\n${t.text}` : t.text)}
      />
    </Card>
  )
}

/** The resident's box: answer a request for more information, or add to the message (text and photos). */
export function AnswerBox({ waiting, run }: { waiting: boolean; run: CaseRunner }) {
  const box = useComposer(run)
  const photos = usePhotoUploads()
  // Asked for more: open. Otherwise one tap opens it (most residents only wait for the answer).
  const [open, setOpen] = useState(waiting)
  const send = async () => {
    if (await box.send('answer', { photos: uploadedPhotoIds(photos.items) }, photosProblem(photos.items))) {
      photos.clear()
      if (!waiting) setOpen(false)
    }
  }
  if (!open && !waiting) {
    return (
      <View className='answer-open'>
        <Button block className='answer-open-btn' onClick={() => setOpen(true)}>
          继续留言
        </Button>
      </View>
    )
  }
  return (
    <Card title={waiting ? '补充说明' : '继续留言'} className='answer-box'>
      {waiting ? <Text className='answer-box__hint'>社区请您补充说明，补充后继续办理。</Text> : null}
      <Field label='' error={box.error} className='answer-field'>
        <CountedTextarea className='answer-input' value={box.text} max={MAX_MESSAGE} placeholder={waiting ? '按社区的要求补充说明，也可以附上照片' : '还有什么想告诉社区的'} onInput={box.setText} />
      </Field>
      <View className='answer-box__photos'>
        <PhotoPicker uploads={photos} />
      </View>
      <Button type='primary' block className='answer-btn' loading={box.busy === 'answer'} disabled={photos.uploading} onClick={() => void send()}>
        {photos.uploading ? '照片上传中…' : '发送'}
      </Button>
    </Card>
  )
}
