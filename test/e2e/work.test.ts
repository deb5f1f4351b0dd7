/**
 * 工作台 end to end: the H5 build in Debian chromium against the REAL local cloud, with the demo
 * data and the demo activity `npm start` writes (seedDemoActivity, real clock). 李秀梅 (staff)
 * signs in: the 我的 tab carries her count; 我的 → 我的待办 opens the workbench, which shows items
 * from several features (纠纷, 留言, 巡查上报, 预约审核, 居民认证, 重点户走访 …); one tap opens the
 * booking waiting for approval, 审核通过 handles it, and back on the workbench its group is done and
 * the total is one less.
 */
import type { Page } from 'playwright-core'
import { poll, setupBrowser } from './harness'
import { startAppServer, type AppServer } from './app-server'
import { DEMO, seedDemoActivity } from '../../cloudfunctions/src/local/seed'

const e2e = setupBrowser()
let app: AppServer
const P = DEMO.people

beforeAll(async () => {
  app = await startAppServer()
  e2e.onClose(() => app.close())
  await seedDemoActivity((openid, fn, action, payload) => app.cloud.call(fn, { action, payload }, openid), new Date(), (fn, trigger) => app.cloud.runTimer(fn, trigger))
}, 120_000)

function watchErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('pageerror', (err) => errors.push(err.message))
  return errors
}
const top = (page: Page) => page.locator('.taro_page_show.taro_page_stationed').last()
const totalOf = (s: string | null) => Number(/共 (\d+) 项待办/.exec(s ?? '')?.[1] ?? NaN)

describe('工作台 (H5 + local cloud)', () => {
  it('李秀梅 sees her waiting items across features, approves a booking from it, and its count drops', async () => {
    const page = await e2e.newPage()
    const errors = watchErrors(page)
    await page.goto(app.signInUrl(P.staff))
    await page.locator('.entry-dispute').waitFor()
    // The 我的 tab (the fourth) carries the count from the first screen on.
    const mineTab = page.locator('.weui-tabbar__item').nth(3)
    await poll(async () => Number(await mineTab.locator('.weui-badge').textContent())).toBeGreaterThan(5)

    await mineTab.click()
    await top(page).locator('.mine-work').click()
    const total = top(page).locator('.work-total')
    await total.waitFor()
    for (const key of ['disputes', 'messages', 'events', 'approvals', 'property', 'residents', 'visits']) await top(page).locator(`.work-group--${key}`).waitFor()
    const before = totalOf(await total.textContent())
    expect(before).toBeGreaterThan(5)
    await poll(() => top(page).locator('.work-group--visits .work-item--overdue').count()).toBe(1)
    await poll(() => top(page).locator('.work-group--approvals .work-group__count').textContent()).toBe('1 项')
    await e2e.pageShot(page, 'work-staff')

    // One tap: the booking waiting for approval; 审核通过.
    await top(page).locator('.work-group--approvals .work-item').click()
    await top(page).locator('.bk-detail .bk-head__status', { hasText: '待审核' }).waitFor()
    await top(page).locator('.bk-action--approve').click()
    await top(page).locator('.bk-detail .bk-head__status', { hasText: '已确认' }).waitFor()

    // Back: the workbench reloads; the group is done and the total is one less.
    await page.goBack()
    await poll(async () => totalOf(await top(page).locator('.work-total').textContent())).toBe(before - 1)
    await poll(() => top(page).locator('.work-group--approvals').count()).toBe(0)
    await poll(() => top(page).locator('.work-clear').textContent()).toContain('场地预约待审核')
    await e2e.pageShot(page, 'work-staff-after')
    // …and so are 我的 and its tab.
    await page.goBack()
    await poll(() => top(page).locator('.mine-work .ui-cell__value').textContent()).toBe(`${before - 1} 项`)
    await poll(async () => Number(await mineTab.locator('.weui-badge').textContent())).toBe(before - 1)
    expect(errors).toEqual([])
    await page.close()
  })
})
