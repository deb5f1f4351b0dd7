import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { View, Text, Picker, Input } from '@tarojs/components'
import { useRef, useState } from 'react'
import { Button, Cell, CellGroup, Field, PagedListView, PageRoot, PageWrapper, Section, Sheet, Switch, Tag, usePagedList } from '@/components'
import { blockDates, fetchBlackouts, fetchRooms, unblock } from '@/features/booking/api'
import { BOOKING_URLS } from '@/features/booking/config'
import { halfHours, todayShanghai } from '@/features/booking/format'
import { ApiError } from '@/services/gateway'
import type { BlackoutOutT, RoomSummaryT } from '@/shared/api/booking'
import '../../components/booking.css'

interface BlockForm {
  roomId: string | null
  date: string
  wholeDay: boolean
  start: string
  end: string
  reason: string
}

const START_TIMES = halfHours()
const END_TIMES = halfHours(true)

/** 场地管理: rooms (edit, new), upcoming blackouts (停用) and adding one. */
export function ManageView() {
  const rooms = usePagedList<RoomSummaryT, string>((cursor) => fetchRooms(cursor, true))
  const blackouts = usePagedList<BlackoutOutT, string>(fetchBlackouts)
  const [form, setForm] = useState<BlockForm | null>(null)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [busy, setBusy] = useState(false)
  const shown = useRef(false)
  useDidShow(() => {
    if (shown.current) void rooms.refresh()
    shown.current = true
  })
  usePullDownRefresh(() => {
    void Promise.all([rooms.refresh(), blackouts.refresh()]).finally(() => Taro.stopPullDownRefresh())
  })

  const roomOptions = [{ id: null as string | null, name: '全部场地' }, ...rooms.items.map((r) => ({ id: r.id as string | null, name: r.name }))]

  const submit = async () => {
    if (!form || busy) return
    if (!form.reason.trim()) {
      setErrors({ reason: '请填写停用原因' })
      return
    }
    setBusy(true)
    try {
      const res = await blockDates({
        roomId: form.roomId,
        date: form.date,
        reason: form.reason,
        ...(form.wholeDay ? {} : { start: form.start, end: form.end }),
      })
      setForm(null)
      void blackouts.refresh()
      if (res.affected.length) {
        void Taro.showModal({
          title: `有 ${res.affected.length} 个预约在停用时段内`,
          content: `${res.affected.map((b) => `${b.roomName} ${b.start}–${b.end} ${b.contactName} ${b.contactPhone}`).join('\n')}\n请联系居民，并在预约详情中取消。`,
          showCancel: false,
        })
      } else void Taro.showToast({ title: '已停用', icon: 'success' })
    } catch (e) {
      if (e instanceof ApiError && e.issues.length) setErrors(e.fieldErrors())
      else setErrors({ _: e instanceof Error && e.message ? e.message : '保存失败，请稍后重试' })
    } finally {
      setBusy(false)
    }
  }

  const remove = async (b: BlackoutOutT) => {
    const ok = await Taro.showModal({ title: '取消停用', content: `恢复 ${b.date} ${b.text} ${b.roomName} 的预约？` }).catch(() => ({ confirm: false }))
    if (!ok.confirm) return
    try {
      await unblock(b.id)
      void blackouts.refresh()
    } catch {
      // the gateway already showed the message
    }
  }

  const set = (patch: Partial<BlockForm>, field?: string) => {
    setForm((f) => (f ? { ...f, ...patch } : f))
    if (field) setErrors((e) => ({ ...e, [field]: '', _: '' }))
  }

  return (
    <PageRoot className='bk-manage'>
      <Section title='场地' extra={<Button size='small' type='plain' className='bk-new-room' onClick={() => void Taro.navigateTo({ url: BOOKING_URLS.edit() })}>新建场地</Button>}>
        <PageWrapper loading={rooms.loading && !rooms.loaded} error={rooms.loaded ? null : rooms.error} empty={rooms.loaded && rooms.items.length === 0} emptyText='还没有场地' onRetry={() => void rooms.refresh()}>
          <CellGroup>
            {rooms.items.map((r) => (
              <Cell
                key={r.id}
                className='bk-manage-room'
                title={r.name}
                description={`${r.capacity} 人 · ${r.openText}`}
                value={r.active ? (r.needsApproval ? '需审核' : '免审核') : '已停用'}
                onClick={() => void Taro.navigateTo({ url: BOOKING_URLS.edit(r.id) })}
              />
            ))}
          </CellGroup>
        </PageWrapper>
      </Section>

      <Section
        title='停用安排'
        extra={
          <Button size='small' type='plain' className='bk-add-blackout' onClick={() => setForm({ roomId: null, date: todayShanghai(), wholeDay: true, start: '09:00', end: '12:00', reason: '' })}>
            添加停用
          </Button>
        }
      >
        <PagedListView list={blackouts} emptyText='今天起没有停用安排（节假日、维修、社区活动可在此停用）'>
          <CellGroup>
            {blackouts.items.map((b) => (
              <Cell key={b.id} className='bk-blackout' title={`${b.date} ${b.text}`} description={`${b.roomName} · ${b.reason}`} arrow={false}>
                <Button size='small' type='default' className='bk-unblock' onClick={() => void remove(b)}>
                  取消停用
                </Button>
              </Cell>
            ))}
          </CellGroup>
        </PagedListView>
      </Section>

      <Sheet
        open={!!form}
        title='添加停用'
        onClose={() => setForm(null)}
        footer={
          <Button type='primary' block className='bk-sheet-confirm' loading={busy} onClick={() => void submit()}>
            确认停用
          </Button>
        }
      >
        {form ? (
          <View>
            <Field label='场地' error={errors.roomId}>
              <Picker
                mode='selector'
                range={roomOptions.map((o) => o.name)}
                value={Math.max(0, roomOptions.findIndex((o) => o.id === form.roomId))}
                onChange={(e) => set({ roomId: roomOptions[Number(e.detail.value)]?.id ?? null }, 'roomId')}
              >
                <View className='ui-picker'>
                  <Text>{roomOptions.find((o) => o.id === form.roomId)?.name ?? '全部场地'}</Text>
                </View>
              </Picker>
            </Field>
            <Field label='日期' error={errors.date}>
              <Picker mode='date' value={form.date} start={todayShanghai()} onChange={(e) => set({ date: String(e.detail.value) }, 'date')}>
                <View className='ui-picker'>
                  <Text>{form.date}</Text>
                </View>
              </Picker>
            </Field>
            <Field label='时间' error={errors.start || errors.end}>
              <View className='bk-row'>
                <Text className='bk-row__text'>全天停用</Text>
                <Switch checked={form.wholeDay} label='全天停用' onChange={(wholeDay) => set({ wholeDay })} />
              </View>
              {!form.wholeDay ? (
                <View className='bk-hours'>
                  <Picker mode='selector' range={START_TIMES} value={Math.max(0, START_TIMES.indexOf(form.start))} onChange={(e) => set({ start: START_TIMES[Number(e.detail.value)] }, 'start')} className='bk-hours__pick'>
                    <View className='ui-picker'>
                      <Text>{form.start}</Text>
                    </View>
                  </Picker>
                  <Text>至</Text>
                  <Picker mode='selector' range={END_TIMES} value={Math.max(0, END_TIMES.indexOf(form.end))} onChange={(e) => set({ end: END_TIMES[Number(e.detail.value)] }, 'end')} className='bk-hours__pick'>
                    <View className='ui-picker'>
                      <Text>{form.end}</Text>
                    </View>
                  </Picker>
                </View>
              ) : null}
            </Field>
            <Field label='停用原因' required error={errors.reason}>
              <Input className='ui-input bk-block-reason' placeholderClass='ui-placeholder' placeholder='例如：国庆闭馆、空调维修、社区党课' value={form.reason} maxlength={50} onInput={(e) => set({ reason: e.detail.value }, 'reason')} />
            </Field>
            {errors._ ? <Text className='bk-error'>{errors._}</Text> : null}
            <Text className='bk-intro'>已有的预约不会自动取消：保存后会列出受影响的预约，请联系居民。</Text>
            {form.roomId === null ? <Tag type='warning'>将停用全部场地</Tag> : null}
          </View>
        ) : null}
      </Sheet>
    </PageRoot>
  )
}

export default function ManagePage() {
  return <ManageView />
}
