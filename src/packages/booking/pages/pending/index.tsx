import Taro from '@tarojs/taro'
import { View, Text, Textarea } from '@tarojs/components'
import { useState } from 'react'
import { Button, Field, PageRoot, PagedListView, Sheet, useListPageEvents, usePagedList } from '@/components'
import { fetchPending, performBookingAction, requestBookingStaffSubscribe } from '@/features/booking/api'
import { BOOKING_URLS } from '@/features/booking/config'
import { ApiError } from '@/services/gateway'
import type { StaffBookingItemT } from '@/shared/api/booking'
import { BookingCard } from '../../components/BookingCard'
import '../../components/booking.css'

/** 待审核: the community's pending bookings, earliest start first; approve, or reject with a reason. */
export function PendingView() {
  const list = usePagedList<StaffBookingItemT, string>(fetchPending)
  const [busy, setBusy] = useState<string | null>(null)
  const [reject, setReject] = useState<{ item: StaffBookingItemT; reason: string; error: string; busy: boolean } | null>(null)
  useListPageEvents(list)

  const failMessage = (e: unknown) =>
    e instanceof ApiError && e.code === 'CONFLICT' ? '已被他人处理，已刷新' : e instanceof Error && e.message ? e.message : '操作失败，请稍后重试'

  const approve = async (item: StaffBookingItemT) => {
    // Inside the tap (WeChat shows its dialog only then): allow the next 新预约待审核 message.
    void requestBookingStaffSubscribe()
    setBusy(item.id)
    try {
      await performBookingAction(item, 'approve')
      void Taro.showToast({ title: '已通过', icon: 'success' })
    } catch (e) {
      void Taro.showToast({ title: failMessage(e), icon: 'none', duration: 2500 })
    } finally {
      setBusy(null)
      void list.refresh()
    }
  }

  const confirmReject = async () => {
    if (!reject || reject.busy) return
    if (!reject.reason.trim()) {
      setReject({ ...reject, error: '请填写驳回原因' })
      return
    }
    setReject({ ...reject, busy: true, error: '' })
    try {
      await performBookingAction(reject.item, 'reject', reject.reason)
      setReject(null)
      void Taro.showToast({ title: '已驳回', icon: 'success' })
      void list.refresh()
    } catch (e) {
      if (e instanceof ApiError && e.code === 'CONFLICT') {
        setReject(null)
        void list.refresh()
      }
      setReject((r) => (r ? { ...r, busy: false, error: failMessage(e) } : r))
    }
  }

  return (
    <PageRoot className='bk-pending'>
      <Text className='bk-intro'>开始时间早的在前；开始前仍未审核的预约会自动取消。</Text>
      <PagedListView
        list={list}
        emptyText='没有待审核的预约'
      >
        <View className='bk-list'>
          {list.items.map((item) => (
            <View key={item.id} className='bk-pending-item'>
              <BookingCard item={item} staff onClick={() => void Taro.navigateTo({ url: BOOKING_URLS.detail(item.id) })} />
              <View className='bk-card__actions'>
                <Button type='primary' className='bk-approve' loading={busy === item.id} disabled={busy !== null} onClick={() => void approve(item)}>
                  通过
                </Button>
                <Button type='plain' className='bk-reject' disabled={busy !== null} onClick={() => setReject({ item, reason: '', error: '', busy: false })}>
                  驳回
                </Button>
              </View>
            </View>
          ))}
        </View>
      </PagedListView>

      <Sheet
        open={!!reject}
        title='驳回预约'
        onClose={() => setReject(null)}
        footer={
          <Button type='primary' block className='bk-sheet-confirm' loading={!!reject?.busy} onClick={() => void confirmReject()}>
            确认驳回
          </Button>
        }
      >
        {reject ? (
          <Field label={`驳回原因（${reject.item.contactName} · ${reject.item.timeText}）`} required error={reject.error || undefined}>
            <Textarea
              className='ui-textarea bk-reason'
              placeholderClass='ui-placeholder'
              placeholder='将通知预约人，例如：当天已安排社区活动'
              value={reject.reason}
              maxlength={100}
              fixed
              onInput={(e) => {
                const reason = e.detail.value
                setReject((r) => (r ? { ...r, reason, error: '' } : r))
              }}
            />
          </Field>
        ) : null}
      </Sheet>
    </PageRoot>
  )
}

export default function PendingPage() {
  return <PendingView />
}
