/**
 * 场地预约 end to end: the H5 build in Debian chromium against the REAL local cloud (demo data).
 * 孙丽 books two consecutive half-hour slots of 多功能活动室 (needs approval) a few days ahead →
 * it is 待审核 in 我的预约 → staff 李秀梅 approves it from 待审核 → 孙丽 sees 已确认 and her
 * check-in code → 吴敏 opens the same room and day and sees exactly those two slots 已约.
 *
 * The app and the local cloud use the real clock. The booked day is 4 days ahead (clear of the
 * 2-hour notice, still inside the 14-day window and still a dated label — not 今天/明天/后天 —
 * should the run cross midnight), found on the day strip by its label; 09:00–10:00 is inside the
 * room's open hours (08:00–21:00 every day).
 */
import type { Page } from 'playwright-core'
import { PHONE, eventually, poll, setupBrowser } from './harness'
import { startAppServer, type AppServer } from './app-server'
import { addDays, businessDate } from '../../src/shared/time'

const e2e = setupBrowser()
let app: AppServer

const RESIDENT = 'demo-res-sun' // 孙丽
const STAFF = 'demo-staff-li' // 李秀梅
const SECOND = 'demo-res-wu' // 吴敏
const ROOM_ID = 'room-duogong'
const ROOM = '多功能活动室'
const PURPOSE = '翠园小区 1 栋楼栋议事会，讨论加装电梯方案'
const PHONE_NO = '13800001008'
const SLOTS = ['09:00', '09:30'] as const

const DATE = addDays(businessDate(new Date()), 4)
const [, MONTH, DAY] = DATE.split('-').map(Number)
const DAY_LABEL = `${MONTH}月${DAY}日`
const TIME_TEXT = new RegExp(`${MONTH}月${DAY}日.*09:00.*10:00`)

const slotClass = (hhmm: string) => `.bk-slot-${hhmm.replace(':', '')}`

beforeAll(async () => {
  app = await startAppServer()
  e2e.onClose(() => app.close())
})

function watchErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('pageerror', (err) => errors.push(err.message))
  return errors
}

/** Signs in as a demo person (cookie via /dev/login) and opens a hash route of the app. */
async function openAs(page: Page, openid: string, route: string): Promise<void> {
  await page.goto(app.signInUrl(openid))
  await page.goto(`${app.url}/#${route}`)
}

/** The visible (top) page of Taro's H5 page stack: earlier pages stay in the DOM, hidden. */
const top = (page: Page) => page.locator('.taro_page_show.taro_page_stationed').last()


/** On the room page: taps the booked day on the strip and waits for its slot grid. */
async function openDay(page: Page): Promise<void> {
  const day = top(page).locator('.bk-day', { has: page.locator('.bk-day__label', { hasText: new RegExp(`^${DAY_LABEL}$`) }) })
  await day.click()
  await top(page).locator('.bk-day.bk-day--on .bk-day__label', { hasText: DAY_LABEL }).waitFor()
  await top(page).getByText(new RegExp(`^${DAY_LABEL} 周. 的时段$`)).waitFor()
}

/** The state class (free / taken / closed / past) and the text of each slot of the grid. */
async function slotStates(page: Page): Promise<Array<{ id: string; state: string; on: boolean; text: string }>> {
  return top(page)
    .locator('.bk-slot')
    .evaluateAll((els) =>
      els.map((el) => ({
        id: el.querySelector('.bk-slot__time')?.textContent ?? '',
        state: (/\bbk-slot--(free|taken|closed|past)\b/.exec(el.className) ?? [])[1] ?? '',
        on: el.classList.contains('bk-slot--on'),
        text: el.querySelector('.bk-slot__state')?.textContent ?? '',
      })),
    )
}

describe('场地预约 (H5 + local cloud)', () => {
  let bookingId = ''
  let checkCode = ''

  it('孙丽 books two consecutive slots of 多功能活动室; 我的预约 shows 待审核', async () => {
    const page = await e2e.newPage()
    const errors = watchErrors(page)

    // 首页 → 场地预约 → 多功能活动室.
    await page.goto(app.signInUrl(RESIDENT))
    await page.locator('.entry-booking').click()
    const card = top(page).locator('.bk-room-card', { hasText: ROOM })
    await card.waitFor()
    await poll(() => card.textContent()).toContain('需审核')
    await card.click()
    await top(page).locator('.bk-room-info', { hasText: ROOM }).waitFor()
    await poll(() => top(page).locator('.bk-cannot-book').count()).toBe(0)

    // The day 4 days ahead; both slots are free before the taps.
    await openDay(page)
    await eventually(async () => {
      const before = await slotStates(page)
      expect(before.length).toBe(26) // 08:00–21:00 in 30-minute slots
      for (const s of SLOTS) expect(before.find((x) => x.id === s)).toMatchObject({ state: 'free', on: false, text: '可约' })
    })

    await top(page).locator(slotClass(SLOTS[0])).click()
    await top(page).locator(`${slotClass(SLOTS[0])}.bk-slot--on`).waitFor()
    await top(page).locator(slotClass(SLOTS[1])).click()
    await top(page).locator(`${slotClass(SLOTS[1])}.bk-slot--on`).waitFor()
    await eventually(async () => {
      const chosen = await slotStates(page)
      expect(chosen.filter((s) => s.on).map((s) => s.id)).toEqual([...SLOTS])
      expect(chosen.filter((s) => s.on).every((s) => s.text === '已选')).toBe(true)
    })
    await poll(() => top(page).locator('.bk-selection').textContent()).toBe(`已选：${DAY_LABEL} 09:00–10:00（1 小时）`)

    await top(page).locator('.bk-purpose textarea').fill(PURPOSE)
    await top(page).locator('.bk-attendees input').fill('25')
    await top(page).locator('.bk-contact-name input').fill('孙丽')
    await top(page).locator('.bk-contact-phone input').fill(PHONE_NO)
    await top(page).locator('.bk-slots').scrollIntoViewIfNeeded()
    await e2e.pageShot(page, 'booking-room-selected')

    await poll(() => top(page).locator('.bk-submit').textContent()).toContain('提交预约（需审核）')
    await top(page).locator('.bk-submit').click()

    // The success page: what happens next and by when, then 查看进度 opens the booking in its place.
    const done = top(page).locator('.ui-done', { hasText: '预约已提交，等待审核' })
    await done.waitFor()
    await poll(() => done.locator('.ui-done__next').textContent()).toBe(`社区工作人员将在 ${MONTH}月${DAY}日 09:00 前审核`)
    await e2e.pageShot(page, 'booking-done-pending')
    await done.locator('.ui-done__detail').click()

    // 待审核: no check-in code yet (it may still be refused), only when it will be decided.
    await top(page).locator('.bk-detail .bk-head__status', { hasText: '待审核' }).waitFor()
    bookingId = new URL(page.url().replace('#', '')).searchParams.get('id') ?? ''
    expect(bookingId).not.toBe('')
    await poll(() => top(page).locator('.bk-head__time').textContent()).toMatch(TIME_TEXT)
    await poll(() => top(page).locator('.bk-pending-note').textContent()).toContain('通过后这里显示核销码')
    await poll(() => top(page).locator('.bk-check-code').count()).toBe(0)

    // Back to 场地预约 → 我的预约: the booking is listed as 待审核.
    await page.goBack()
    await top(page).locator('.bk-link--mine').click()
    const mine = top(page).locator('.bk-card', { hasText: PURPOSE })
    await mine.waitFor()
    await poll(() => mine.locator('.ui-tag').textContent()).toBe('待审核')
    await poll(() => mine.locator('.bk-card__time').textContent()).toMatch(TIME_TEXT)
    await poll(() => mine.textContent()).toContain(ROOM)
    await poll(() => mine.textContent()).toContain('25 人')
    await poll(() => top(page).locator('.bk-card').count()).toBe(1)
    await e2e.pageShot(page, 'booking-mine-pending')
    expect(errors).toEqual([])
    await page.close()
  })

  it('the database holds exactly two slot claims for the booking', async () => {
    const claims = await app.cloud.db.collection('slot_claims').where({ bookingId }).get()
    const ids = claims.data.map((c) => String(c._id)).sort()
    expect(ids).toEqual([`${ROOM_ID}:${DATE}:0900`, `${ROOM_ID}:${DATE}:0930`])
    // … and nobody else holds a unit of that room that day.
    const ofDay = await app.cloud.db.collection('slot_claims').where({ roomId: ROOM_ID, date: DATE }).get()
    expect(ofDay.data.map((c) => String(c._id)).sort()).toEqual(ids)
    const booking = await app.cloud.db.collection('bookings').doc(bookingId).get()
    const doc = booking.data as unknown as { status: string; claimIds: string[]; ownerId: string; date: string; start: number; end: number }
    expect(doc).toMatchObject({ status: 'pending', ownerId: RESIDENT, date: DATE, start: 9 * 60, end: 10 * 60 })
    expect([...doc.claimIds].sort()).toEqual(ids)
  })

  it('李秀梅 approves it from 待审核', async () => {
    const page = await e2e.newPage()
    const errors = watchErrors(page)
    await openAs(page, STAFF, '/packages/booking/pages/rooms/index')
    await top(page).locator('.bk-staff-links .bk-link', { hasText: '待审核' }).click()

    const item = top(page).locator('.bk-pending-item', { hasText: PURPOSE })
    await item.waitFor()
    await poll(() => item.locator('.ui-tag').textContent()).toBe('待审核')
    await poll(() => item.locator('.bk-card__time').textContent()).toMatch(TIME_TEXT)
    // Staff see the contact in full.
    await poll(() => item.locator('.bk-card__contact').textContent()).toContain(`孙丽 ${PHONE_NO}`)
    // The card and its 通过 / 驳回 buttons line up (the list's padding, not the card's margin too).
    const cardBox = (await item.locator('.bk-card').boundingBox())!
    const approveBox = (await item.locator('.bk-approve').boundingBox())!
    const rejectBox = (await item.locator('.bk-reject').boundingBox())!
    expect(Math.abs(cardBox.x - approveBox.x)).toBeLessThanOrEqual(1)
    expect(Math.abs(cardBox.x + cardBox.width - (rejectBox.x + rejectBox.width))).toBeLessThanOrEqual(1)
    await e2e.pageShot(page, 'booking-pending')

    await item.locator('.bk-approve').click()
    await top(page).getByText('没有待审核的预约').waitFor()
    const booking = await app.cloud.db.collection('bookings').doc(bookingId).get()
    expect((booking.data as unknown as { status: string }).status).toBe('confirmed')

    // 预约日历 by week: the title stays on one line between its buttons, and the date picker's
    // 确定 is in the app's red, not WeUI green.
    await page.goBack()
    await top(page).locator('.bk-staff-links .bk-link', { hasText: '预约日历' }).click()
    await top(page).locator('.bk-span-week').click()
    const title = top(page).locator('.bk-cal-nav__date')
    await poll(() => title.textContent()).toMatch(/^\d+月\d+日–(\d+月)?\d+日$/)
    // Its line boxes: one row of text (the box itself is a 44 px tap target).
    const lines = await title.evaluate((el) => {
      const range = document.createRange()
      range.selectNodeContents(el)
      return new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top))).size
    })
    expect(lines).toBe(1)
    await e2e.pageShot(page, 'booking-calendar-week')
    await title.click()
    const confirm = page.locator('.weui-picker__action').last()
    await confirm.waitFor()
    expect(await confirm.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(200, 22, 29)')
    expect(errors).toEqual([])
    await page.close()
  })

  it('孙丽 sees 已确认 and her check-in code', async () => {
    const page = await e2e.newPage()
    const errors = watchErrors(page)
    await openAs(page, RESIDENT, '/packages/booking/pages/mine/index')
    const mine = top(page).locator('.bk-card', { hasText: PURPOSE })
    await mine.waitFor()
    await poll(() => mine.locator('.ui-tag').textContent()).toBe('已确认')
    await mine.click()

    await top(page).locator('.bk-detail .bk-head__status', { hasText: '已确认' }).waitFor()
    await poll(() => top(page).locator('.bk-head').getAttribute('class')).toMatch(/\bbk-head--success\b/)
    await poll(() => top(page).locator('.bk-head__time').textContent()).toMatch(TIME_TEXT)
    checkCode = await eventually(async () => {
      const text = ((await top(page).locator('.bk-check-code').textContent()) ?? '').trim()
      expect(text).toMatch(/^\d{6}$/)
      return text
    })
    const doc = (await app.cloud.db.collection('bookings').doc(bookingId).get()).data as unknown as { checkCode: string }
    expect(checkCode).toBe(doc.checkCode)
    await poll(() => top(page).locator('.bk-pending-note').count()).toBe(0)
    await poll(() => top(page).locator('.bk-barcode').count()).toBe(1)
    // Times and dates never break inside, even in a narrow column (no word-break: break-all).
    const split = await top(page).locator('.bk-detail').evaluate((root) => {
      ;(root as HTMLElement).style.width = '150px'
      const bad = Array.from(root.querySelectorAll('.ui-keep')).filter((el) => el.getClientRects().length > 1).map((el) => el.textContent)
      ;(root as HTMLElement).style.width = ''
      return { bad, kept: root.querySelectorAll('.ui-keep').length }
    })
    expect(split.kept).toBeGreaterThan(2)
    expect(split.bad).toEqual([])
    // The timeline: 提交预约, then 审核通过 by 李秀梅 (latest first or last: both are there).
    await eventually(async () => {
      const timeline = await top(page).locator('.bk-tl').allTextContents()
      expect(timeline.some((t) => t.includes('提交预约') && t.includes('孙丽'))).toBe(true)
      expect(timeline.some((t) => t.includes('审核通过') && t.includes('李秀梅'))).toBe(true)
    })
    // Still more than 1 h before start: she may cancel, not check in yet.
    await poll(() => top(page).locator('.bk-action--cancel').count()).toBe(1)
    await poll(() => top(page).locator('.bk-action--checkIn').count()).toBe(0)
    await e2e.pageShot(page, 'booking-detail-confirmed')
    expect(errors).toEqual([])
    await page.close()
  })

  it('吴敏 sees exactly those two slots taken on the same day', async () => {
    const page = await e2e.newPage()
    const errors = watchErrors(page)
    await page.goto(app.signInUrl(SECOND))
    // The same browser just booked as 孙丽: the remembered contact is per person, so 吴敏's form
    // starts with her own name, never 孙丽's phone number.
    await page.goto(`${app.url}/#/packages/booking/pages/rooms/index`)
    await top(page).locator('.bk-room-card', { hasText: ROOM }).click()
    await top(page).locator('.bk-room-info', { hasText: ROOM }).waitFor()
    await page.waitForFunction(() => Array.from(document.querySelectorAll<HTMLInputElement>('.bk-contact-name input')).some((el) => el.value === '吴敏'))
    const phones = await page.$$eval('.bk-contact-phone input', (els) => els.map((el) => (el as HTMLInputElement).value))
    expect(phones).not.toContain('13800001008')
    await openDay(page)

    await eventually(async () => {
      const slots = await slotStates(page)
      expect(slots.length).toBe(26)
      const taken = slots.filter((s) => s.state === 'taken')
      expect(taken.map((s) => s.id)).toEqual([...SLOTS])
      expect(taken.every((s) => s.text === '已约')).toBe(true)
      expect(slots.filter((s) => s.state !== 'taken').every((s) => s.state === 'free' && s.text === '可约')).toBe(true)
      expect(slots.some((s) => s.on)).toBe(false)
    })
    // The strip counts them: 24 of 26 left that day.
    await poll(() => top(page).locator('.bk-day--on .bk-day__sub').last().textContent()).toBe('余 24')

    // A tap on a taken slot selects nothing and says why.
    await top(page).locator(slotClass(SLOTS[0])).click()
    await page.getByText('该时段已被预约').waitFor()
    await poll(() => top(page).locator('.bk-slot--on').count()).toBe(0)
    await poll(() => top(page).locator('.bk-selection').count()).toBe(0)

    await top(page).locator('.bk-slots').scrollIntoViewIfNeeded()
    await e2e.pageShot(page, 'booking-room-taken')
    expect(errors).toEqual([])
    await page.close()
  })

  it('长辈模式: the slot grid of 吴敏’s view keeps ≥ 18 px text and ≥ 44 px slots', async () => {
    const page = await e2e.newPage()
    await openAs(page, SECOND, `/packages/booking/pages/room/index?id=${ROOM_ID}`)
    await page.evaluate(() => localStorage.setItem('elderMode', JSON.stringify({ data: true })))
    await page.reload()
    await top(page).locator('.bk-room-info', { hasText: ROOM }).waitFor()
    await poll(() => top(page).locator('.page-root').first().getAttribute('class')).toMatch(/\belder\b/)
    await openDay(page)
    const taken = top(page).locator('.bk-slot--taken')
    await poll(() => taken.count()).toBe(2)
    const box = await taken.first().evaluate((el) => ({
      font: parseFloat(getComputedStyle(el.querySelector('.bk-slot__time')!).fontSize),
      height: el.getBoundingClientRect().height,
      right: el.getBoundingClientRect().right,
    }))
    expect(box.font).toBeGreaterThanOrEqual(18)
    expect(box.height).toBeGreaterThanOrEqual(44)
    expect(box.right).toBeLessThanOrEqual(PHONE.width)
    await e2e.pageShot(page, 'booking-room-taken-elder')
    await page.evaluate(() => localStorage.removeItem('elderMode'))
    await page.close()
  })
})
