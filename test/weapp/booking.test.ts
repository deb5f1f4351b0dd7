/**
 * The booking pages of the BUILT mini-program (dist/weapp) against the real local cloud (in
 * memory, fake clock): `wx.cloud.callFunction` is answered by the same function code.
 */
import { launchApp, type MiniApp } from './harness'
import { testCloud, type TestCloud } from '../support/cloud'
import { DEMO } from '../../cloudfunctions/src/local/seed'

const P = DEMO.people
let mp: MiniApp
let t: TestCloud

beforeAll(async () => {
  // Monday 2026-11-23 10:00 Shanghai
  t = await testCloud({ start: '2026-11-23T02:00:00Z' })
  mp = await launchApp({ callFunction: (name, event) => t.cloud.call(name, event, P.resident) })
})
afterAll(() => t.close())

describe('built weapp: booking pages', () => {
  it('rooms list shows the community’s rooms with capacity and opening hours', async () => {
    const page = await mp.openPage('packages/booking/pages/rooms/index')
    const text = await page.waitForText(['多功能活动室', '议事会议室', '书画室', '可容纳 12 人', '周一至周六 08:30–17:30；周日 不开放', '我的预约'])
    expect(text).not.toContain('金桥活动室')
    page.close()
  })

  it('room page: tap a day and two slots, the selection is shown', async () => {
    const page = await mp.openPage('packages/booking/pages/room/index', { id: 'room-huiyi' })
    await page.until(() => expect(page.queryAll('.bk-day')).toHaveLength(14))
    // Each tap, then what it changes (a tap on a stale grid would pick a slot of the old day).
    await page.tap('.bk-day-1')
    await page.waitFor('.bk-day-1.bk-day--on')
    await page.tap('.bk-slot-0900')
    await page.waitFor('.bk-slot-0900.bk-slot--on')
    await page.tap('.bk-slot-0930')
    await page.waitFor('.bk-slot-0930.bk-slot--on')
    await page.waitForText('已选：明天 09:00–10:00（1 小时）')
    page.close()
  })

  it('detail page shows the check-in code and its barcode to the booker', async () => {
    const b = await t.ok(P.resident, 'booking', 'book', { roomId: 'room-huiyi', date: '2026-11-25', startSlot: '14:00', slotCount: 2, purpose: '议事会', attendees: 6, contactName: '孙丽', contactPhone: '13800001008' })
    const page = await mp.openPage('packages/booking/pages/detail/index', { id: b.id })
    await page.waitForText(b.checkCode)
    await page.until(() => expect(page.queryAll('.bk-barcode__bar').length).toBe(19))
    expect(page.query('.bk-action--cancel')).not.toBeNull()
    page.close()
  })
})
