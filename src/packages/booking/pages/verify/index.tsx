import Taro from '@tarojs/taro'
import { View, Text, Input } from '@tarojs/components'
import { useState } from 'react'
import { Button, Card, Field, PageRoot, Section, Tag } from '@/components'
import { scanCode, verifyCode } from '@/features/booking/api'
import { BOOKING_URLS } from '@/features/booking/config'
import { statusTagType } from '@/features/booking/format'
import type { BookingDetailT } from '@/shared/api/booking'
import { InfoRow } from '../../components/InfoRow'
import '../../components/booking.css'

const isWeapp = process.env.TARO_ENV === 'weapp'

/** 核销签到: type the resident's 6-digit code (or scan it in the mini-program). */
export function VerifyView() {
  const [code, setCode] = useState('')
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  const [done, setDone] = useState<BookingDetailT | null>(null)

  const submit = async (value = code) => {
    const v = value.trim()
    if (!/^\d{6}$/.test(v)) {
      setError('核销码为 6 位数字')
      return
    }
    setBusy(true)
    setError('')
    try {
      const b = await verifyCode(v)
      setDone(b)
      setCode('')
      void Taro.showToast({ title: '签到成功', icon: 'success' })
    } catch (e) {
      setDone(null)
      setError(e instanceof Error && e.message ? e.message : '核销失败，请稍后重试')
    } finally {
      setBusy(false)
    }
  }

  const scan = async () => {
    const text = await scanCode()
    if (!text) return
    setCode(text.trim())
    await submit(text)
  }

  return (
    <PageRoot className='bk-verify'>
      <Section title='核销签到'>
        <Field label='居民出示的核销码' error={error || undefined} hint='开始前 15 分钟至开始后 15 分钟内可核销'>
          <Input
            className='ui-input bk-code-input bk-verify-code'
            type='number'
            maxlength={6}
            placeholderClass='ui-placeholder'
            placeholder='6 位数字'
            value={code}
            onInput={(e) => {
              setCode(e.detail.value)
              setError('')
            }}
            onConfirm={() => void submit()}
          />
        </Field>
        <View className='bk-list bk-verify-buttons'>
          <Button type='primary' block className='bk-verify-submit' loading={busy} onClick={() => void submit()}>
            核销
          </Button>
          {isWeapp ? (
            <Button type='default' block className='bk-scan' disabled={busy} onClick={() => void scan()}>
              扫码核销
            </Button>
          ) : null}
        </View>
      </Section>
      {done ? (
        <View className='bk-list'>
          <Card title='已签到' extra={<Tag type={statusTagType(done.status)}>{done.statusLabel}</Tag>} className='bk-verified' onClick={() => void Taro.navigateTo({ url: BOOKING_URLS.detail(done.id) })}>
            <InfoRow label='场地' value={done.roomName} />
            <InfoRow label='时间' value={done.timeText} />
            <InfoRow label='预约人' value={`${done.contactName} ${done.contactPhone}`} />
            <InfoRow label='用途' value={`${done.purpose} · ${done.attendees} 人`} />
            <Text className='bk-intro'>点击查看详情 ›</Text>
          </Card>
        </View>
      ) : null}
    </PageRoot>
  )
}

export default function VerifyPage() {
  return <VerifyView />
}
