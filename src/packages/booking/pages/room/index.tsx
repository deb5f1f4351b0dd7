import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro'
import { View, Text, Image, Input, Textarea, ScrollView } from '@tarojs/components'
import { useCallback, useEffect, useRef, useState } from 'react'
import { Button, Card, Done, Field, Keep, PageRoot, PageWrapper, Section, Tag, cx, toLoadError, useRevealErrors, type LoadError } from '@/components'
import { loadRoom, requestBookingSubscribe, submitBooking } from '@/features/booking/api'
import { BOOKING_URLS } from '@/features/booking/config'
import { SLOT_STATE_TEXT, bookedDone, firstShownSlot, rulesText, selectionText, tapSlot, type Selection } from '@/features/booking/format'
import { useSession } from '@/features/profile/useSession'
import { ApiError, newRequestId } from '@/services/gateway'
import { MAX_PURPOSE, type BookingDetailT, type RoomDetailT } from '@/shared/api/booking'
import { phoneProblem } from '@/shared/ids'
import { ProxyBlock, proxyTargetOf, useProxy, type ProxyTarget } from '@/features/privacy/proxy'
import '../../components/booking.css'

interface BookForm {
  purpose: string
  attendees: string
  contactName: string
  contactPhone: string
  organisation: string
}

/** The last contact used, remembered per person (one browser may serve several people in H5). */
const contactKey = (openid: string) => `booking.contact.${openid}`
const SLOT_PATHS = ['startSlot', 'slotCount', 'start', 'end', 'date']

function savedContact(openid: string): Partial<BookForm> {
  try {
    const v = Taro.getStorageSync(contactKey(openid)) as { name?: string; phone?: string } | ''
    return v ? { contactName: v.name ?? '', contactPhone: v.phone ?? '' } : {}
  } catch {
    return {}
  }
}

/** One room: photos and rules, the 14-day strip, the slot grid and the booking form. */
/** `proxyFor`: 代办 for a resident (a grid worker or staff, from the household's page). */
export function RoomView({ id, proxyFor = null }: { id: string; proxyFor?: ProxyTarget | null }) {
  const { session } = useSession()
  const proxy = useProxy(proxyFor)
  const [room, setRoom] = useState<RoomDetailT | null>(null)
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<LoadError | null>(null)
  const [dayIndex, setDayIndex] = useState(0)
  const [selection, setSelection] = useState<Selection | null>(null)
  const [form, setForm] = useState<BookForm>(() => ({ purpose: '', attendees: '', contactName: proxyFor?.name ?? '', contactPhone: '', organisation: '' }))
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [submitting, setSubmitting] = useState(false)
  const requestId = useRef<string | null>(null)
  const reveal = useRevealErrors()
  const [booked, setBooked] = useState<BookingDetailT | null>(null)

  // Prefill the contact once the person is known: their last contact here, else their name.
  const openid = session?.openid
  useEffect(() => {
    if (!openid) return
    const saved = savedContact(openid)
    setForm((f) =>
      f.contactName || f.contactPhone
        ? f
        : { ...f, contactName: saved.contactName ?? session?.profile?.name ?? '', contactPhone: saved.contactPhone ?? '' },
    )
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [openid])

  const load = useCallback(
    async (keepDay = false) => {
      if (!id) {
        setError({ message: '缺少场地编号' })
        setLoading(false)
        return
      }
      setLoading(true)
      try {
        const r = await loadRoom(id)
        setRoom(r)
        setError(null)
        if (!keepDay) {
          const first = r.days.findIndex((d) => d.freeCount > 0)
          setDayIndex(first < 0 ? 0 : first)
        }
      } catch (e) {
        setError(toLoadError(e))
      } finally {
        setLoading(false)
      }
    },
    [id],
  )

  useEffect(() => {
    void load()
  }, [load])
  usePullDownRefresh(() => {
    void load(true).finally(() => Taro.stopPullDownRefresh())
  })

  // The resident's name, once known, fills an empty contact name.
  const profileName = session?.profile?.name
  useEffect(() => {
    if (profileName) setForm((f) => (f.contactName ? f : { ...f, contactName: profileName }))
  }, [profileName])

  const update = (patch: Partial<BookForm>, field: string) => {
    requestId.current = null
    setForm((f) => ({ ...f, ...patch }))
    setErrors((e) => ({ ...e, [field]: '', _: '' }))
  }

  if (booked) {
    return (
      <PageRoot className='bk-room-page bk-booked'>
        <Done {...bookedDone(booked)} detailUrl={BOOKING_URLS.detail(booked.id)} />
      </PageRoot>
    )
  }

  if (!room) {
    return (
      <PageRoot className='bk-room-page'>
        <PageWrapper loading={loading} error={loading ? null : error} onRetry={() => void load()} />
      </PageRoot>
    )
  }

  const day = room.days[dayIndex]
  const maxSlots = Math.max(1, Math.floor(room.rules.maxMinutes / room.slotMinutes))
  const chosen = selectionText(day, selection, room.slotMinutes)
  // Today's morning is over: open on the first slot that is not 已过 instead of a screen of grey.
  const shownFrom = firstShownSlot(day.slots)

  const pickSlot = (i: number) => {
    const res = tapSlot(day, selection, i, maxSlots)
    requestId.current = null
    setSelection(res.selection)
    setErrors((e) => ({ ...e, slot: '' }))
    if (res.notice) void Taro.showToast({ title: res.notice, icon: 'none' })
  }

  const submit = async () => {
    if (submitting) return
    const local: Record<string, string> = {}
    if (!selection) local.slot = '请在上方选择预约时段'
    if (!form.purpose.trim()) local.purpose = '请填写用途'
    const attendees = Number(form.attendees)
    if (!form.attendees.trim() || !Number.isInteger(attendees) || attendees < 1) local.attendees = '请填写参加人数'
    else if (attendees > room.capacity) local.attendees = `参加人数超过场地容量（最多 ${room.capacity} 人）`
    if (!form.contactName.trim()) local.contactName = '请填写联系人'
    const phone = phoneProblem(form.contactPhone)
    if (phone) local.contactPhone = phone
    if (room.bookableBy === 'organisations' && !form.organisation.trim()) local.organisation = '请填写组织（单位）名称'
    if (!proxy.check()) local.proxy = '请确认已征得居民同意'
    if (Object.values(local).some(Boolean)) {
      setErrors(local)
      reveal('请检查标红的内容')
      return
    }
    const sel = selection!
    const selDay = room.days.find((d) => d.date === sel.date)!
    setSubmitting(true)
    const subscribed = requestBookingSubscribe()
    requestId.current = requestId.current ?? newRequestId()
    try {
      const b = await submitBooking(
        {
          roomId: room.id,
          date: sel.date,
          startSlot: selDay.slots[sel.from].id,
          slotCount: sel.to - sel.from + 1,
          purpose: form.purpose,
          attendees,
          contactName: form.contactName,
          contactPhone: form.contactPhone,
          ...(form.organisation.trim() ? { organisation: form.organisation } : {}),
          ...(proxy.input() ? { onBehalfOf: proxy.input() } : {}),
        },
        requestId.current,
      )
      try {
        if (openid && !proxyFor) Taro.setStorageSync(contactKey(openid), { name: form.contactName, phone: form.contactPhone })
      } catch {
        // storage unavailable: nothing to remember
      }
      await subscribed
      requestId.current = null
      setBooked(b)
    } catch (e) {
      if (e instanceof ApiError && e.code === 'CONFLICT') {
        void Taro.showToast({ title: e.message, icon: 'none', duration: 2500 })
        setSelection(null)
        requestId.current = null
        await load(true)
      } else if (e instanceof ApiError && e.issues.length) {
        const out: Record<string, string> = {}
        for (const i of e.issues) {
          const k = SLOT_PATHS.includes(i.path.split('.')[0]) ? 'slot' : i.path.split('.')[0] || '_'
          if (!out[k]) out[k] = i.message
        }
        setErrors(out)
        reveal(e.message)
      } else {
        // e.g. 每周最多预约 2 次: said at the button, which sits under the fixed bar; the toast and
        // the scroll bring it where the eye is.
        const message = e instanceof Error && e.message ? e.message : '提交失败，请稍后重试'
        setErrors({ _: message })
        reveal(message)
      }
    } finally {
      setSubmitting(false)
    }
  }

  const photos = room.photos.map((p) => p.url).filter((u): u is string => !!u)

  return (
    <PageRoot className='bk-room-page ui-with-bottom-bar'>
      {photos.length ? (
        <ScrollView scrollX className='bk-photos'>
          {photos.map((url, i) => (
            <Image key={url} className='bk-photos__img' src={url} mode='aspectFill' aria-label={`${room.name}照片 ${i + 1}，点按查看大图`} onClick={() => void Taro.previewImage({ urls: photos, current: url }).catch(() => undefined)} />
          ))}
        </ScrollView>
      ) : null}

      <Card title={room.name} extra={room.needsApproval ? <Tag type='warning'>需审核</Tag> : <Tag type='success'>免审核</Tag>} className='bk-room-info'>
        <Text className='bk-room__line'>
          可容纳 {room.capacity} 人{room.location ? ` · ${room.location}` : ''}
        </Text>
        <Keep className='bk-room__line' text={`开放时间：${room.openText}`} />
        <Text className='bk-room__line'>预约对象：{room.bookableByLabel}</Text>
        {room.facilities.length ? <Text className='bk-room__line'>设施：{room.facilities.join('、')}</Text> : null}
        {room.description ? <Text className='bk-room__line'>{room.description}</Text> : null}
        <View className='bk-rules'>
          {rulesText(room.rules).map((t) => (
            <Text key={t} className='bk-rules__item'>
              · {t}
            </Text>
          ))}
        </View>
      </Card>

      {room.cannotBook ? <Text className='bk-banner bk-cannot-book'>{room.cannotBook}</Text> : null}

      <Section title='选择日期'>
        <View className='bk-days-wrap'>
          <ScrollView scrollX className='bk-days'>
            {room.days.map((d, i) => (
              <View
                key={d.date}
                id={`bk-day-${i}`}
                className={cx('bk-day', `bk-day-${i}`, i === dayIndex && 'bk-day--on', d.closed && 'bk-day--closed')}
                onClick={() => {
                  setDayIndex(i)
                  setErrors((e) => ({ ...e, slot: '' }))
                }}
              >
                <Text className='bk-day__label'>{d.label}</Text>
                <Text className='bk-day__sub'>{d.weekday}</Text>
                <Text className='bk-day__sub'>{d.closed ? (d.note === '不开放' ? '不开放' : '停用') : d.freeCount > 0 ? `余 ${d.freeCount}` : d.slots.every((x) => x.state === 'past' || x.state === 'closed') ? '已过' : '约满'}</Text>
              </View>
            ))}
          </ScrollView>
        </View>
      </Section>

      <Section title={`${day.label} ${day.weekday} 的时段`}>
        {day.note && day.note !== '不开放' ? <Text className='bk-banner'>暂停预约：{day.note}</Text> : null}
        <View className='bk-legend'>
          <View className='bk-legend__item'>
            <View className='bk-legend__dot' />
            <Text>可约</Text>
          </View>
          <View className='bk-legend__item'>
            <View className='bk-legend__dot bk-legend__dot--on' />
            <Text>已选</Text>
          </View>
          <View className='bk-legend__item'>
            <View className='bk-legend__dot bk-legend__dot--taken' />
            <Text>已约</Text>
          </View>
          <View className='bk-legend__item'>
            <View className='bk-legend__dot bk-legend__dot--closed' />
            <Text>不可约</Text>
          </View>
        </View>
        {shownFrom > 0 ? (
          <Text className='bk-past-note'>{shownFrom < day.slots.length ? `${day.slots[shownFrom].id} 以前的时段已过，不再显示` : `${day.label}的时段都已过，请选择其他日期`}</Text>
        ) : null}
        {day.slots.length === 0 ? (
          <PageWrapper empty emptyText={`${day.weekday}不开放`} />
        ) : (
          <View className='bk-slots'>
            {day.slots.slice(shownFrom).map((s, j) => {
              const i = shownFrom + j
              const on = !!selection && selection.date === day.date && i >= selection.from && i <= selection.to
              return (
                <View
                  key={s.id}
                  className={cx('bk-slot', `bk-slot-${s.id.replace(':', '')}`, `bk-slot--${s.state}`, on && 'bk-slot--on')}
                  aria-role='button'
                  aria-label={`${s.id} ${on ? '已选' : SLOT_STATE_TEXT[s.state]}（至 ${s.end}）`}
                  onClick={() => pickSlot(i)}
                >
                  <Text className='bk-slot__time'>{s.id}</Text>
                  <Text className='bk-slot__state'>{on ? '已选' : SLOT_STATE_TEXT[s.state]}</Text>
                </View>
              )
            })}
          </View>
        )}
        {chosen ? <Keep className='bk-selection' text={`已选：${chosen}`} /> : <Text className='bk-intro'>点选开始时段，再点选结束时段，可连续预约多个时段。</Text>}
        {errors.slot ? <Text className='bk-error bk-slot-error ui-form-error'>{errors.slot}</Text> : null}
      </Section>

      <ProxyBlock proxy={proxy} what='预约' />
      <Section title='预约信息' className='bk-form'>
        <Field label='用途' required error={errors.purpose}>
          <Textarea
            className='ui-textarea bk-purpose'
            placeholderClass='ui-placeholder'
            placeholder='例如：楼栋议事会、老年合唱队排练'
            value={form.purpose}
            maxlength={-1}
            onInput={(e) => update({ purpose: e.detail.value }, 'purpose')}
          />
          <Text className='bk-counter'>
            {form.purpose.length}/{MAX_PURPOSE}
          </Text>
        </Field>
        <Field label='参加人数' required error={errors.attendees} hint={`最多 ${room.capacity} 人`}>
          <Input className='ui-input bk-attendees' type='number' placeholderClass='ui-placeholder' placeholder='人数' value={form.attendees} onInput={(e) => update({ attendees: e.detail.value }, 'attendees')} />
        </Field>
        {room.bookableBy === 'organisations' ? (
          <Field label='组织（单位）名称' required error={errors.organisation}>
            <Input className='ui-input bk-organisation' placeholderClass='ui-placeholder' placeholder='例如：市自来水公司党支部' value={form.organisation} onInput={(e) => update({ organisation: e.detail.value }, 'organisation')} />
          </Field>
        ) : null}
        <Field label='联系人' required error={errors.contactName}>
          <Input className='ui-input bk-contact-name' placeholderClass='ui-placeholder' placeholder='姓名' value={form.contactName} onInput={(e) => update({ contactName: e.detail.value }, 'contactName')} />
        </Field>
        <Field label='联系电话' required error={errors.contactPhone}>
          <Input className='ui-input bk-contact-phone' type='number' maxlength={11} placeholderClass='ui-placeholder' placeholder='11 位手机号' value={form.contactPhone} onInput={(e) => update({ contactPhone: e.detail.value }, 'contactPhone')} />
        </Field>
        {errors._ ? <Text className='bk-error bk-submit-error ui-form-error'>{errors._}</Text> : null}
      </Section>

      <View className='ui-bottom-bar'>
        <Button type='primary' block className='bk-submit' loading={submitting} disabled={!!room.cannotBook} onClick={() => void submit()}>
          {room.cannotBook ? '暂不能预约' : room.needsApproval ? '提交预约（需审核）' : '确认预约'}
        </Button>
      </View>
    </PageRoot>
  )
}

export default function RoomPage() {
  const router = useRouter()
  return <RoomView id={String(router.params.id ?? '')} proxyFor={proxyTargetOf(router.params)} />
}
