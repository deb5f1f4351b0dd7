/**
 * Privacy rights end to end (issue 14): the H5 build in Debian chromium against the real local cloud.
 *
 * 1. 吴敏 (who rated her property company) opens 我的 → 我的数据, sees her records, downloads them as a .json file, and asks for 注销.
 * 2. 李秀梅 (staff) opens 注销申请 and completes it; 吴敏's records show 已注销居民.
 * 3. 张伟 (grid worker) opens 何桂英's household and 代办纠纷 for her, with her consent by phone;
 *    何桂英 finds it in 我的纠纷 with 由网格员 张伟 代办.
 */
import fs from 'node:fs'
import type { Page } from 'playwright-core'
import { poll, setupBrowser } from './harness'
import { startAppServer, type AppServer } from './app-server'
import { DEMO } from '../../cloudfunctions/src/local/seed'

const e2e = setupBrowser()
let app: AppServer
const P = DEMO.people
const ELDER_HOUSEHOLD = 'b-cy-2-u1:201'

async function api<T>(openid: string, fn: string, action: string, payload: unknown): Promise<T> {
  const res = await fetch(`${app.url}/api/${fn}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-dev-openid': openid }, body: JSON.stringify({ action, payload }) })
  const env = (await res.json()) as { ok: boolean; data?: T; error?: unknown }
  if (!env.ok) throw new Error(`${fn}.${action}: ${JSON.stringify(env.error)}`)
  return env.data as T
}

beforeAll(async () => {
  app = await startAppServer()
  e2e.onClose(() => app.close())
})

const top = (page: Page) => page.locator('.taro_page_show.taro_page_stationed').last()

describe('隐私 (H5 + local cloud)', () => {
  let page: Page
  beforeAll(async () => {
    page = await e2e.newPage()
  })

  it('我的数据: the records, a .json download, and 注销 completed by staff', async () => {
    // A rating with a comment (nothing in progress: a case still open would make the deletion wait).
    await api(P.resident2, 'property', 'rate', { companyId: 'pc-anju', stars: { security: 4, cleaning: 4, repair: 3, greening: 5, attitude: 4, fees: 4 }, comment: '绿化维护得很好' })
    await app.openAs(page, P.resident2, '/pages/mine/index')
    await top(page).locator('.mine-my-data').click()
    await poll(() => top(page).locator('.data-section').count()).toBe(9)
    await poll(() => top(page).locator('.data-section-ratings').textContent()).toContain('安居物业')
    await e2e.pageShot(page, 'privacy-my-data')
    const [download] = await Promise.all([page.waitForEvent('download'), top(page).locator('.my-data-export').click()])
    expect(download.suggestedFilename()).toMatch(/^我的数据_\d{4}-\d{2}-\d{2}\.json$/)
    const exported = JSON.parse(fs.readFileSync((await download.path())!, 'utf8'))
    expect(exported.sections.find((s: { key: string }) => s.key === 'profile').items[0].fields).toContainEqual({ label: '姓名', value: '吴敏' })

    await top(page).locator('.data-deletion-ask').click()
    await top(page).locator('.data-deletion-reason textarea').fill('已搬离本社区')
    await top(page).locator('.data-deletion-confirm').click()
    await poll(() => top(page).locator('.data-deletion').textContent()).toContain('待社区办理')

    // Staff complete it.
    await app.openAs(page, P.staff, '/packages/staff/pages/deletions/index')
    await poll(() => top(page).locator('.deletion').first().textContent()).toContain('吴敏')
    await e2e.pageShot(page, 'privacy-deletions')
    await top(page).locator('.deletion-complete').first().click()
    await page.locator('.taro__modal .taro-model__confirm').click()
    await poll(() => top(page).locator('.deletion').first().textContent()).toContain('已注销')
    const residents = await api<{ items: Array<{ name: string | null }> }>(P.staff, 'user', 'residents', { pageSize: 50 })
    expect(residents.items.map((r) => r.name)).not.toContain('吴敏')
  })

  it('代办: a grid worker submits a dispute for 何桂英 from her household; it is hers', async () => {
    await app.openAs(page, P.mediator1, `/packages/grid/pages/household/index?id=${encodeURIComponent(ELDER_HOUSEHOLD)}`)
    await top(page).locator('.hh-actfor-dispute').click()
    await poll(() => top(page).locator('.field-proxy').textContent()).toContain('为居民 何桂英 代办纠纷')
    // The location starts at her building and unit (2栋 1单元), not the worker's.
    await poll(() => top(page).locator('.building-picker').textContent()).toContain('2栋')
    await poll(() => top(page).locator('.unit-picker').textContent()).toContain('1单元')
    await top(page).locator('.category-chip', { hasText: '噪音' }).click()
    await top(page).locator('.description-input textarea').fill('楼上夜里搬动家具，老人睡不好。')
    await top(page).locator('.proxy-consent-check').click()
    await top(page).locator('.proxy-how-chip', { hasText: '电话' }).click()
    await e2e.pageShot(page, 'privacy-proxy-dispute')
    await top(page).locator('.submit-btn').click()
    await poll(() => top(page).textContent()).toContain('已为何桂英提交纠纷')
    const mine = await api<{ items: Array<{ id: string }> }>(P.elder, 'cases', 'mine', { kind: 'dispute' })
    expect(mine.items).toHaveLength(1)
    const c = await api<{ proxy: { text: string } }>(P.elder, 'cases', 'get', { id: mine.items[0].id })
    expect(c.proxy.text).toBe('由网格员 张伟 代办（居民电话同意）')
  })
})
