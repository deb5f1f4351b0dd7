import fs from 'node:fs'
import path from 'node:path'
import { setupBrowser } from './harness'
import { startStaticServer } from './static-server'

// For now the built H5 app is served by a tiny static server; the real local server
// (API + static) replaces it when it lands.
const DIST_H5 = path.resolve(__dirname, '..', '..', 'dist', 'h5')
const ENTRY_TITLES = ['邻里纠纷', '场地预约', '志愿活动', '物业红黑榜', '居民留言']

const e2e = setupBrowser()
let baseUrl = ''

beforeAll(async () => {
  if (!fs.existsSync(path.join(DIST_H5, 'index.html'))) throw new Error('dist/h5 missing: run `npm run build:h5` first')
  const server = await startStaticServer(DIST_H5)
  e2e.onClose(() => server.close())
  baseUrl = server.url
})

describe('H5 app shell', () => {
  it('home shows the five service entries and the tab bar', async () => {
    const page = await e2e.newPage()
    const errors: string[] = []
    page.on('pageerror', (err) => errors.push(err.message))
    await page.goto(`${baseUrl}/#/pages/home/index`)
    await page.locator('.entry-dispute').waitFor()
    for (const title of ENTRY_TITLES) await expect(page.getByText(title, { exact: true }).count()).resolves.toBe(1)
    for (const tab of ['首页', '办事', '消息', '我的']) await expect(page.getByText(tab, { exact: true }).count()).resolves.toBeGreaterThan(0)
    await e2e.screenshot('home')
    expect(errors).toEqual([])
  })

  it('mine: the 长辈模式 switch enlarges the text', async () => {
    const page = await e2e.newPage()
    await page.goto(`${baseUrl}/#/pages/mine/index`)
    const root = page.locator('.page-root').first()
    await root.waitFor()
    const bodySize = () => root.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))
    const before = await bodySize()
    await page.locator('.elder-switch').click()
    await expect(root.getAttribute('class')).resolves.toMatch(/\belder\b/)
    const after = await bodySize()
    expect(after).toBeGreaterThan(before)
    expect(after).toBeGreaterThanOrEqual(18)
    await page.waitForTimeout(300) // let the switch's transition finish before the picture
    await e2e.screenshot('mine-elder')
    await page.locator('.elder-switch').click() // back off: pages share this browser's storage
    await expect(root.getAttribute('class')).resolves.not.toMatch(/\belder\b/)
  })

  it('services lists the entries; messages shows its empty state', async () => {
    const page = await e2e.newPage()
    await page.goto(`${baseUrl}/#/pages/services/index`)
    await page.locator('.entry-property').waitFor()
    await e2e.screenshot('services')
    await page.goto(`${baseUrl}/#/pages/messages/index`)
    await page.getByText('暂无消息').waitFor()
    await e2e.screenshot('messages')
  })
})
