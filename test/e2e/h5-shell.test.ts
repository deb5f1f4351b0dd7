import { poll, settled, setupBrowser } from './harness'
import { startAppServer, type AppServer } from './app-server'

// The built H5 app served by the real local cloud (API + dev sign-in + dist/h5) with demo data.
const ENTRY_TITLES = ['邻里纠纷', '场地预约', '志愿活动', '物业红黑榜', '居民留言']

const e2e = setupBrowser()
let app: AppServer

beforeAll(async () => {
  app = await startAppServer()
  e2e.onClose(() => app.close())
})

describe('H5 app shell', () => {
  it('home shows my community, the five service entries and the tab bar', async () => {
    const page = await e2e.newPage()
    const errors: string[] = []
    page.on('pageerror', (err) => errors.push(err.message))
    await page.goto(app.signInUrl('demo-res-sun')) // 孙丽, a verified resident
    await page.locator('.entry-dispute').waitFor()
    await page.getByText('翠园小区 1栋 1单元 1202').waitFor()
    await poll(() => page.locator('.home-header__community').textContent()).toBe('翠湖社区')
    // Each entry once in the service grid (社区动态 below it may name a feature again).
    const grid = page.locator('.entry-grid')
    for (const title of ENTRY_TITLES) await poll(() => grid.getByText(title, { exact: true }).count()).toBe(1)
    for (const tab of ['首页', '办事', '消息', '我的']) await poll(() => page.getByText(tab, { exact: true }).count()).toBeGreaterThan(0)
    await e2e.screenshot('home')
    expect(errors).toEqual([])
  })

  it('mine: the 长辈模式 switch enlarges the text', async () => {
    const page = await e2e.newPage()
    await page.goto(`${app.url}/#/pages/mine/index`)
    const root = page.locator('.page-root').first()
    await root.waitFor()
    await page.getByText('孙丽').waitFor()
    const bodySize = () => root.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))
    const before = await bodySize()
    await page.locator('.elder-switch').click()
    await poll(() => root.getAttribute('class')).toMatch(/\belder\b/)
    const after = await bodySize()
    expect(after).toBeGreaterThan(before)
    expect(after).toBeGreaterThanOrEqual(18)
    await settled(page) // the switch's transition has finished before the picture
    await e2e.screenshot('mine-elder')
    await page.locator('.elder-switch').click() // back off: pages share this browser's storage
    await poll(() => root.getAttribute('class')).not.toMatch(/\belder\b/)
  })

  it('services lists the entries; messages shows its empty state', async () => {
    const page = await e2e.newPage()
    await page.goto(`${app.url}/#/pages/services/index`)
    await page.locator('.entry-property').waitFor()
    await e2e.screenshot('services')
    await page.goto(`${app.url}/#/pages/messages/index`)
    await page.getByText('暂无消息').waitFor()
    await e2e.screenshot('messages')
  })
})
