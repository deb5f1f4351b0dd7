/**
 * Staff are asked for subscribe messages at natural moments, in the BUILT mini-program against the
 * real local cloud (in memory, fake clock): their queue shows the 「开启新事项提醒」 banner, whose tap
 * asks WeChat for the staff templates (TARO_APP_TPL_STAFF); approving a booking asks for the
 * next 新预约待审核 (TARO_APP_TPL_BOOKING_STAFF). The ids are build settings: see LaunchOptions.env.
 */
import { launchApp, type MiniApp } from './harness'
import { testCloud, type TestCloud } from '../support/cloud'
import { DEMO } from '../../cloudfunctions/src/local/seed'

const P = DEMO.people
const STAFF_IDS = ['tpl-case-new', 'tpl-case-overdue', 'tpl-grid-visit']
const BOOKING_STAFF_IDS = ['tpl-booking-new']
const ASKED_KEY = 'staff-subscribe-asked'
let mp: MiniApp
let t: TestCloud

beforeAll(async () => {
  // Monday 2026-11-23 10:00 Shanghai
  t = await testCloud({ start: '2026-11-23T02:00:00Z' })
  mp = await launchApp({
    env: { TARO_APP_TPL_STAFF: STAFF_IDS.join(','), TARO_APP_TPL_BOOKING_STAFF: BOOKING_STAFF_IDS.join(',') },
    callFunction: (name, event) => t.cloud.call(name, event, P.staff),
  })
})
afterAll(() => t.close())

const asked = () => mp.fake.callsOf('requestSubscribeMessage') as Array<{ tmplIds: string[] }>

describe('built weapp: staff subscribe prompts', () => {
  it('留言办理: 「今天不再提示」 hides the banner for the day without asking', async () => {
    const page = await mp.openPage('packages/message/pages/inbox/index')
    await page.waitForText(['开启新事项提醒', '今天不再提示'])
    await page.tap('.subscribe-prompt__close')
    await page.until(() => expect(page.query('.subscribe-prompt')).toBeNull())
    expect(asked()).toEqual([])
    expect(mp.fake.storage.get(ASKED_KEY)).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    page.close()
    mp.fake.storage.delete(ASKED_KEY)
  })

  it('待办纠纷: the banner’s tap asks for the staff templates, then it is gone for the day', async () => {
    const page = await mp.openPage('packages/dispute/pages/queue/index')
    await page.waitForText(['开启新事项提醒', '有新的待办、超期事项时，通过微信服务通知提醒您'])
    await page.tap('.subscribe-prompt')
    await page.until(() => expect(asked()).toEqual([expect.objectContaining({ tmplIds: STAFF_IDS })]))
    await page.until(() => expect(page.query('.subscribe-prompt')).toBeNull())
    page.close()

    // Opened again the same day: no banner (the queue itself renders).
    const again = await mp.openPage('packages/dispute/pages/queue/index')
    await again.waitFor('.queue-filters')
    expect(again.query('.subscribe-prompt')).toBeNull()
    again.close()
    expect(asked()).toHaveLength(1)
  })

  it('待审核: approving a booking asks for the next 新预约待审核 and approves it', async () => {
    // 多功能活动室 needs staff approval.
    const b = await t.ok(P.resident, 'booking', 'book', { roomId: 'room-duogong', date: '2026-11-25', startSlot: '14:00', slotCount: 2, purpose: '书法兴趣小组', attendees: 30, contactName: '孙丽', contactPhone: '13800001008' })
    expect(b.status).toBe('pending')
    const before = asked().length
    const page = await mp.openPage('packages/booking/pages/pending/index')
    await page.waitFor('.bk-approve')
    await page.tap('.bk-approve')
    await page.until(() => expect(asked().slice(before)).toEqual([expect.objectContaining({ tmplIds: BOOKING_STAFF_IDS })]))
    await page.until(async () => expect((await t.ok(P.staff, 'booking', 'get', { id: b.id })).status).toBe('confirmed'))
    page.close()
  })
})
