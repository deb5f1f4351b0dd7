import Taro, { useRouter } from '@tarojs/taro'
import { View, Text, Textarea, Input } from '@tarojs/components'
import { useState } from 'react'
import { Button, Card, Field, Keep, PageRoot, PageWrapper, Sheet, Tag, cx, useResource } from '@/components'
import { loadBooking, performBookingAction, scanCode, verifyCode, type BookingAction } from '@/features/booking/api'
import { statusTagType } from '@/features/booking/format'
import { ApiError } from '@/services/gateway'
import type { BookingDetailT } from '@/shared/api/booking'
import { formatDateTime, formatShort } from '@/shared/time'
import { Barcode } from '../../components/Barcode'
import { InfoRow } from '../../components/InfoRow'
import '../../components/booking.css'

type SheetAction = 'cancel' | 'reject' | 'staffCancel' | 'verify'

const ACTIONS: Record<BookingAction, { label: string; primary?: boolean; plain?: boolean }> = {
  checkIn: { label: '签到', primary: true },
  approve: { label: '审核通过', primary: true },
  verify: { label: '核销签到', primary: true },
  reject: { label: '驳回', plain: true },
  staffCancel: { label: '取消预约', plain: true },
  cancel: { label: '取消预约', plain: true },
}
const ORDER: BookingAction[] = ['checkIn', 'approve', 'verify', 'reject', 'staffCancel', 'cancel']
const REASONS: Record<SheetAction, { title: string; label: string; placeholder: string; required: boolean; confirm: string }> = {
  cancel: { title: '取消预约', label: '取消原因（选填）', placeholder: '例如：活动改期', required: false, confirm: '确认取消' },
  reject: { title: '驳回预约', label: '驳回原因', placeholder: '例如：当天已安排社区活动', required: true, confirm: '确认驳回' },
  staffCancel: { title: '取消居民的预约', label: '取消原因', placeholder: '将通知预约人，例如：场地临时维修', required: true, confirm: '确认取消' },
  verify: { title: '核销签到', label: '居民出示的核销码', placeholder: '6 位数字', required: true, confirm: '核销' },
}
const isWeapp = process.env.TARO_ENV === 'weapp'

/** One booking: status, the check-in code (big digits + barcode) for the booker, and the actions. */
export function BookingDetailView({ id }: { id: string }) {
  const [busy, setBusy] = useState<BookingAction | null>(null)
  const [sheet, setSheet] = useState<{ action: SheetAction; text: string; error: string; busy: boolean } | null>(null)

  const { data: b, setData: setB, loading, error, reload: load } = useResource<BookingDetailT>(id ? () => loadBooking(id) : null, [id], '缺少预约编号')

  /** Runs an action; CONFLICT → 已被他人处理 and a fresh copy. Returns an error message, if any. */
  const run = async (action: BookingAction, reason = ''): Promise<string | null> => {
    if (!b) return null
    try {
      // 核销 on the booking's own page: the typed or scanned code must be this booking's.
      const next = action === 'verify' ? await verifyCode(reason.trim(), b.id) : await performBookingAction(b, action, reason)
      setB(next)
      void Taro.showToast({ title: `${ACTIONS[action].label}成功`, icon: 'success' })
      return null
    } catch (e) {
      if (e instanceof ApiError && e.code === 'CONFLICT') {
        void Taro.showToast({ title: '已被他人处理，已刷新', icon: 'none' })
        setSheet(null)
        await load()
        return null
      }
      return e instanceof Error && e.message ? e.message : '操作失败，请稍后重试'
    }
  }

  const tap = async (action: BookingAction) => {
    if (action === 'cancel' || action === 'reject' || action === 'staffCancel' || action === 'verify') {
      setSheet({ action, text: '', error: '', busy: false })
      return
    }
    setBusy(action)
    const err = await run(action)
    setBusy(null)
    if (err) void Taro.showToast({ title: err, icon: 'none', duration: 2500 })
  }

  const confirm = async () => {
    if (!sheet || sheet.busy) return
    const def = REASONS[sheet.action]
    if (def.required && !sheet.text.trim()) {
      setSheet({ ...sheet, error: `请填写${def.label}` })
      return
    }
    if (sheet.action === 'verify' && !/^\d{6}$/.test(sheet.text.trim())) {
      setSheet({ ...sheet, error: '核销码为 6 位数字' })
      return
    }
    setSheet({ ...sheet, busy: true, error: '' })
    const err = await run(sheet.action, sheet.text)
    setSheet((s) => (s ? (err ? { ...s, busy: false, error: err } : null) : s))
  }

  if (!b) {
    return (
      <PageRoot className='bk-detail'>
        <PageWrapper loading={loading} error={loading ? null : error} onRetry={() => void load()} />
      </PageRoot>
    )
  }

  const actions = ORDER.filter((a) => b.can.includes(a))
  const waitingCheckIn = b.viewerRole === 'owner' && b.status === 'confirmed' && !b.can.includes('checkIn')

  return (
    <PageRoot className='bk-detail'>
      <View className={cx('bk-head', `bk-head--${statusTagType(b.status)}`)}>
        <Text className='bk-head__status'>{b.statusLabel}</Text>
        <Keep className='bk-head__time' text={`${b.roomName} · ${b.timeText}`} />
      </View>

      {b.checkCode ? (
        <Card title='核销码' className='bk-code-card'>
          <View className='bk-code'>
            <Text className='bk-code__digits bk-check-code' selectable>
              {b.checkCode}
            </Text>
            <Barcode code={b.checkCode} />
            <Keep className='bk-code__hint' text={`到场后向工作人员出示核销码，或在开始前 ${formatShort(b.checkInOpensAt)} 起自助签到；${formatShort(b.checkInClosesAt)} 前未签到将按爽约处理。`} />
          </View>
        </Card>
      ) : null}

      {b.viewerRole === 'owner' && b.status === 'pending' ? <Keep className='bk-banner bk-pending-note' text={`社区工作人员将在 ${formatShort(b.startAt)} 前审核，通过后这里显示核销码。`} /> : null}

      {actions.length ? (
        <Card title={b.viewerRole === 'staff' ? '办理' : '我可以'} className='bk-actions-card'>
          <View className='bk-actions'>
            {actions.map((a) => (
              <Button
                key={a}
                type={ACTIONS[a].primary ? 'primary' : ACTIONS[a].plain ? 'plain' : 'default'}
                className={`bk-action bk-action--${a}`}
                loading={busy === a}
                disabled={busy !== null && busy !== a}
                onClick={() => void tap(a)}
              >
                {ACTIONS[a].label}
              </Button>
            ))}
          </View>
          {b.can.includes('cancel') ? <Keep className='bk-actions__hint' text={`${formatShort(b.cancelDeadline)} 前可自行取消，之后如有变化请联系社区。`} /> : null}
        </Card>
      ) : null}
      {waitingCheckIn ? <Keep className='bk-banner' text={`签到将于 ${formatShort(b.checkInOpensAt)} 开放（可下拉刷新）。`} /> : null}

      <Card title='预约信息' className='bk-info'>
        <InfoRow label='场地' value={`${b.roomName}${b.roomLocation ? `（${b.roomLocation}）` : ''}`} />
        <InfoRow label='时间' value={b.timeText} />
        <InfoRow label='用途' value={b.purpose} />
        <InfoRow label='人数' value={`${b.attendees} 人`} />
        {b.organisation ? <InfoRow label='组织' value={b.organisation} /> : null}
        <InfoRow label='联系人' value={`${b.contactName} ${b.contactPhone}`} />
        {b.proxy ? <InfoRow label='代办' value={b.proxy.text} /> : null}
        <InfoRow label='提交时间' value={formatDateTime(b.createdAt)} />
        {b.checkedInAt ? <InfoRow label='签到时间' value={formatDateTime(b.checkedInAt)} /> : null}
        {b.rejectReason ? <InfoRow label='驳回原因' value={b.rejectReason} /> : null}
        {b.cancelReason ? <InfoRow label='取消原因' value={b.cancelReason} /> : null}
        <View className='bk-status-row'>
          <Tag type={statusTagType(b.status)}>{b.statusLabel}</Tag>
        </View>
      </Card>

      <Card title='办理记录' className='bk-timeline'>
        {b.timeline.map((e, i) => (
          <View key={i} className='bk-tl'>
            <View className='bk-tl__head'>
              <Text>{e.label}</Text>
              <Text className='bk-tl__at'>{formatShort(e.at)}</Text>
            </View>
            <Text className='bk-tl__note'>
              {e.byName}
              {e.note ? `：${e.note}` : ''}
            </Text>
          </View>
        ))}
      </Card>

      <Sheet
        open={!!sheet}
        title={sheet ? REASONS[sheet.action].title : ''}
        className={sheet ? `bk-reason-sheet bk-reason-sheet--${sheet.action}` : undefined}
        onClose={() => setSheet(null)}
        footer={
          sheet ? (
            <Button type='primary' block className='bk-sheet-confirm' loading={sheet.busy} onClick={() => void confirm()}>
              {REASONS[sheet.action].confirm}
            </Button>
          ) : null
        }
      >
        {sheet && sheet.action === 'verify' ? (
          <Field label={REASONS.verify.label} required error={sheet.error || undefined}>
            <Input
              className='ui-input bk-code-input bk-verify-code'
              type='number'
              maxlength={6}
              placeholderClass='ui-placeholder'
              placeholder={REASONS.verify.placeholder}
              value={sheet.text}
              onInput={(e) => {
                const text = e.detail.value
                setSheet((s) => (s ? { ...s, text, error: '' } : s))
              }}
            />
            {isWeapp ? (
              <Button
                type='default'
                block
                className='bk-scan'
                onClick={() =>
                  void scanCode().then((code) => {
                    if (code) setSheet((s) => (s ? { ...s, text: code.trim(), error: '' } : s))
                  })
                }
              >
                扫码
              </Button>
            ) : null}
          </Field>
        ) : sheet ? (
          <Field label={REASONS[sheet.action].label} required={REASONS[sheet.action].required} error={sheet.error || undefined}>
            <Textarea
              className='ui-textarea bk-reason'
              placeholderClass='ui-placeholder'
              placeholder={REASONS[sheet.action].placeholder}
              value={sheet.text}
              maxlength={100}
              fixed
              onInput={(e) => {
                const text = e.detail.value
                setSheet((s) => (s ? { ...s, text, error: '' } : s))
              }}
            />
          </Field>
        ) : null}
      </Sheet>
    </PageRoot>
  )
}

export default function BookingDetailPage() {
  const router = useRouter()
  return <BookingDetailView id={String(router.params.id ?? '')} />
}
