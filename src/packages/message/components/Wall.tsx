import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useCallback, useEffect, useState } from 'react'
import { Button, Card, Field, PageWrapper, Sheet, Tag, toLoadError, type LoadError } from '@/components'
import type { CaseRunner, FieldErrors } from '@/features/cases/ui/CaseActions'
import { CountedTextarea } from '@/features/cases/ui/CountedTextarea'
import { MESSAGE_URLS } from '@/features/message/config'
import { loadWallDraft, type WallDraft } from '@/features/message/data'
import { MAX_MESSAGE, type CaseDetailT } from '@/shared/api/cases'
import { formatDateTime } from '@/shared/time'
import './message.css'

/** 留言墙: whether the resident asked for it, and where it stands (审核中, 已公开, 已撤下). */
export function WallState({ c }: { c: CaseDetailT }) {
  const wall = c.wall
  if (!wall || (!wall.wanted && wall.status === 'none')) return null
  const owner = c.viewerRole === 'owner'
  const state =
    wall.status === 'published'
      ? { tag: '已公开', type: 'success' as const, text: `${wall.publishedAt ? formatDateTime(wall.publishedAt) : ''} 已公开到留言墙（已隐去个人信息）` }
      : wall.status === 'withdrawn'
        ? { tag: '已撤下', type: 'muted' as const, text: '已从留言墙撤下' }
        : { tag: '待审核', type: 'warning' as const, text: owner ? '工作人员审核并隐去个人信息后公开' : '居民希望公开，审核后可公开到留言墙' }
  return (
    <Card title='留言墙' className='wall-state' extra={<Tag type={state.type}>{state.tag}</Tag>}>
      <Text className='wall-state__text'>{state.text}</Text>
      {wall.status === 'published' && wall.text ? <Text className='wall-state__published'>{wall.text}</Text> : null}
      {wall.status === 'published' ? (
        <View className='wall-state__link' hoverClass='wall-state__link--hover' onClick={() => void Taro.navigateTo({ url: MESSAGE_URLS.wall })}>
          <Text>去留言墙看看 ›</Text>
        </View>
      ) : null}
    </Card>
  )
}

interface Draft extends WallDraft {
  reply: string
}

/**
 * 公开到留言墙 (staff): the text and the reply with personal details hidden by the rule, both
 * editable, with the list of what was hidden; the server hides them again on publishing.
 */
export function PublishSheet({ c, run, open, onClose }: { c: CaseDetailT; run: CaseRunner; open: boolean; onClose: () => void }) {
  const [draft, setDraft] = useState<Draft | null>(null)
  const [loadError, setLoadError] = useState<LoadError | null>(null)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [busy, setBusy] = useState(false)

  const load = useCallback(async () => {
    setDraft(null)
    setLoadError(null)
    setErrors({})
    try {
      const d = await loadWallDraft(c.id)
      setDraft({ ...d, reply: d.reply ?? '' })
    } catch (e) {
      setLoadError(toLoadError(e))
    }
  }, [c.id])

  useEffect(() => {
    if (open) void load()
  }, [open, load])

  const confirm = async () => {
    if (!draft || busy) return
    const local: FieldErrors = {}
    if (!draft.text.trim()) local.text = '请填写公开的内容'
    else if (draft.text.length > MAX_MESSAGE) local.text = `最多 ${MAX_MESSAGE} 个字`
    if (draft.reply.length > MAX_MESSAGE) local.reply = `最多 ${MAX_MESSAGE} 个字`
    if (Object.keys(local).length) {
      setErrors(local)
      return
    }
    setBusy(true)
    const out = await run('publish', { text: draft.text, reply: draft.reply })
    setBusy(false)
    if (out.done || out.conflict) onClose()
    else setErrors(out.errors)
  }

  const edit = (patch: Partial<Pick<Draft, 'text' | 'reply'>>, field: string) => {
    setDraft((d) => (d ? { ...d, ...patch } : d))
    setErrors((e) => ({ ...e, [field]: '' }))
  }

  return (
    <Sheet
      open={open}
      title='公开到留言墙'
      className='action-sheet action-sheet--publish'
      onClose={onClose}
      footer={
        draft ? (
          <Button type='primary' block className='sheet-confirm' loading={busy} onClick={() => void confirm()}>
            确认公开
          </Button>
        ) : null
      }
    >
      <PageWrapper loading={!draft && !loadError} error={draft ? null : loadError} onRetry={() => void load()} skeletonRows={2}>
        {draft ? (
          <View>
            <View className='hidden-list'>
              <Text className='hidden-list__title'>{draft.hidden.length ? `已按规则隐去 ${draft.hidden.length} 处个人信息：` : '没有发现需要隐去的个人信息。'}</Text>
              {draft.hidden.map((h, i) => (
                <Text key={`${h.kind}-${i}`} className='hidden-item'>
                  {h.label}：{h.original}
                </Text>
              ))}
              <Text className='hidden-list__note'>公开前请再读一遍，发现其他个人信息（如姓名、车牌）可直接修改。</Text>
            </View>
            <Field label='公开内容' required error={errors.text} className='publish-text'>
              <CountedTextarea className='publish-textarea' fixed value={draft.text} max={MAX_MESSAGE} placeholder='公开到留言墙的内容' onInput={(text) => edit({ text }, 'text')} />
            </Field>
            <Field label='社区回复（选填）' error={errors.reply} className='publish-reply'>
              <CountedTextarea className='publish-textarea' fixed value={draft.reply} max={MAX_MESSAGE} placeholder='与留言一起公开的社区答复' onInput={(reply) => edit({ reply }, 'reply')} />
            </Field>
            {errors._ ? <Text className='form-error sheet-error'>{errors._}</Text> : null}
          </View>
        ) : null}
      </PageWrapper>
    </Sheet>
  )
}
