import { launchApp, type MiniApp } from './harness'

const ENTRY_TITLES = ['邻里纠纷', '场地预约', '志愿活动', '物业红黑榜', '居民留言']

let mp: MiniApp

beforeAll(async () => {
  mp = await launchApp()
})

describe('built weapp pages (dist/weapp)', () => {
  it('home renders the five service entries', async () => {
    const page = await mp.openPage('pages/home/index')
    const text = page.text()
    for (const title of ENTRY_TITLES) expect(text).toContain(title)
    for (const key of ['dispute', 'booking', 'volunteer', 'property', 'message']) {
      expect(page.query(`.entry-${key}`)).not.toBeNull()
    }
    page.close()
  })

  it('home: an entry whose feature is not built yet shows a toast instead of navigating', async () => {
    const page = await mp.openPage('pages/home/index')
    await page.tap('.entry-booking')
    expect(mp.fake.callsOf('showToast')).toEqual([expect.objectContaining({ title: '场地预约即将开放' })])
    expect(mp.fake.callsOf('navigateTo')).toEqual([])
    page.close()
  })

  it('messages: the empty notification centre says 暂无消息', async () => {
    const page = await mp.openPage('pages/messages/index')
    expect(page.text()).toContain('暂无消息')
    page.close()
  })

  it('mine: tapping the 长辈模式 switch turns the elder mode on and off', async () => {
    const page = await mp.openPage('pages/mine/index')
    expect(page.text()).toContain('长辈模式')
    expect(page.classOf('.page-root')).not.toMatch(/\belder\b/)

    await page.tap('.elder-switch')
    expect(page.classOf('.page-root')).toMatch(/\belder\b/)
    expect(page.classOf('.elder-switch')).toContain('ui-switch--on')
    expect(mp.fake.storage.get('elderMode')).toBe(true)

    await page.tap('.elder-switch')
    expect(page.classOf('.page-root')).not.toMatch(/\belder\b/)
    expect(mp.fake.storage.get('elderMode')).toBe(false)
    page.close()
  })
})
