import Taro from '@tarojs/taro'
import { View, Text, Picker } from '@tarojs/components'
import { useState } from 'react'
import { Button, Card, Field, PageRoot, PagedListView, Tag, useResource } from '@/components'
import { loadCompanies, markComplaint } from '@/features/property/api'
import { quarterLabel } from '@/features/property/format'
import { useComplaints } from '@/features/property/hooks'
import type { ComplaintOutT } from '@/shared/api/property'
import { formatDate } from '@/shared/time'
import { ReasonSheet } from '../../components/ReasonSheet'
import '../../components/property.css'

type SheetState = { item: ComplaintOutT; substantiated: boolean; companyId: string | null; error: string }

function MarkText({ mark }: { mark: NonNullable<ComplaintOutT['mark']> }) {
  return (
    <View className='pm-box pm-mark'>
      <View className='pm-tags'>
        <Tag type={mark.substantiated ? 'danger' : 'success'} className='pm-mark__tag'>
          {mark.substantiated ? '属实' : '不属实'}
        </Tag>
        <Text className='pm-sub'>
          {mark.companyName} · {quarterLabel(mark.quarter)}
        </Text>
      </View>
      {mark.note ? <Text className='pm-sub'>备注：{mark.note}</Text> : null}
      <Text className='pm-sub'>认定人：{mark.byName}</Text>
    </View>
  )
}

/** 投诉认定 (staff): closed 物业 disputes and messages; mark each 属实 (counts against the company that quarter) or 不属实. */
export function ComplaintsView() {
  const list = useComplaints()
  const companies = useResource(loadCompanies, [])
  const [changed, setChanged] = useState<Record<string, ComplaintOutT>>({})
  const [sheet, setSheet] = useState<SheetState | null>(null)
  const options = companies.data?.companies ?? []

  const open = (item: ComplaintOutT, substantiated: boolean) =>
    setSheet({ item, substantiated, companyId: item.mark?.companyId ?? item.suggestedCompanyId ?? options[0]?.id ?? null, error: '' })

  return (
    <PageRoot className='pm-complaints'>
      <Text className='pm-hint pm-list pm-complaints-intro'>已办结的“物业”类纠纷和留言。认定属实的，按办结时间计入该物业公司当季扣分。</Text>
      <PagedListView list={list} emptyText='暂无已办结的物业类投诉'>
        <View className='pm-list'>
          {list.items.map((raw) => {
            const c = changed[raw.caseId] ?? raw
            return (
              <Card key={c.caseId} title={c.summary} className={`pm-complaint pm-complaint--${c.caseId}`} extra={<Tag type='info'>{c.kind === 'dispute' ? '纠纷' : '留言'}</Tag>}>
                <Text className='pm-sub'>地点：{c.place}</Text>
                <Text className='pm-sub'>办结：{c.closedAt ? formatDate(c.closedAt) : '—'}</Text>
                {c.mark ? <MarkText mark={c.mark} /> : <Text className='pm-sub pm-unmarked'>尚未认定</Text>}
                <View className='pm-actions'>
                  <Button type='primary' size='small' className='pm-mark-true' onClick={() => open(c, true)}>
                    属实
                  </Button>
                  <Button type='default' size='small' className='pm-mark-false' onClick={() => open(c, false)}>
                    不属实
                  </Button>
                </View>
              </Card>
            )
          })}
        </View>
      </PagedListView>

      <ReasonSheet
        open={!!sheet}
        title={sheet ? `认定${sheet.substantiated ? '属实' : '不属实'}` : ''}
        label='备注'
        optional
        placeholder='选填，例如：现场核实垃圾清运不及时'
        max={100}
        confirmText='确认'
        name='pm-mark'
        reasonPath='note'
        onClose={() => setSheet(null)}
        onSubmit={async (note) => {
          if (!sheet) return
          if (!sheet.companyId) {
            setSheet({ ...sheet, error: '请选择物业公司' })
            throw new Error('请选择物业公司')
          }
          const next = await markComplaint(sheet.item.caseId, sheet.companyId, sheet.substantiated, note)
          setChanged((m) => ({ ...m, [next.caseId]: next }))
          setSheet(null)
          void Taro.showToast({ title: '已认定', icon: 'success' })
        }}
      >
        {sheet ? (
          <View>
            <Text className='pm-item__title'>{sheet.item.summary}</Text>
            <Field label='物业公司' required error={sheet.error || undefined}>
              <Picker
                mode='selector'
                range={options.map((o) => o.name)}
                value={Math.max(0, options.findIndex((o) => o.id === sheet.companyId))}
                onChange={(e) => setSheet({ ...sheet, companyId: options[Number(e.detail.value)]?.id ?? null, error: '' })}
              >
                <View className='ui-picker pm-mark-company'>
                  <Text>{options.find((o) => o.id === sheet.companyId)?.name ?? (companies.loading ? '加载中…' : '请选择')} ▾</Text>
                </View>
              </Picker>
            </Field>
            {sheet.substantiated ? <Text className='pm-hint'>属实的投诉计入该公司当季扣分。</Text> : null}
          </View>
        ) : null}
      </ReasonSheet>
    </PageRoot>
  )
}

export default function ComplaintsPage() {
  return <ComplaintsView />
}
