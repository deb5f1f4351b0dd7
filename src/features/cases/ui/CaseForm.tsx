import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useRef, useState } from 'react'
import { Button, Field, useRevealErrors, type DoneProps } from '@/components'
import { newRequestId } from '@/services/gateway'
import type { CaseDetailT } from '@/shared/api/cases'
import { requestCaseSubscribe } from '../data'
import { hasErrors, MAX_PHOTOS } from '../form'
import { Chips } from './Chips'
import { CountedTextarea } from './CountedTextarea'
import { PhotoPicker, type PhotoUploads } from './PhotoPicker'
import './cases.css'

export interface CaseContentFieldsProps<C extends string> {
  category: { label: string; options: readonly C[]; columns: 3 | 4; value: C | ''; error?: string; onChange: (c: C) => void }
  /** The main text: its field class (`field-description`, `field-text`), box class, limit. */
  text: { label: string; fieldClass: string; inputClass: string; placeholder: string; max: number; value: string; error?: string; onChange: (t: string) => void }
  photos: { uploads: PhotoUploads; hint: string; error?: string }
}

/** What a case is about: its category, the text, up to 6 photos (提交纠纷, 写留言). */
export function CaseContentFields<C extends string>({ category, text, photos }: CaseContentFieldsProps<C>) {
  return (
    <View className='form-group'>
      <Field label={category.label} required error={category.error} className='field-category'>
        <Chips
          name='category'
          columns={category.columns}
          options={category.options.map((c) => ({ key: c, label: c }))}
          value={category.value || null}
          onChange={category.onChange}
        />
      </Field>

      <Field label={text.label} required error={text.error} className={text.fieldClass}>
        <CountedTextarea className={text.inputClass} placeholder={text.placeholder} value={text.value} max={text.max} onInput={text.onChange} />
      </Field>

      <Field label={`照片（选填，最多 ${MAX_PHOTOS} 张）`} error={photos.error} hint={photos.hint} className='field-photos'>
        <PhotoPicker uploads={photos.uploads} />
      </Field>
    </View>
  )
}

export interface CaseSubmitAreaProps {
  error?: string
  submitting: boolean
  uploading: boolean
  label: string
  note: string
  onSubmit: () => void
}

/** The form's own error, the submit button (waits for the photos) and what happens next. */
export function CaseSubmitArea({ error, submitting, uploading, label, note, onSubmit }: CaseSubmitAreaProps) {
  return (
    <View>
      {error ? <Text className='form-error submit-error ui-form-error'>{error}</Text> : null}
      <View className='submit-area'>
        <Button type='primary' block className='submit-btn' loading={submitting} disabled={uploading} onClick={onSubmit}>
          {uploading ? '照片上传中…' : label}
        </Button>
        <Text className='submit-note'>{note}</Text>
      </View>
    </View>
  )
}

export interface CaseSubmit<E> {
  /** Checks on the phone first; the errors, when there are any. */
  check: () => E
  /** Sends with the form's one request id (a retry after a lost answer returns the first case). */
  send: (requestId: string) => Promise<CaseDetailT>
  /** A refusal → the errors to show. */
  refused: (e: unknown) => E
  setErrors: (e: E) => void
  /** Where the new case opens. */
  detailUrl: (id: string) => string
  /**
   * The page shown after the submit (what happens next, 查看进度 / 返回首页) instead of opening the
   * case at once; without it the new case's page replaces the form.
   */
  done?: (c: CaseDetailT) => Omit<DoneProps, 'detailUrl'>
}

/**
 * Submitting a new case: the checks, one request id per form (idempotent on the server), the
 * subscribe-message question asked inside the tap (WeChat requires it, once, never blocking),
 * then the success page (`done`) or the new case's page in place of the form. A refusal is
 * shown where the eye is (toast, and the page scrolled to the first marked field).
 */
export function useCaseSubmit<E extends Partial<Record<string, string>>>(s: CaseSubmit<E>) {
  const [submitting, setSubmitting] = useState(false)
  const [done, setDone] = useState<DoneProps | null>(null)
  const requestId = useRef(newRequestId())
  const asked = useRef(false)
  const reveal = useRevealErrors()
  const submit = async () => {
    if (submitting) return
    const local = s.check()
    if (hasErrors(local)) {
      s.setErrors(local)
      reveal('请检查标红的内容')
      return
    }
    s.setErrors({} as E)
    setSubmitting(true)
    const subscribed = asked.current ? Promise.resolve() : requestCaseSubscribe()
    asked.current = true
    try {
      const detail = await s.send(requestId.current)
      await subscribed
      if (s.done) {
        setDone({ ...s.done(detail), detailUrl: s.detailUrl(detail.id) })
        setSubmitting(false)
      } else void Taro.redirectTo({ url: s.detailUrl(detail.id) })
    } catch (e) {
      const errors = s.refused(e)
      s.setErrors(errors)
      reveal(errors._ ?? (e instanceof Error && e.message ? e.message : '提交失败，请稍后重试'))
      setSubmitting(false)
    }
  }
  return { submitting, submit, done }
}
