import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useState } from 'react'
import { Button, Card, PageRoot, PagedListView, Tag, type TagType } from '@/components'
import { Chips } from '@/features/cases/ui/Chips'
import { reviewBurst, type BurstStatus } from '@/features/property/api'
import { quarterLabel } from '@/features/property/format'
import { useBursts } from '@/features/property/hooks'
import type { BurstOutT } from '@/shared/api/property'
import { ReasonSheet } from '../../components/ReasonSheet'
import '../../components/property.css'

const STATUS_OPTIONS: ReadonlyArray<{ key: BurstStatus; label: string }> = [
  { key: 'flagged', label: '待核查' },
  { key: 'excluded', label: '已剔除' },
  { key: 'dismissed', label: '已保留' },
]
const STATUS_TAGS: Record<BurstStatus, TagType> = { flagged: 'warning', excluded: 'danger', dismissed: 'success' }

/** 集中评价核查 (staff): ratings that arrived in a burst for one company; 剔除 (not counted) or 保留, with a reason. */
export function BurstsView() {
  const [status, setStatus] = useState<BurstStatus>('flagged')
  const list = useBursts(status)
  const [changed, setChanged] = useState<Record<string, BurstOutT>>({})
  const [sheet, setSheet] = useState<{ burst: BurstOutT; exclude: boolean } | null>(null)

  return (
    <PageRoot className='pm-bursts'>
      <View className='pm-chips'>
        <Chips name='burst-status' columns={3} options={STATUS_OPTIONS} value={status} onChange={setStatus} />
      </View>
      <Text className='pm-hint pm-list'>同一小时内对同一家物业的评价数量超过阈值时列出。剔除后这些评价不计分；保留则照常计分。</Text>
      <PagedListView list={list} emptyText={status === 'flagged' ? '没有待核查的集中评价' : '暂无记录'}>
        <View className='pm-list'>
          {list.items.map((raw) => {
            const b = changed[raw.id] ?? raw
            return (
              <Card key={b.id} title={b.companyName} className={`pm-burst pm-burst--${b.status}`} extra={<Tag type={STATUS_TAGS[b.status]} className='pm-burst__status'>{b.statusLabel}</Tag>}>
                <Text className='pm-text'>
                  {b.hourText} 共 {b.count} 条评价
                </Text>
                <Text className='pm-sub'>{quarterLabel(b.quarter)}</Text>
                {b.reason ? <Text className='pm-sub pm-burst__reason'>核查结论：{b.reason}</Text> : null}
                {b.status === 'flagged' ? (
                  <View className='pm-actions'>
                    <Button type='primary' size='small' className='pm-burst-exclude' onClick={() => setSheet({ burst: b, exclude: true })}>
                      剔除
                    </Button>
                    <Button type='default' size='small' className='pm-burst-keep' onClick={() => setSheet({ burst: b, exclude: false })}>
                      保留
                    </Button>
                  </View>
                ) : null}
              </Card>
            )
          })}
        </View>
      </PagedListView>

      <ReasonSheet
        open={!!sheet}
        title={sheet ? `${sheet.exclude ? '剔除' : '保留'}：${sheet.burst.companyName}` : ''}
        label='核查结论'
        placeholder={sheet?.exclude ? '例如：同一时段多户评语雷同，疑似组织刷分' : '例如：当天小区开业主大会，集中评价属正常'}
        max={100}
        confirmText={sheet?.exclude ? '确认剔除' : '确认保留'}
        name='pm-burst'
        onClose={() => setSheet(null)}
        onSubmit={async (reason) => {
          if (!sheet) return
          const next = await reviewBurst(sheet.burst.id, sheet.exclude, reason)
          setChanged((m) => ({ ...m, [next.id]: next }))
          setSheet(null)
          void Taro.showToast({ title: sheet.exclude ? '已剔除' : '已保留', icon: 'success' })
        }}
      >
        {sheet ? <Text className='pm-hint'>{sheet.exclude ? '剔除后这批评价不计入得分。' : '保留后这批评价照常计入得分。'}</Text> : null}
      </ReasonSheet>
    </PageRoot>
  )
}

export default function BurstsPage() {
  return <BurstsView />
}
