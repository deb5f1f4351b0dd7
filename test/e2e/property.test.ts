/**
 * 物业红黑榜 end to end: the H5 build in Debian chromium against the REAL local cloud (demo data:
 * 2026 Q2 and Q3 already published), whose clock the test moves forward (OffsetClock) so a
 * quarter can end and a 7-day appeal window pass within the test.
 *
 * 1. 孙丽 (verified, 翠园小区 → 安居物业) opens 物业红黑榜 from the home tile and rates 安居物业.
 *    Eleven more households rate it through the API (the setup: enough ratings to publish).
 * 2. The quarter ends. 李秀梅 (staff) opens 季度评定, computes, and opens the appeal window.
 * 3. 钱国平, 安居物业's contact, appeals from 本公司评定结果; 李秀梅 rejects it with a reason.
 * 4. The window ends; 李秀梅 publishes.
 * 5. 孙丽 sees 安居物业 ranked in 2026年第四季度 (4.32: 12 ratings are not yet enough for 红榜) and its page with three quarters on the
 *    trend chart (drawn: the canvas holds ink) and in its text list.
 */
import type { Page } from 'playwright-core'
import { eventually, poll, setupBrowser } from './harness'
import { OffsetClock, startAppServer, type AppServer } from './app-server'
import { DEMO, demoPlaces } from '../../cloudfunctions/src/local/seed'
import type { UserDoc } from '../../src/shared/domain/user'

const e2e = setupBrowser()
let app: AppServer
const clock = new OffsetClock()
const P = DEMO.people

async function api<T>(openid: string, fn: string, action: string, payload: unknown): Promise<T> {
  const res = await fetch(`${app.url}/api/${fn}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-dev-openid': openid }, body: JSON.stringify({ action, payload }) })
  const env = (await res.json()) as { ok: boolean; data?: T; error?: unknown }
  if (!env.ok) throw new Error(`${fn}.${action}: ${JSON.stringify(env.error)}`)
  return env.data as T
}

beforeAll(async () => {
  // The test runs in 2026 Q4 whatever today is, so the seeded history and the quarter it closes are fixed.
  clock.jumpTo('2026-12-01T10:00:00+08:00')
  app = await startAppServer({ clock })
  e2e.onClose(() => app.close())
  // Eleven more verified households of 翠园小区 rate 安居物业 (with 孙丽: 12, enough to publish).
  const { places } = demoPlaces()
  const units = places.filter((p) => p.kind === 'unit' && p.estateId === 'e-cuiyuan')
  const now = clock.now()
  const docs: UserDoc[] = Array.from({ length: 11 }, (_, i) => {
    const u = units[i % units.length]
    return {
      _id: `e2e-hh-${i}`,
      name: `住户${i}`,
      roles: ['resident'],
      verified: true,
      address: { streetId: u.streetId, communityId: u.communityId!, estateId: u.estateId!, buildingId: u.buildingId!, unitId: u._id, room: String(2001 + i), gridId: u.gridId ?? null },
      householdId: `${u._id}:${2001 + i}`,
      gridIds: [],
      createdAt: now,
      updatedAt: now,
      version: 1,
    }
  })
  await app.cloud.db.collection('users').add({ data: docs as unknown as Record<string, unknown>[] })
  for (const d of docs) await api(d._id, 'property', 'rate', { companyId: 'pc-anju', stars: { security: 5, cleaning: 5, repair: 5, greening: 5, attitude: 5, fees: 5 } })
})

function watchErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('pageerror', (err) => errors.push(err.message))
  return errors
}
const top = (page: Page) => page.locator('.taro_page_show.taro_page_stationed').last()
const CLOSE = '/packages/property/pages/close/index'

async function confirmModal(page: Page): Promise<void> {
  await page.locator('.taro__modal .taro-model__confirm').click()
}

describe('物业红黑榜 (H5 + local cloud)', () => {
  it('孙丽 rates, 李秀梅 closes the quarter, 钱国平 appeals and is rejected, 李秀梅 publishes, 孙丽 sees the ranking and the trend', async () => {
    const page = await e2e.newPage()
    const errors = watchErrors(page)

    // 1. 孙丽 rates 安居物业 from the home tile.
    await page.goto(app.signInUrl(P.resident))
    await page.locator('.entry-property').click()
    await poll(() => top(page).locator('.pm-quarter').textContent()).toContain('2026年第三季度')
    await top(page).locator('.pm-rate-mine').click()
    await poll(() => top(page).locator('.pm-rate-company').textContent()).toBe('安居物业服务有限公司')
    for (const d of ['security', 'cleaning', 'repair', 'greening', 'attitude', 'fees']) await top(page).locator(`.pm-stars--${d} .pm-star-5`).click()
    await top(page).locator('.pm-rate-comment textarea').fill('门岗很负责，楼道每天有人打扫。')
    await e2e.pageShot(page, 'property-rate')
    await top(page).locator('.pm-rate-submit').click()
    await eventually(async () => {
      const mine = await api<{ rating: { stars: Record<string, number>; comment: string } | null }>(P.resident, 'property', 'mine', {})
      expect(mine.rating?.stars.security).toBe(5)
      expect(mine.rating?.comment).toBe('门岗很负责，楼道每天有人打扫。')
    })

    // 2. The quarter ends; 李秀梅 computes and opens the appeal window.
    clock.jumpTo('2027-01-04T09:00:00+08:00')
    await app.openAs(page, P.staff, CLOSE)
    await poll(() => top(page).locator('.pm-close-quarter').textContent()).toContain('2026年第四季度')
    await top(page).locator('.pm-compute').click()
    await poll(() => top(page).locator('.pm-close-state').textContent()).toContain('待审核')
    await poll(() => top(page).locator('.pm-list').textContent()).toContain('安居物业服务有限公司')
    await top(page).locator('.pm-open-appeal').click()
    await confirmModal(page)
    await poll(() => top(page).locator('.pm-close-state').textContent()).toContain('申诉期')

    // 3. 钱国平 appeals; 李秀梅 rejects it with a reason.
    await app.openAs(page, P.propertyAnju, '/packages/property/pages/results/index')
    await top(page).locator('.pm-appeal-open').first().click()
    await page.locator('.pm-appeal-sheet .pm-appeal-text textarea').fill('12 月 3 日的保洁投诉已整改，请核实。')
    await page.locator('.pm-appeal-sheet .pm-appeal-submit').click()
    await poll(() => top(page).locator('.pm-appeal-state').first().textContent()).toContain('待处理')
    await e2e.pageShot(page, 'property-appeal')

    await app.openAs(page, P.staff, CLOSE)
    await poll(() => top(page).locator('.pm-appeal__text').first().textContent()).toContain('保洁投诉已整改')
    await top(page).locator('.pm-appeal-reject').first().click()
    await page.locator('.pm-decide-sheet .pm-decide-reason textarea').fill('经核实，整改在季度结束之后')
    await page.locator('.pm-decide-sheet .pm-decide-submit').click()
    await poll(() => top(page).locator('.pm-appeal-state').first().textContent()).toContain('未采纳')
    await poll(() => top(page).locator('.pm-wait-reason').textContent()).toMatch(/申诉期至/)

    // 4. After the window, 李秀梅 publishes.
    clock.advanceHours(7 * 24 + 1)
    await app.openAs(page, P.staff, CLOSE)
    await top(page).locator('.pm-publish').click()
    await confirmModal(page)
    await poll(() => top(page).locator('.pm-close-state').textContent()).toContain('已公布')
    await e2e.pageShot(page, 'property-close-published')

    // 5. 孙丽: 安居物业 ranked in 2026年第四季度, and its trend over three quarters.
    await app.openAs(page, P.resident, '/packages/property/pages/board/index')
    await poll(() => top(page).locator('.pm-quarter').textContent()).toContain('2026年第四季度')
    await poll(() => top(page).locator('.pm-lists').textContent()).toContain('安居物业服务有限公司')
    await e2e.pageShot(page, 'property-board-published')
    await top(page).locator('.pm-lists .pm-row__title', { hasText: '安居物业服务有限公司' }).first().click()
    await poll(() => top(page).locator('.pm-trend__text').textContent()).toContain('2026年第四季度')
    const items = await top(page).locator('.pm-trend__item').allTextContents()
    expect(items.map((t) => t.slice(0, 9))).toEqual(['2026年第二季度', '2026年第三季度', '2026年第四季度'])
    await eventually(async () => {
      const ink = await top(page)
        .locator('.pm-trend__canvas canvas')
        .evaluate((c: HTMLCanvasElement) => {
          const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
          let painted = 0
          for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200)) painted++
          return painted
        })
      expect(ink).toBeGreaterThan(200)
    })
    await e2e.pageShot(page, 'property-company-trend')
    expect(errors).toEqual([])
    await page.close()
  })
})
