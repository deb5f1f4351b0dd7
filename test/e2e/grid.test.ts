/**
 * 网格化管理 end to end: the H5 build in Debian chromium against the REAL local cloud (demo data).
 *
 * 1. 张伟 (grid worker, 翠湖第一网格) opens 网格工作 from 办事, goes to 待走访, finds 何桂英's
 *    household (tagged 独居老人 in the setup, last visited 16 days ago: overdue) and logs a visit;
 *    the household is back on schedule.
 * 2. 张伟 files a patrol report (安全隐患) with a photo.
 * 3. 李秀梅 (staff) opens it and 分流转办 it to 翠湖街道城管中队 with a 3-day deadline.
 * 4. 马强 (the 城管中队's contact) accepts it and finishes it (处置完毕) with the result.
 * 5. 张伟 sees his report 已办结 with the department's result on the timeline.
 */
import path from 'node:path'
import type { Page } from 'playwright-core'
import { poll, setupBrowser } from './harness'
import { startAppServer, type AppServer } from './app-server'
import { expectStatus, timelineLabels } from './case-pages'
import { DEMO } from '../../cloudfunctions/src/local/seed'

const e2e = setupBrowser()
let app: AppServer
const P = DEMO.people
const PHOTO = path.resolve(__dirname, '..', '..', 'src', 'assets', 'tab', 'home-active.png')
const ELDER = 'b-cy-2-u1:201'
const DESCRIPTION = '2栋东侧消防通道被三辆电动车和纸箱堵住，已口头提醒，仍未清理。'
const RESULT = '已联系车主移走电动车，纸箱已清运，通道畅通。'
let eventId = ''

async function api<T>(openid: string, fn: string, action: string, payload: unknown): Promise<T> {
  const res = await fetch(`${app.url}/api/${fn}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-dev-openid': openid }, body: JSON.stringify({ action, payload }) })
  const env = (await res.json()) as { ok: boolean; data?: T; error?: unknown }
  if (!env.ok) throw new Error(`${fn}.${action}: ${JSON.stringify(env.error)}`)
  return env.data as T
}

beforeAll(async () => {
  app = await startAppServer()
  e2e.onClose(() => app.close())
  // The setup seedDemoActivity does for `npm start`: 何桂英 tagged 独居老人, last visited 16 days ago.
  await api(P.mediator1, 'grid', 'tag', { id: ELDER, tag: '独居老人', on: true, reason: '独居，子女在外地，患高血压' })
  await api(P.mediator1, 'grid', 'visit', { id: ELDER, at: new Date(Date.now() - 16 * 24 * 3600_000).toISOString(), found: '身体状况良好。' })
})

function watchErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('pageerror', (err) => errors.push(err.message))
  return errors
}
const top = (page: Page) => page.locator('.taro_page_show.taro_page_stationed').last()

describe('网格化管理 (H5 + local cloud)', () => {
  it('张伟 visits an overdue 独居老人 household and files a patrol report with a photo', async () => {
    const page = await e2e.newPage()
    const errors = watchErrors(page)
    await page.goto(app.signInUrl(P.mediator1))
    await page.goto(`${app.url}/#/pages/services/index`)
    await top(page).getByText('网格工作').first().click()
    await poll(() => top(page).locator('.grid-figure--overdue .grid-figure__value').first().textContent()).toBe('1')
    await e2e.pageShot(page, 'grid-home')
    await top(page).locator('.grid-go-due').first().click()
    const row = top(page).getByText('何桂英').first()
    await row.waitFor()
    await e2e.pageShot(page, 'grid-due')
    await row.click()
    await poll(() => top(page).locator('.hh-tagdetail__reason').first().textContent()).toContain('独居')
    await poll(() => top(page).locator('.hh-head__state').textContent()).toContain('逾期')
    await top(page).locator('.hh-visit-btn').click()
    await page.locator('.visit-sheet .visit-found-input textarea').fill('老人精神不错，燃气阀门老化，已提醒物业更换。')
    await page.locator('.visit-sheet .visit-submit').click()
    await poll(() => top(page).locator('.hh-visit__found').first().textContent()).toContain('燃气阀门老化')
    await poll(() => top(page).locator('.hh-head__state').textContent()).not.toContain('逾期')
    await e2e.pageShot(page, 'grid-household-visited')
    const h = await api<{ visitState: string; visits: unknown[] }>(P.mediator1, 'grid', 'household', { id: ELDER })
    expect(h.visitState).toBe('ok')
    expect(h.visits).toHaveLength(2)

    // The patrol report, with a photo.
    await page.goto(`${app.url}/#/packages/grid/pages/report/index`)
    await top(page).locator('.category-chip', { hasText: '安全隐患' }).click()
    // The building: the picker opens on the estate's first building (1栋… here 1栋 of 翠园小区); 确定 takes it.
    await top(page).locator('.building-picker').click()
    await page.locator('.weui-picker__action:visible', { hasText: '确定' }).click()
    await poll(() => top(page).locator('.building-picker').textContent()).toContain('栋')
    await top(page).locator('.description-input textarea').fill(DESCRIPTION)
    // The browser's first photo asks for consent to the privacy guide (issue 14): 同意 opens the picker.
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      top(page).locator('.photo-add').click().then(() => top(page).locator('.privacy-consent-agree').click()),
    ])
    await chooser.setFiles(PHOTO)
    await top(page).locator('.photo--done').waitFor()
    await e2e.pageShot(page, 'grid-report')
    await top(page).locator('.submit-btn').click()
    await expectStatus(page, '待分派')
    eventId = new URL(page.url().replace('#', '')).searchParams.get('id') ?? ''
    expect(eventId).not.toBe('')
    await poll(() => top(page).locator('.case-photo').count()).toBe(1)
    expect(errors).toEqual([])
    await page.close()
  })

  it('李秀梅 routes it to 城管中队; 马强 accepts and finishes it; 张伟 sees it closed', async () => {
    const page = await e2e.newPage()
    const errors = watchErrors(page)
    await app.openAs(page, P.staff, `/packages/grid/pages/event/index?id=${eventId}`)
    await expectStatus(page, '待分派')
    await top(page).locator('.case-action--route').click()
    await page.locator('.dept-sheet').getByText('翠湖街道城管中队').first().click()
    await page.locator('.dept-sheet .dept-note-input textarea').fill('请城管中队协调清理消防通道')
    await e2e.pageShot(page, 'grid-route-sheet')
    await page.locator('.dept-sheet .sheet-confirm').click()
    await expectStatus(page, '待接收')
    await poll(() => top(page).locator('.event-handling').textContent()).toContain('翠湖街道城管中队')

    await app.openAs(page, P.department, '/packages/grid/pages/events/index')
    const card = top(page).locator('.case-card', { hasText: '消防通道' })
    await card.waitFor()
    await card.click()
    await top(page).locator('.case-action--accept').click()
    await expectStatus(page, '已受理')
    await top(page).locator('.case-action--resolve').click()
    await page.locator('.sheet-textarea textarea').fill(RESULT)
    await page.locator('.sheet-confirm').click()
    await expectStatus(page, '已办结')

    await app.openAs(page, P.mediator1, `/packages/grid/pages/event/index?id=${eventId}`)
    await expectStatus(page, '已办结')
    await poll(() => timelineLabels(page)).toEqual(['处置完毕', '受理', '分流转办', '巡查上报'])
    await poll(() => top(page).locator('.case-result').textContent()).toContain(RESULT)
    await e2e.pageShot(page, 'grid-event-closed')
    expect(errors).toEqual([])
    await page.close()
  })
})
