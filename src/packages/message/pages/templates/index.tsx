import Taro from '@tarojs/taro'
import { View, Text, Input } from '@tarojs/components'
import { useState } from 'react'
import { Button, Card, Field, PageRoot, PageWrapper, Sheet, cx, useResource } from '@/components'
import { toastDone } from '@/features/cases/ui/CaseActions'
import { CountedTextarea } from '@/features/cases/ui/CountedTextarea'
import { deleteTemplate, loadTemplates, saveTemplate, type Template } from '@/features/message/data'
import { ApiError } from '@/services/gateway'
import { MAX_MESSAGE } from '@/shared/api/cases'
import './index.css'

const MAX_TITLE = 20

interface Editing {
  id?: string
  title: string
  text: string
  errors: { title?: string; text?: string; _?: string }
  busy: boolean
}

function check(e: Editing): Editing['errors'] {
  const out: Editing['errors'] = {}
  if (!e.title.trim()) out.title = '请填写标题'
  else if (e.title.trim().length > MAX_TITLE) out.title = `最多 ${MAX_TITLE} 个字`
  if (!e.text.trim()) out.text = '请填写回复内容'
  else if (e.text.length > MAX_MESSAGE) out.text = `最多 ${MAX_MESSAGE} 个字`
  return out
}

/** 常用回复 (staff, grid workers): the community's saved replies — create, edit, delete. */
export function MessageTemplatesView() {
  const res = useResource<Template[]>(loadTemplates, [])
  const { data: items, loading, error, reload } = res
  const [editing, setEditing] = useState<Editing | null>(null)
  const [deleting, setDeleting] = useState<string | null>(null)

  const edit = (t?: Template) => setEditing({ id: t?.id, title: t?.title ?? '', text: t?.text ?? '', errors: {}, busy: false })
  const change = (patch: Partial<Pick<Editing, 'title' | 'text'>>, field: 'title' | 'text') =>
    setEditing((e) => (e ? { ...e, ...patch, errors: { ...e.errors, [field]: undefined } } : e))

  const save = async () => {
    if (!editing || editing.busy) return
    const errors = check(editing)
    if (Object.keys(errors).length) {
      setEditing({ ...editing, errors })
      return
    }
    setEditing({ ...editing, busy: true, errors: {} })
    try {
      await saveTemplate({ id: editing.id, title: editing.title.trim(), text: editing.text })
      setEditing(null)
      toastDone(editing.id ? '已保存修改' : '已新建常用回复')
      await reload()
    } catch (e) {
      const fields = e instanceof ApiError ? e.fieldErrors() : {}
      setEditing((s) => (s ? { ...s, busy: false, errors: { title: fields.title, text: fields.text, _: fields.title || fields.text ? undefined : e instanceof Error ? e.message : '保存失败，请稍后重试' } } : s))
    }
  }

  const remove = async (t: Template) => {
    const answer = await Taro.showModal({ title: '删除常用回复', content: `删除「${t.title}」？删除后不能恢复。`, confirmText: '删除', confirmColor: '#c8161d' }).catch(() => null)
    if (!answer?.confirm) return
    setDeleting(t.id)
    try {
      await deleteTemplate(t.id)
      toastDone('已删除')
      await reload()
    } catch (e) {
      void Taro.showToast({ title: e instanceof Error && e.message ? e.message : '删除失败，请稍后重试', icon: 'none' })
    } finally {
      setDeleting(null)
    }
  }

  const list = items ?? []
  return (
    <PageRoot className={cx('message-templates', list.length > 0 && 'ui-with-bottom-bar')}>
      <View className='case-intro'>
        <Text>答复留言时可一键插入常用回复，再按实际情况修改。本社区的工作人员共用。</Text>
      </View>
      <PageWrapper
        loading={loading && !items}
        error={items ? null : error}
        onRetry={() => void reload()}
        empty={!!items && list.length === 0}
        emptyText='还没有常用回复'
        emptyAction={
          <Button type='primary' className='template-new-btn' onClick={() => edit()}>
            新建常用回复
          </Button>
        }
      >
        {list.map((t) => (
          <Card key={t.id} className='template-card' title={t.title}>
            <Text className='template-card__text'>{t.text}</Text>
            <View className='template-card__actions'>
              <Button size='small' className='template-edit' onClick={() => edit(t)}>
                修改
              </Button>
              <Button size='small' type='plain' className='template-delete' loading={deleting === t.id} onClick={() => void remove(t)}>
                删除
              </Button>
            </View>
          </Card>
        ))}
      </PageWrapper>

      {list.length > 0 ? (
        <View className='ui-bottom-bar'>
          <Button type='primary' block className='template-new-btn' onClick={() => edit()}>
            新建常用回复
          </Button>
        </View>
      ) : null}

      <Sheet
        open={!!editing}
        title={editing?.id ? '修改常用回复' : '新建常用回复'}
        className='template-sheet'
        onClose={() => setEditing(null)}
        footer={
          <Button type='primary' block className='template-save' loading={!!editing?.busy} onClick={() => void save()}>
            保存
          </Button>
        }
      >
        {editing ? (
          <View>
            <Field label='标题' required error={editing.errors.title} hint={`${editing.title.length}/${MAX_TITLE}，只有工作人员看得到`} className='template-title-field'>
              <Input
                className='ui-input template-title-input'
                placeholderClass='ui-placeholder'
                placeholder='例如：路灯报修已派单'
                value={editing.title}
                maxlength={-1}
                onInput={(e) => change({ title: e.detail.value }, 'title')}
              />
            </Field>
            <Field label='回复内容' required error={editing.errors.text} className='template-text-field'>
              <CountedTextarea
                className='template-textarea'
                fixed
                value={editing.text}
                max={MAX_MESSAGE}
                placeholder='插入后会显示在回复框里，可以再修改'
                onInput={(text) => change({ text }, 'text')}
              />
            </Field>
            {editing.errors._ ? <Text className='form-error template-error'>{editing.errors._}</Text> : null}
          </View>
        ) : null}
      </Sheet>
    </PageRoot>
  )
}

export default function MessageTemplatesPage() {
  return <MessageTemplatesView />
}
