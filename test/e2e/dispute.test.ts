/**
 * 邻里纠纷 end to end: the H5 build in Debian chromium against the REAL local cloud (demo data).
 * 孙丽 submits a dispute with a photo → mediator 张伟 accepts it from his queue and resolves it
 * with an agreement → 孙丽 rates 满意 → the timeline shows all four steps.
 */
import path from 'node:path'
import type { Page } from 'playwright-core'
import { poll, setupBrowser } from './harness'
import { startAppServer, type AppServer } from './app-server'
import { expectStatus, timelineLabels } from './case-pages'

const e2e = setupBrowser()
let app: AppServer

const RESIDENT = 'demo-res-sun'
const MEDIATOR = 'demo-grid-zhang'
const PHOTO = path.resolve(__dirname, '..', '..', 'src', 'assets', 'tab', 'home-active.png')
const DESCRIPTION = '楼上 1302 每晚十一点后还在拖动家具，持续一周了，孩子睡不着，希望协调晚上十点后保持安静。'
const AGREEMENT = '1302 住户承诺每晚 22:00 后不再拖动家具，椅脚加装防滑垫。'

beforeAll(async () => {
  app = await startAppServer()
  e2e.onClose(() => app.close())
})

const openAs = (page: Page, openid: string, route: string) => app.openAs(page, openid, route)

describe('邻里纠纷 (H5 + local cloud)', () => {
  let caseId = ''

  it('孙丽 submits a dispute with a photo', async () => {
    const page = await e2e.newPage()
    const errors: string[] = []
    page.on('pageerror', (err) => errors.push(err.message))

    // From the home entry to 我的纠纷 to the form.
    await page.goto(app.signInUrl(RESIDENT))
    await page.locator('.entry-dispute').click()
    await page.getByText('您还没有提交过纠纷').waitFor()
    await e2e.pageShot(page, 'dispute-mine-empty')
    await page.locator('.empty-new-btn').click()

    await page.locator('.category-chip').first().waitFor()
    await poll(() => page.locator('.building-picker').textContent()).toContain('1栋')
    await page.locator('.category-chip', { hasText: '噪音' }).click()
    await page.locator('.description-input textarea').fill(DESCRIPTION)
    await poll(() => page.locator('.counter').textContent()).toBe(`${DESCRIPTION.length}/500`)

    // Taro's chooseMedia opens a file input in H5; the browser's file chooser is answered here.
    // The first photo asks for consent to the privacy guide first (issue 14): 同意 opens the picker.
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.locator('.photo-add').click().then(() => page.locator('.privacy-consent-agree:visible').click()),
    ])
    await chooser.setFiles(PHOTO)
    await page.locator('.photo--done').waitFor()
    await poll(() => page.locator('.photo-add').textContent()).toContain('1/6')

    await e2e.pageShot(page, 'dispute-new')
    await page.locator('.submit-btn').click()

    // The success page: who takes it up and by when; 查看进度 opens the case in its place.
    const done = page.locator('.ui-done', { hasText: '纠纷已提交' })
    await done.waitFor()
    await poll(() => done.locator('.ui-done__next').textContent()).toMatch(/^翠湖第一网格的调解员将在 \d+月\d+日 \d\d:\d\d 前受理$/)
    await e2e.pageShot(page, 'dispute-done')
    await done.locator('.ui-done__detail').click()

    await expectStatus(page, '待受理')
    caseId = new URL(page.url().replace('#', '')).searchParams.get('id') ?? ''
    expect(caseId).not.toBe('')
    await poll(() => page.locator('.case-description').textContent()).toBe(DESCRIPTION)
    await poll(() => page.locator('.case-photo').count()).toBe(1)
    // The photo is served by the local cloud's signed /files URL and really loads.
    await page.waitForFunction(() => {
      const img = document.querySelector('.case-photo img') as HTMLImageElement | null
      return !!img && img.complete && img.naturalWidth > 0
    })
    await poll(() => timelineLabels(page)).toEqual(['提交'])
    await poll(() => page.locator('.case-action').allTextContents()).toEqual(['撤回'])
    await e2e.pageShot(page, 'dispute-detail-submitted')
    expect(errors).toEqual([])
  })

  it('张伟 finds it in his queue, accepts it and resolves it with an agreement', async () => {
    const page = await e2e.newPage()
    await openAs(page, MEDIATOR, '/packages/dispute/pages/queue/index')
    const card = page.locator('.case-card', { hasText: '拖动家具' })
    await card.waitFor()
    await poll(() => card.locator('.case-card__status').textContent()).toBe('待受理')
    await poll(() => card.textContent()).toContain('前受理')
    await poll(() => card.textContent()).toContain('翠湖第一网格')
    await e2e.pageShot(page, 'dispute-queue')

    await card.click()
    await expectStatus(page, '待受理')
    // The mediator sees the full phone number of the submitter.
    await poll(() => page.locator('.case-info').textContent()).toContain('13800001008')
    await page.locator('.case-action--accept').click()
    await expectStatus(page, '已受理')
    await poll(() => page.locator('.case-info').textContent()).toContain('张伟')

    await page.locator('.case-action--resolve').click()
    await page.locator('.action-sheet--resolve').waitFor()
    await page.locator('.sheet-confirm').click()
    await page.locator('.sheet-text .ui-field__error', { hasText: '请填写调解协议' }).waitFor()
    await page.locator('.sheet-textarea textarea').fill(AGREEMENT)
    await e2e.pageShot(page, 'dispute-resolve-sheet')
    await page.locator('.sheet-confirm').click()
    await expectStatus(page, '已调解')
    await poll(() => page.locator('.case-result').textContent()).toContain(AGREEMENT)
    await poll(() => timelineLabels(page)).toEqual(['调解成功', '受理', '提交'])
  })

  it('孙丽 rates 满意; the timeline shows 提交, 受理, 调解成功, 评价', async () => {
    const page = await e2e.newPage()
    await openAs(page, RESIDENT, `/packages/dispute/pages/detail/index?id=${caseId}`)
    await expectStatus(page, '已调解')
    await poll(() => page.locator('.case-action').allTextContents()).toEqual(['评价'])
    await page.locator('.case-action--rate').click()
    await page.locator('.rating-chip', { hasText: /^满意$/ }).click()
    await page.locator('.sheet-textarea textarea').fill('调解员很耐心，问题解决了')
    await page.locator('.sheet-confirm').click()
    await expectStatus(page, '已办结')
    await poll(() => page.locator('.case-result').textContent()).toContain('满意：调解员很耐心，问题解决了')

    await poll(() => timelineLabels(page)).toEqual(['评价', '调解成功', '受理', '提交'])
    const latest = page.locator('.tl-item').first()
    await poll(() => latest.textContent()).toContain('孙丽 · 居民')
    await poll(() => latest.textContent()).toContain('已调解 → 已办结')
    await poll(() => page.locator('.case-action').count()).toBe(0)
    await e2e.pageShot(page, 'dispute-detail')

    // 我的纠纷 lists it as 已办结.
    await page.goto(`${app.url}/#/packages/dispute/pages/mine/index`)
    const card = page.locator('.case-card', { hasText: '拖动家具' })
    await card.waitFor()
    await poll(() => card.locator('.case-card__status').textContent()).toBe('已办结')
    await e2e.pageShot(page, 'dispute-mine')
  })

  it('staff 李秀梅 sees the month’s figures', async () => {
    const page = await e2e.newPage()
    await openAs(page, 'demo-staff-li', '/packages/dispute/pages/mine/index')
    await page.locator('.handler-link--stats').click()
    await page.locator('.figure__value').first().waitFor()
    await poll(() => page.locator('.figure__value').allTextContents()).toEqual(['1', '100%', '100%', '100%'])
    await e2e.pageShot(page, 'dispute-stats')
  })

  it('长辈模式: the form has ≥ 18 px text and ≥ 44 px tap targets', async () => {
    const page = await e2e.newPage()
    await openAs(page, RESIDENT, '/packages/dispute/pages/new/index')
    await page.evaluate(() => localStorage.setItem('elderMode', JSON.stringify({ data: true })))
    await page.reload()
    await page.locator('.category-chip').first().waitFor()
    await poll(() => page.locator('.page-root').first().getAttribute('class')).toMatch(/\belder\b/)
    const chip = await page.locator('.category-chip').first().evaluate((el) => ({
      font: parseFloat(getComputedStyle(el).fontSize),
      height: el.getBoundingClientRect().height,
    }))
    expect(chip.font).toBeGreaterThanOrEqual(18)
    expect(chip.height).toBeGreaterThanOrEqual(44)
    const remove = page.locator('.submit-btn')
    expect((await remove.boundingBox())!.height).toBeGreaterThanOrEqual(44)
    await e2e.pageShot(page, 'dispute-new-elder')
    await page.evaluate(() => localStorage.removeItem('elderMode'))
  })
})
