import Taro from '@tarojs/taro'
import { View, Text, Picker } from '@tarojs/components'
import { useState } from 'react'
import { Button, Card, Field, PageRoot, Section } from '@/components'
import { exportHours } from '@/features/volunteer/api'
import { saveXlsx } from '@/features/volunteer/download'
import { dateLabel } from '@/features/volunteer/format'
import { businessDate } from '@/shared/time'
import '../../components/volunteer.css'

const isWeapp = process.env.TARO_ENV === 'weapp'

/** 导出工时积分 (staff): a period's hours and points per person and per 双报到 unit as .xlsx. */
export function ExportView({ today = businessDate(new Date()) }: { today?: string }) {
  const [from, setFrom] = useState(`${today.slice(0, 8)}01`)
  const [to, setTo] = useState(today)
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  const [done, setDone] = useState<{ fileName: string; people: number; units: number } | null>(null)

  const run = async () => {
    if (busy) return
    if (from > to) {
      setError('开始日期不能晚于结束日期')
      return
    }
    setBusy(true)
    setError('')
    setDone(null)
    try {
      const out = await exportHours(from, to)
      await saveXlsx(out.fileName, out.base64)
      setDone({ fileName: out.fileName, people: out.people, units: out.units })
      void Taro.showToast({ title: isWeapp ? '已生成' : '已下载', icon: 'success' })
    } catch (e) {
      setError(e instanceof Error && e.message ? e.message : '导出失败，请稍后重试')
    } finally {
      setBusy(false)
    }
  }

  return (
    <PageRoot className='vol-export'>
      <Section title='统计期间'>
        <Field label='开始日期' className='vol-export-from'>
          <Picker mode='date' value={from} end={to} onChange={(e) => setFrom(String(e.detail.value))}>
            <View className='ui-picker'>
              <Text>{dateLabel(from)}</Text>
            </View>
          </Picker>
        </Field>
        <Field label='结束日期' error={error || undefined} className='vol-export-to'>
          <Picker mode='date' value={to} start={from} onChange={(e) => setTo(String(e.detail.value))}>
            <View className='ui-picker'>
              <Text>{dateLabel(to)}</Text>
            </View>
          </Picker>
        </Field>
      </Section>
      <View className='vol-list vol-export-actions'>
        <Text className='vol-hint'>统计这段期间记入的工时和积分（活动所得按活动结束日期计）：一张表按人，一张表按在职党员的报到单位。</Text>
        <Button type='primary' block className='vol-export-run' loading={busy} onClick={() => void run()}>
          {isWeapp ? '生成并打开 Excel' : '导出 Excel'}
        </Button>
      </View>
      {done ? (
        <Card title='已导出' className='vol-export-done'>
          <Text className='vol-text'>
            {done.people} 人，{done.units} 个报到单位。{isWeapp ? '可在打开的文件右上角转发或用其他应用打开。' : ''}
          </Text>
          <Text className='vol-hint'>{done.fileName}</Text>
        </Card>
      ) : null}
    </PageRoot>
  )
}

export default function ExportPage() {
  return <ExportView />
}
