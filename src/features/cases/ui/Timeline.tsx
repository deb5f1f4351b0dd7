import { View, Text } from '@tarojs/components'
import { useState } from 'react'
import { Card, Tag, cx } from '@/components'
import type { TimelineEntryT } from '@/shared/api/cases'
import { statusLabel, type CaseKind } from '@/shared/rules/cases'
import { formatDateTime } from '@/shared/time'
import './cases.css'

export interface TimelineProps {
  kind: CaseKind
  entries: readonly TimelineEntryT[]
}

/** The case's record (办理记录), newest first: when, who, what, status change, note. */
export function Timeline({ kind, entries }: TimelineProps) {
  const rows = entries.slice().reverse()
  return (
    <View className='timeline'>
      {rows.map((t, i) => (
        <View key={`${t.at}-${i}`} className={cx('tl-item', `tl-item--${t.action}`, i === 0 && 'tl-item--latest', t.private && 'tl-item--private')}>
          <View className='tl-item__rail'>
            <View className='tl-item__dot' />
            {i < rows.length - 1 ? <View className='tl-item__line' /> : null}
          </View>
          <View className='tl-item__body'>
            <View className='tl-item__head'>
              <Text className='tl-item__label'>{t.label}</Text>
              {t.private ? (
                <Tag type='muted' className='tl-item__private'>
                  仅工作人员可见
                </Tag>
              ) : null}
            </View>
            <Text className='tl-item__time'>{formatDateTime(t.at)}</Text>
            <Text className='tl-item__who'>
              {t.byName}
              {t.byRole && t.byRole !== t.byName ? ` · ${t.byRole}` : ''}
            </Text>
            {t.to && (t.fromLabel ?? (t.from ? statusLabel(kind, t.from) : null)) !== (t.toLabel ?? statusLabel(kind, t.to)) ? (
              <Text className='tl-item__status'>
                {t.from ? `${t.fromLabel ?? statusLabel(kind, t.from)} → ` : ''}
                {t.toLabel ?? statusLabel(kind, t.to)}
              </Text>
            ) : null}
            {t.note ? <Text className='tl-item__note'>{t.note}</Text> : null}
          </View>
        </View>
      ))}
    </View>
  )
}

export interface TimelineCardProps extends TimelineProps {
  /** Starts folded with a 展开 toggle (a message's thread says most of it already). */
  collapsible?: boolean
}

/** 办理记录: the timeline in its card, optionally folded. */
export function TimelineCard({ kind, entries, collapsible = false }: TimelineCardProps) {
  const [open, setOpen] = useState(!collapsible)
  return (
    <Card
      title='办理记录'
      className={cx('case-timeline', !open && 'case-timeline--folded')}
      extra={
        collapsible ? (
          <View className='timeline-toggle' hoverClass='timeline-toggle--hover' onClick={() => setOpen((o) => !o)} aria-role='button' aria-expanded={open}>
            <Text>{open ? '收起' : `展开（${entries.length} 条）`}</Text>
          </View>
        ) : null
      }
    >
      {open ? <Timeline kind={kind} entries={entries} /> : null}
    </Card>
  )
}
