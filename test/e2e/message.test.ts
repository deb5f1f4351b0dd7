/**
 * 居民留言 end to end: the H5 build in Debian chromium against the REAL local cloud (demo data).
 * 孙丽 writes a 报修 message with her phone number and room in it and asks for it to be public →
 * staff 李秀梅 saves a reply template, finds the message in 留言办理, inserts the template, replies
 * and records the result → 孙丽 sees the unread mark on 我的留言, reads the reply and rates 满意 →
 * 李秀梅 publishes it to the 留言墙 from the redacted draft → 吴敏 reads it there without the
 * phone number or the room.
 */
import type { Page } from 'playwright-core'
import { poll, setupBrowser } from './harness'
import { startAppServer, type AppServer } from './app-server'
import { expectStatus } from './case-pages'

const e2e = setupBrowser()
let app: AppServer

const RESIDENT = 'demo-res-sun'
const STAFF = 'demo-staff-li'
const NEIGHBOUR = 'demo-res-wu'
const PHONE = '13812345678'
const ROOM = '3栋1202'
const MESSAGE = `${ROOM} 门口的路灯坏了一周，晚上很黑，老人出门不方便，请尽快修一下。联系电话 ${PHONE}。`
const TEMPLATE_TITLE = '路灯报修已派单'
const TEMPLATE_TEXT = '您好，已通知物业维修路灯，预计两天内修复，修好后请您留意。'
const RESULT = '物业已于今日更换路灯灯泡，夜间照明恢复。'

beforeAll(async () => {
  app = await startAppServer()
  e2e.onClose(() => app.close())
})

const openAs = (page: Page, openid: string, route: string) => app.openAs(page, openid, route)

/** A success toast with exactly this text appeared (never "<label>成功"). */
async function expectToast(page: Page, title: string): Promise<void> {
  await page.locator('.taro__toast', { hasText: title }).waitFor({ state: 'attached' })
}

describe('居民留言 (H5 + local cloud)', () => {
  let messageId = ''

  it('孙丽 writes a 报修 message with 希望公开 from the home tile', async () => {
    const page = await e2e.newPage()
    const errors: string[] = []
    page.on('pageerror', (err) => errors.push(err.message))

    await page.goto(app.signInUrl(RESIDENT))
    await page.locator('.entry-message').click()
    await page.getByText('您还没有给社区留过言').waitFor()
    await e2e.pageShot(page, 'message-mine-empty')
    await page.locator('.empty-new-btn').click()

    await page.locator('.category-chip', { hasText: '报修' }).click()
    await page.locator('.utility-row').waitFor()
    await page.locator('.message-input textarea').fill(MESSAGE)
    await poll(() => page.locator('.field-text .counter').textContent()).toBe(`${MESSAGE.length}/1000`)
    await page.locator('.public-row__switch').click()
    await poll(() => page.locator('.public-row__switch').getAttribute('class')).toContain('ui-switch--on')
    await e2e.pageShot(page, 'message-new')
    await page.locator('.submit-btn').click()

    // The success page (shared with disputes and bookings), then 查看进度.
    const done = page.locator('.ui-done', { hasText: '留言已提交' })
    await done.waitFor()
    await poll(() => done.locator('.ui-done__next').textContent()).toMatch(/^社区工作人员将在 \d+月\d+日 \d\d:\d\d 前答复$/)
    await done.locator('.ui-done__detail').click()

    await expectStatus(page, '待受理')
    messageId = new URL(page.url().replace('#', '')).searchParams.get('id') ?? ''
    expect(messageId).not.toBe('')
    await poll(() => page.locator('.post--resident .post__text').first().textContent()).toBe(MESSAGE)
    await poll(() => page.locator('.case-head__due').textContent()).toContain('前答复')
    await poll(() => page.locator('.wall-state').textContent()).toContain('待审核')
    await e2e.pageShot(page, 'message-detail-submitted')
    expect(errors).toEqual([])
  })

  it('李秀梅 saves a reply template from 我的 → 工作台 → 常用回复', async () => {
    const page = await e2e.newPage()
    await openAs(page, STAFF, '/pages/mine/index')
    await page.locator('.mine-message-templates').click()
    // No templates yet: the empty state's button (later, the one in the bottom bar).
    await page.getByText('还没有常用回复').waitFor()
    await e2e.pageShot(page, 'message-templates-empty')
    await page.locator('.template-new-btn').first().click()
    await page.locator('.template-title-input input').fill(TEMPLATE_TITLE)
    await page.locator('.template-textarea textarea').fill(TEMPLATE_TEXT)
    await page.locator('.template-save').click()
    await page.locator('.template-card', { hasText: TEMPLATE_TITLE }).waitFor()
    await expectToast(page, '已新建常用回复')
    await e2e.pageShot(page, 'message-templates')
  })

  it('李秀梅 finds it in 留言办理, inserts the template, replies and records the result', async () => {
    const page = await e2e.newPage()
    await openAs(page, STAFF, '/pages/mine/index')
    await page.locator('.mine-message-inbox').click()
    const card = page.locator('.case-card', { hasText: '路灯坏了一周' })
    await card.waitFor()
    await poll(() => card.locator('.case-card__status').textContent()).toBe('待受理')
    await poll(() => card.textContent()).toContain('前答复')
    await e2e.pageShot(page, 'message-inbox')

    await card.click()
    await expectStatus(page, '待受理')
    // The one handling it sees the full phone number of the resident.
    await poll(() => page.locator('.case-info').textContent()).toContain('13800001008')
    await page.locator('.insert-template').click()
    await page.locator('.template-option', { hasText: TEMPLATE_TITLE }).click()
    await poll(() => page.locator('.reply-input textarea').inputValue()).toBe(TEMPLATE_TEXT)
    await e2e.pageShot(page, 'message-reply-box')
    await page.locator('.reply-btn').click()
    await expectToast(page, '已回复')
    await page.locator('.post--staff .post__text', { hasText: TEMPLATE_TEXT }).waitFor()
    await poll(() => page.locator('.reply-input textarea').inputValue()).toBe('')

    await page.locator('.case-action--resolve').click()
    await page.locator('.action-sheet--resolve .sheet-textarea textarea').fill(RESULT)
    await page.locator('.sheet-confirm').click()
    await expectStatus(page, '已解决')
    await expectToast(page, '已办结')
    await poll(() => page.locator('.case-result').textContent()).toContain(RESULT)
    await e2e.pageShot(page, 'message-detail-staff')
  })

  it('孙丽 sees the unread mark on 我的留言, reads the reply and rates 满意', async () => {
    const page = await e2e.newPage()
    await openAs(page, RESIDENT, '/packages/message/pages/mine/index')
    const card = page.locator('.case-card', { hasText: '路灯坏了一周' })
    await card.waitFor()
    await poll(() => card.locator('.case-card__unread').count()).toBe(1)
    await poll(async () => Number(await card.locator('.case-card__unread').textContent())).toBeGreaterThanOrEqual(1)
    await e2e.pageShot(page, 'message-mine-unread')

    await card.click()
    await expectStatus(page, '已解决')
    await page.locator('.post--staff .post__text', { hasText: TEMPLATE_TEXT }).waitFor()
    await poll(() => page.locator('.post--staff .post__who').first().textContent()).toContain('李秀梅 · 社区')
    await page.locator('.case-action--rate').click()
    await page.locator('.rating-chip', { hasText: /^满意$/ }).click()
    await page.locator('.sheet-confirm').click()
    await expectStatus(page, '已办结')
    await expectToast(page, '感谢您的评价')
    await poll(() => page.locator('.case-result').textContent()).toContain('满意')
    await e2e.pageShot(page, 'message-detail-rated')

    // Read: back on 我的留言 the mark is gone.
    await page.goBack()
    await card.waitFor()
    await poll(() => card.locator('.case-card__unread').count()).toBe(0)
    await poll(() => card.locator('.case-card__status').textContent()).toBe('已办结')
  })

  it('李秀梅 publishes it to the 留言墙 from the draft with the phone number and room hidden', async () => {
    const page = await e2e.newPage()
    await openAs(page, STAFF, `/packages/message/pages/detail/index?id=${messageId}`)
    await expectStatus(page, '已办结')
    await page.locator('.case-action--publish').click()
    const hidden = page.locator('.hidden-item')
    await hidden.first().waitFor()
    await poll(() => hidden.allTextContents()).toEqual(expect.arrayContaining([`电话：${PHONE}`]))
    await poll(async () => (await hidden.allTextContents()).some((t) => t.includes('1202'))).toBe(true)
    const draft = page.locator('.publish-text textarea')
    await poll(() => draft.inputValue()).toContain('【电话已隐藏】')
    expect(await draft.inputValue()).not.toContain(PHONE)
    expect(await draft.inputValue()).not.toContain('1202')
    await poll(() => page.locator('.publish-reply textarea').inputValue()).not.toBe('')
    await e2e.pageShot(page, 'message-publish-sheet')
    await page.locator('.action-sheet--publish .sheet-confirm').click()
    await expectToast(page, '已公开到留言墙')
    await poll(() => page.locator('.wall-state').textContent()).toContain('已公开')
    await poll(() => page.locator('.case-action--unpublish').count()).toBe(1)
  })

  it('吴敏 opens the 留言墙 from the home page and reads the redacted text and the reply', async () => {
    const page = await e2e.newPage()
    await page.goto(app.signInUrl(NEIGHBOUR))
    await page.locator('.entry-wall').click()
    const card = page.locator('.wall-card', { hasText: '路灯坏了一周' })
    await card.waitFor()
    await poll(() => card.locator('.wall-card__text').textContent()).toContain('【电话已隐藏】')
    const shown = (await card.textContent()) ?? ''
    expect(shown).not.toContain(PHONE)
    expect(shown).not.toContain('1202')
    await poll(() => card.locator('.wall-card__reply').textContent()).toContain('社区回复')
    // The draft's reply is the community's latest word: the recorded result.
    await poll(() => card.locator('.wall-card__reply').textContent()).toContain(RESULT)
    await e2e.pageShot(page, 'message-wall')
  })

  it('长辈模式: the thread and the boxes keep ≥ 18 px text and ≥ 44 px tap targets', async () => {
    const page = await e2e.newPage()
    await openAs(page, STAFF, `/packages/message/pages/detail/index?id=${messageId}`)
    await page.evaluate(() => localStorage.setItem('elderMode', JSON.stringify({ data: true })))
    await page.reload()
    await page.locator('.post__text').first().waitFor()
    await poll(() => page.locator('.page-root').first().getAttribute('class')).toMatch(/\belder\b/)
    const font = await page.locator('.post__text').first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize))
    expect(font).toBeGreaterThanOrEqual(18)
    for (const selector of ['.case-action--unpublish', '.timeline-toggle']) {
      const box = await page.locator(selector).first().boundingBox()
      expect(box!.height).toBeGreaterThanOrEqual(44)
    }
    await e2e.pageShot(page, 'message-detail-elder')
    await page.evaluate(() => localStorage.removeItem('elderMode'))
  })
})
