/**
 * Identity, onboarding and verification end to end: the built H5 app against the real local
 * cloud with demo data (test/e2e/app-server.ts).
 */
import type { Page } from 'playwright-core'
import { eventually, poll, settled, setupBrowser } from './harness'
import { startAppServer, type AppServer } from './app-server'

const e2e = setupBrowser()
let app: AppServer

beforeAll(async () => {
  app = await startAppServer()
  e2e.onClose(() => app.close())
})

function watchErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('pageerror', (err) => errors.push(err.message))
  return errors
}

/** Taro's H5 <Input> renders a real <input> inside the field. */
const input = (page: Page, field: string) => page.locator(`.${field} input`).first()

describe('app shell: onboarding and verification', () => {
  it('a new visitor completes onboarding and sees 我的 with the address and 待认证', async () => {
    const page = await e2e.newPage()
    const errors = watchErrors(page)
    // Through the dev sign-in page, as a newcomer would: it lists the demo people and offers a new visitor.
    await page.goto(`${app.url}/dev/login`)
    await page.getByText('王建华').waitFor()
    await page.getByText('以新访客身份进入').click()
    await page.locator('.home-onboard').click()

    await page.locator('.onb-option-community', { hasText: '翠湖社区' }).click()
    await page.locator('.onb-option-estate', { hasText: '翠园小区' }).click()
    await page.locator('.onb-option-building', { hasText: '1栋' }).click()
    await page.locator('.onb-option-unit', { hasText: '2单元' }).click()
    await poll(() => page.locator('.onb-chosen-unit').textContent()).toBe('2单元')
    await e2e.screenshot('onboarding-address')

    await input(page, 'field-room').fill('1501')
    await input(page, 'field-name').fill('钱小满')
    await input(page, 'field-phone').fill('13912345678')
    // Sending a phone needs the privacy consent first.
    await page.locator('.onb-submit__button').click()
    await page.getByText('提供手机号前，请先阅读并勾选同意《用户隐私保护指引》').waitFor()
    await page.locator('.consent-check .ui-checkbox__box').click() // the box: the row's middle is the guide's link
    await e2e.screenshot('onboarding')

    await page.locator('.onb-submit__button').click()
    await page.locator('.mine-address', { hasText: '翠园小区 1栋 2单元 1501' }).waitFor()
    await poll(() => page.locator('.profile-card__name').textContent()).toBe('钱小满')
    await poll(() => page.locator('.profile-card__phone').textContent()).toBe('139****5678')
    await poll(() => page.locator('.profile-unverified').textContent()).toBe('待认证')
    await poll(() => page.locator('.mine-verify-hint').textContent()).toContain('请联系网格员认证或输入邀请码')
    await page.getByText('翠湖社区 · 翠湖第一网格').waitFor()
    await settled(page)
    await e2e.screenshot('mine')

    // 首页 now shows the community, the address and the verification reminder.
    await page.getByText('首页', { exact: true }).click()
    await page.locator('.home-verify').waitFor()
    await poll(() => page.locator('.home-header__address').textContent()).toBe('翠园小区 1栋 2单元 1501')
    await settled(page)
    await e2e.screenshot('home-unverified')
    expect(errors).toEqual([])
  })

  it('the onboarding form in 长辈模式 keeps big text and tap targets', async () => {
    const page = await e2e.newPage()
    await page.goto(app.signInUrl('new'))
    await page.goto(`${app.url}/#/pages/mine/index`)
    await page.locator('.elder-switch').click()
    await poll(() => page.locator('.page-root').first().getAttribute('class')).toMatch(/\belder\b/) // stored before leaving
    await page.goto(`${app.url}/#/packages/onboarding/pages/index/index`)
    await page.locator('.onb-option-community', { hasText: '翠湖社区' }).click()
    await page.locator('.onb-option-estate').first().waitFor()
    await settled(page)
    const option = page.locator('.onb-option-estate').first()
    const box = await option.boundingBox()
    expect(box!.height).toBeGreaterThanOrEqual(44)
    const size = await option.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))
    expect(size).toBeGreaterThanOrEqual(18)
    await e2e.screenshot('onboarding-elder')
    await page.goto(`${app.url}/#/pages/mine/index`)
    await page.locator('.elder-switch').click() // back off for the next tests
    await poll(() => page.locator('.page-root').first().getAttribute('class')).not.toMatch(/\belder\b/)
  })

  it('staff 李秀梅 verifies 黄海 in 居民认证, and 黄海 then sees 已认证', async () => {
    const page = await e2e.newPage()
    const errors = watchErrors(page)
    await page.goto(app.signInUrl('demo-staff-li'))
    await page.goto(`${app.url}/#/pages/mine/index`)
    await page.locator('.mine-residents').click()

    const huang = page.locator('.resident', { hasText: '黄海' })
    await huang.waitFor()
    await poll(() => huang.locator('.resident-unverified').textContent()).toBe('待认证')
    await poll(() => huang.textContent()).toContain('138****1010')
    await settled(page)
    await e2e.screenshot('residents')
    await huang.locator('.resident-verify').click()
    await huang.locator('.resident-verified').waitFor()
    await poll(() => huang.locator('.resident-verify').count()).toBe(0)

    // The role editor: 网格员 comes with the community's grids (not saved here).
    const sun = page.locator('.resident', { hasText: '孙丽' })
    await sun.locator('.resident-roles').click()
    await sun.locator('.role-option-grid_worker .ui-checkbox__box').click()
    await sun.locator('.grid-option', { hasText: '翠湖第三网格' }).waitFor()
    await sun.scrollIntoViewIfNeeded()
    await e2e.screenshot('residents-roles')
    await sun.getByText('取消', { exact: true }).click()
    await poll(() => sun.locator('.role-editor').count()).toBe(0)

    // 待认证 filter: 黄海 is no longer waiting (the visitor of the first test still is).
    await page.locator('.residents-filter-unverified').click()
    await page.locator('.resident', { hasText: '钱小满' }).waitFor()
    await poll(() => page.locator('.resident', { hasText: '黄海' }).count()).toBe(0)
    expect(errors).toEqual([])

    const his = await e2e.newPage()
    await his.goto(app.signInUrl('demo-res-huang'))
    await his.goto(`${app.url}/#/pages/mine/index`)
    await his.locator('.profile-verified').waitFor()
    await poll(() => his.locator('.profile-verified').textContent()).toBe('已认证')
    await poll(() => his.locator('.profile-card__name').textContent()).toBe('黄海')
  })

  it('a grid worker generates an invitation code that verifies a new household at once', async () => {
    const page = await e2e.newPage()
    await page.goto(app.signInUrl('demo-grid-zhang'))
    await page.goto(`${app.url}/#/pages/mine/index`)
    await page.locator('.mine-invite').click()
    await page.locator('.invite-generate').click()
    // The code arrives from the backend after the tap.
    const code = await eventually(async () => {
      const text = ((await page.locator('.invite-code').textContent()) ?? '').trim()
      expect(text).toMatch(/^[A-Z2-9]{6}$/)
      return text
    })
    await page.getByText(/有效期至/).waitFor()
    await settled(page)
    await e2e.screenshot('invite')

    const visitor = await e2e.newPage()
    await visitor.goto(app.signInUrl('new'))
    await visitor.goto(`${app.url}/#/packages/onboarding/pages/index/index`)
    await visitor.locator('.onb-option-community', { hasText: '翠湖社区' }).click()
    await visitor.locator('.onb-option-estate', { hasText: '翠园小区' }).click()
    await visitor.locator('.onb-option-building', { hasText: '2栋' }).click()
    await visitor.locator('.onb-option-unit', { hasText: '1单元' }).click()
    await input(visitor, 'field-room').fill('808')
    await input(visitor, 'field-invite').fill(code.toLowerCase())
    await visitor.locator('.onb-submit__button').click()
    await visitor.locator('.profile-verified').waitFor()
  })
})

describe('app shell: 消息', () => {
  it('unread messages: the tab badge, unread styling, tap to read, 全部已读', async () => {
    const now = Date.now()
    const note = (title: string, minutesAgo: number, link: string | null, read = false) => ({
      to: 'demo-res-wu',
      title,
      body: `${title}，请查看详情。`,
      link,
      read,
      createdAt: new Date(now - minutesAgo * 60_000),
      ref: null,
    })
    await app.cloud.db.collection('notifications').add({
      data: [
        note('社区通知：本周六楼道清理', 30, null, true),
        note('您的预约已确认', 10, '/pages/mine/index'),
        note('调解员已受理您的纠纷', 5, null),
      ],
    })
    const page = await e2e.newPage()
    const errors = watchErrors(page)
    await page.goto(app.signInUrl('demo-res-wu')) // 吴敏
    await page.locator('.home-unread', { hasText: '您有 2 条未读消息' }).waitFor()
    await page.locator('.home-unread').click()

    await page.locator('.message', { hasText: '调解员已受理您的纠纷' }).waitFor()
    await poll(() => page.locator('.message--unread').count()).toBe(2)
    await poll(() => page.locator('.message--read').count()).toBe(1)
    // The 消息 tab shows the count (Taro's H5 tab bar).
    await poll(() => page.locator('.weui-tabbar .weui-badge').first().textContent()).toBe('2')
    await settled(page)
    await e2e.screenshot('messages-unread')

    await page.locator('.message', { hasText: '调解员已受理您的纠纷' }).click()
    await poll(() => page.locator('.message--unread').count()).toBe(1)
    await page.waitForFunction(() => document.querySelector('.weui-tabbar .weui-badge')?.textContent === '1')

    await page.locator('.messages-read-all').click()
    await page.locator('.messages-bar__count', { hasText: '全部已读' }).waitFor()
    await poll(() => page.locator('.message--unread').count()).toBe(0)
    await poll(() => page.locator('.messages-read-all').count()).toBe(0)
    await page.waitForFunction(() => !document.querySelector('.weui-tabbar .weui-badge:not([style*="display: none"])'))
    expect(errors).toEqual([])
  })
})
