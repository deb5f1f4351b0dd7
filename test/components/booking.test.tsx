/**
 * The booking pages in jsdom against the real local cloud (in memory, fake clock) behind the
 * real client gateway: the slot grid, the form, what is stored, the check-in code and the actions.
 */
import Taro from '@tarojs/taro'
import { fireEvent, render, waitFor, type RenderResult } from '@testing-library/react'
import { setTransport } from '@/services/gateway'
import { setSession } from '@/services/session'
import { RoomView } from '@/packages/booking/pages/room/index'
import { BookingDetailView } from '@/packages/booking/pages/detail/index'
import { PendingView } from '@/packages/booking/pages/pending/index'
import { MyBookingsView } from '@/packages/booking/pages/mine/index'
import { testCloud, type TestCloud } from '../support/cloud'
import { DEMO } from '../../cloudfunctions/src/local/seed'
import { watchScrolls } from '../support/dom'

const P = DEMO.people
let t: TestCloud
let who: string = P.resident

beforeEach(async () => {
  // Monday 2026-11-23 10:00 Shanghai
  t = await testCloud({ start: '2026-11-23T02:00:00Z' })
  who = P.resident
  setSession(null)
  setTransport((fn, event) => t.cloud.call(fn, event, who))
  jest.spyOn(Taro, 'showToast').mockImplementation(() => Promise.resolve({ errMsg: 'showToast:ok' }))
})
afterEach(async () => {
  jest.restoreAllMocks()
  await t.close()
})

const q = (r: RenderResult, s: string) => r.container.querySelector(s)
const text = (el: Element | null) => (el?.textContent ?? '').trim()

async function type(r: RenderResult, selector: string, value: string) {
  await waitFor(() => expect(q(r, selector)).not.toBeNull())
  fireEvent.input(q(r, selector)!, { target: { value } })
}

async function openRoom(id = 'room-huiyi'): Promise<RenderResult> {
  const r = render(<RoomView id={id} />)
  await waitFor(() => expect(q(r, '.bk-slots')).not.toBeNull())
  return r
}

describe('room page', () => {
  it('shows the day strip and the slot grid; two taps select consecutive slots; the booking is stored and the success page says when to come', async () => {
    const redirect = jest.spyOn(Taro, 'redirectTo').mockImplementation(() => Promise.resolve({ errMsg: 'redirectTo:ok' }))
    const r = await openRoom()
    // Today (10:00) is selected (it still has free slots); the slots inside the 2 h notice are
    // 已过 and not drawn: the grid opens on 12:00, the first bookable one, with a line saying so.
    expect(text(q(r, '.bk-day-0'))).toContain('今天')
    expect(q(r, '.bk-day-0.bk-day--on')).not.toBeNull()
    expect(q(r, '.bk-slot-1100')).toBeNull()
    expect(q(r, '.bk-slot--past')).toBeNull()
    expect(q(r, '.bk-slot')?.className).toContain('bk-slot-1200 bk-slot--free')
    expect(text(q(r, '.bk-past-note'))).toBe('12:00 以前的时段已过，不再显示')
    fireEvent.click(q(r, '.bk-day-1')!)
    await waitFor(() => expect(q(r, '.bk-day-1.bk-day--on')).not.toBeNull())
    fireEvent.click(q(r, '.bk-slot-0900')!)
    fireEvent.click(q(r, '.bk-slot-0930')!)
    expect(text(q(r, '.bk-selection'))).toBe('已选：明天 09:00–10:00（1 小时）')

    await type(r, '.bk-purpose textarea', '3栋楼栋议事会')
    await type(r, '.bk-attendees input', '8')
    await type(r, '.bk-contact-name input', '孙丽')
    await type(r, '.bk-contact-phone input', '13800001008')
    fireEvent.click(q(r, '.bk-submit')!)
    await waitFor(() => expect(text(q(r, '.ui-done__title'))).toBe('预约成功'))
    expect(text(q(r, '.ui-done__next'))).toBe('请于 11月24日 08:45 起到场签到')
    fireEvent.click(q(r, '.ui-done__detail')!)
    expect(redirect).toHaveBeenCalled()
    const url = (redirect.mock.calls[0][0] as { url: string }).url
    const id = decodeURIComponent(url.split('id=')[1])
    const stored = (await t.cloud.db.collection('bookings').doc(id).get()).data as Record<string, unknown>
    expect(stored).toMatchObject({ roomId: 'room-huiyi', date: '2026-11-24', start: 540, end: 600, attendees: 8, status: 'confirmed' })
  })

  it('checks the form before sending; a slot taken meanwhile says so, reloads the grid and clears the selection', async () => {
    const r = await openRoom()
    fireEvent.click(q(r, '.bk-day-1')!)
    fireEvent.click(q(r, '.bk-submit')!)
    await waitFor(() => expect(text(q(r, '.bk-slot-error'))).toBe('请在上方选择预约时段'))
    expect(await t.count('bookings')).toBe(0)

    fireEvent.click(q(r, '.bk-slot-0900')!)
    await type(r, '.bk-purpose textarea', '读书会')
    await type(r, '.bk-attendees input', '20')
    await type(r, '.bk-contact-name input', '孙丽')
    await type(r, '.bk-contact-phone input', '13800001008')
    fireEvent.click(q(r, '.bk-submit')!)
    await waitFor(() => expect(text(q(r, '.bk-attendees')?.closest('.ui-field') ?? null)).toContain('参加人数超过场地容量（最多 12 人）'))

    // Someone else takes 09:00 meanwhile.
    await t.ok(P.resident2, 'booking', 'book', { roomId: 'room-huiyi', date: '2026-11-24', startSlot: '09:00', slotCount: 1, purpose: '议事', attendees: 3, contactName: '吴敏', contactPhone: '13800001009' })
    await type(r, '.bk-attendees input', '10')
    fireEvent.click(q(r, '.bk-submit')!)
    await waitFor(() => expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '该时段已被预约，请选择其他时段' })))
    await waitFor(() => expect(q(r, '.bk-slot-0900.bk-slot--taken')).not.toBeNull())
    expect(q(r, '.bk-slot--on')).toBeNull()
    expect(await t.count('bookings', { ownerId: P.resident })).toBe(0)
  })

  it('a malformed phone says what is wrong; a refusal by the server (the weekly limit) is toasted and scrolled to', async () => {
    const book = (date: string) =>
      t.ok(P.resident, 'booking', 'book', { roomId: 'room-huiyi', date, startSlot: '09:00', slotCount: 1, purpose: '议事', attendees: 3, contactName: '孙丽', contactPhone: '13800001008' })
    await book('2026-11-24')
    await book('2026-11-25')
    const scrolls = watchScrolls()
    const r = await openRoom()
    fireEvent.click(q(r, '.bk-day-3')!)
    await waitFor(() => expect(q(r, '.bk-day-3.bk-day--on')).not.toBeNull())
    fireEvent.click(q(r, '.bk-slot-0900')!)
    await type(r, '.bk-purpose textarea', '读书会')
    await type(r, '.bk-attendees input', '6')
    await type(r, '.bk-contact-name input', '孙丽')
    await type(r, '.bk-contact-phone input', '23800001234')
    fireEvent.click(q(r, '.bk-submit')!)
    await waitFor(() => expect(text(q(r, '.bk-contact-phone')?.closest('.ui-field') ?? null)).toContain('手机号应以 1 开头，请核对'))
    await waitFor(() => expect(scrolls.targets.at(-1)?.classList.contains('ui-field--invalid')).toBe(true))
    expect(await t.count('bookings', { ownerId: P.resident })).toBe(2)

    // The third booking of the week: refused by the server, said under the fixed bottom bar — so
    // it is also toasted, and the page scrolls to it.
    await type(r, '.bk-contact-phone input', '13800001008')
    fireEvent.click(q(r, '.bk-submit')!)
    const limit = '每周最多预约 2 次，11月23日–11月29日 这一周已约满'
    await waitFor(() => expect(text(q(r, '.bk-submit-error'))).toBe(limit))
    expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: limit }))
    await waitFor(() => expect(scrolls.targets.at(-1)?.classList.contains('bk-submit-error')).toBe(true))
    scrolls.restore()
  })

  it('a visitor without an address: the room page says 尚未完善住址 with 去完善住址, not 加载失败', async () => {
    who = 'visitor-new'
    const r = render(<RoomView id='room-huiyi' />)
    await waitFor(() => expect(text(q(r, '.ui-pw--no-address'))).toContain('尚未完善住址'))
    expect(text(r.container)).not.toContain('加载失败')
    expect(q(r, '.ui-pw__onboard')).not.toBeNull()
  })

  it('an unverified resident sees why they cannot book the 多功能活动室', async () => {
    who = P.unverified
    const r = await openRoom('room-duogong')
    expect(text(q(r, '.bk-cannot-book'))).toMatch(/已认证住址/)
    expect(text(q(r, '.bk-submit'))).toBe('暂不能预约')
  })
})

describe('我的预约', () => {
  const book = (date: string) =>
    t.ok(P.resident, 'booking', 'book', { roomId: 'room-huiyi', date, startSlot: '09:00', slotCount: 1, purpose: `议事 ${date}`, attendees: 3, contactName: '孙丽', contactPhone: '13800001008' })

  it('lists the bookings to come soonest first; cancelled ones are folded under 已结束 / 已取消', async () => {
    const cancelled = await book('2026-11-25')
    await t.ok(P.resident, 'booking', 'cancel', { id: cancelled.id, version: cancelled.version })
    await book('2026-11-27')
    await book('2026-11-24')
    const r = render(<MyBookingsView />)
    await waitFor(() => expect(r.container.querySelectorAll('.bk-upcoming .bk-card').length).toBe(2))
    const purposes = () => Array.from(r.container.querySelectorAll('.bk-card__purpose')).map((el) => text(el))
    expect(purposes()).toEqual(['议事 2026-11-24 · 3 人', '议事 2026-11-27 · 3 人'])
    expect(q(r, '.bk-past__list')).toBeNull()

    fireEvent.click(q(r, '.bk-past__toggle')!)
    await waitFor(() => expect(r.container.querySelectorAll('.bk-past__list .bk-card').length).toBe(1))
    expect(text(q(r, '.bk-past__list .bk-card'))).toContain('已取消')
    expect(purposes()).toEqual(['议事 2026-11-24 · 3 人', '议事 2026-11-27 · 3 人', '议事 2026-11-25 · 3 人'])
  })

  it('a visitor without an address is guided to 去完善住址, not shown 加载失败', async () => {
    who = 'visitor-new'
    const r = render(<MyBookingsView />)
    await waitFor(() => expect(q(r, '.ui-pw--no-address .ui-pw__onboard')).not.toBeNull())
    expect(text(r.container)).not.toContain('加载失败')
    expect(q(r, '.bk-past__toggle')).toBeNull()
  })
})

describe('detail and staff pages', () => {
  it('a booking waiting for approval shows no check-in code yet, only when it will be decided', async () => {
    const b = await t.ok(P.resident, 'booking', 'book', { roomId: 'room-duogong', date: '2026-11-24', startSlot: '09:00', slotCount: 1, purpose: '排练', attendees: 20, contactName: '孙丽', contactPhone: '13800001008' })
    expect(b).toMatchObject({ status: 'pending', checkCode: null })
    const r = render(<BookingDetailView id={b.id} />)
    await waitFor(() => expect(text(q(r, '.bk-head__status'))).toBe('待审核'))
    expect(q(r, '.bk-check-code')).toBeNull()
    expect(text(q(r, '.bk-pending-note'))).toBe('社区工作人员将在 11月24日 09:00 前审核，通过后这里显示核销码。')
    await t.ok(P.staff, 'booking', 'approve', { id: b.id, version: b.version })
    expect((await t.ok(P.resident, 'booking', 'get', { id: b.id })).checkCode).toMatch(/^\d{6}$/)
  })

  it('the booker sees the check-in code in big digits with a barcode, and can cancel with a reason', async () => {
    const b = await t.ok(P.resident, 'booking', 'book', { roomId: 'room-huiyi', date: '2026-11-24', startSlot: '09:00', slotCount: 2, purpose: '议事会', attendees: 5, contactName: '孙丽', contactPhone: '13800001008' })
    const r = render(<BookingDetailView id={b.id} />)
    await waitFor(() => expect(q(r, '.bk-check-code')).not.toBeNull())
    expect(text(q(r, '.bk-check-code'))).toBe(b.checkCode)
    expect(r.container.querySelectorAll('.bk-barcode__bar').length).toBe(19) // Code 128 C: 6 symbols × 3 bars + stop's 4th bar
    fireEvent.click(q(r, '.bk-action--cancel')!)
    await type(r, '.bk-reason textarea', '活动改期')
    fireEvent.click(q(r, '.bk-sheet-confirm')!)
    await waitFor(() => expect(text(q(r, '.bk-head__status'))).toBe('已取消'))
    // The slots are free at once; the job releases the claim records.
    expect((await t.cloud.runTimer('booking', 'tick')).ok).toBe(true)
    expect(await t.count('slot_claims')).toBe(0)
  })

  it('staff approve from the pending list, and reject only with a reason', async () => {
    const book = (startSlot: string) =>
      t.ok(P.resident, 'booking', 'book', { roomId: 'room-duogong', date: '2026-11-24', startSlot, slotCount: 1, purpose: '排练', attendees: 20, contactName: '孙丽', contactPhone: '13800001008' })
    const a = await book('09:00')
    const b = await book('10:00')
    who = P.staff
    const r = render(<PendingView />)
    await waitFor(() => expect(r.container.querySelectorAll('.bk-pending-item').length).toBe(2))
    expect(text(q(r, '.bk-pending-item'))).toContain('13800001008')
    fireEvent.click(q(r, '.bk-approve')!)
    await waitFor(() => expect(r.container.querySelectorAll('.bk-pending-item').length).toBe(1))
    expect((await t.ok(P.resident, 'booking', 'get', { id: a.id })).status).toBe('confirmed')

    fireEvent.click(q(r, '.bk-reject')!)
    fireEvent.click(q(r, '.bk-sheet-confirm')!)
    await waitFor(() => expect(text(q(r, '.sheet-wrap .ui-field__error'))).toBe('请填写驳回原因'))
    await type(r, '.bk-reason textarea', '当天已安排社区活动')
    fireEvent.click(q(r, '.bk-sheet-confirm')!)
    await waitFor(() => expect(r.container.querySelectorAll('.bk-pending-item').length).toBe(0))
    expect(await t.ok(P.resident, 'booking', 'get', { id: b.id })).toMatchObject({ status: 'rejected', rejectReason: '当天已安排社区活动' })
  })
})
