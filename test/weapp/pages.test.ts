import fs from 'node:fs'
import path from 'node:path'
import { DIST_WEAPP, launchApp, type MiniApp } from './harness'

const ENTRY_TITLES = ['邻里纠纷', '场地预约', '志愿活动', '物业红黑榜', '居民留言']

/** 孙丽 of the demo data, as `user.me` answers; not yet verified. */
const profile = {
  openid: 'demo-res-sun',
  name: '孙丽',
  phoneMasked: '138****1008',
  roles: ['resident', 'volunteer'],
  verified: false,
  address: {
    street: { id: 'st-cuihu', kind: 'street', name: '翠湖街道' },
    community: { id: 'c-cuihu', kind: 'community', name: '翠湖社区' },
    estate: { id: 'e-cuiyuan', kind: 'estate', name: '翠园小区' },
    building: { id: 'b-cy-1', kind: 'building', name: '1栋' },
    unit: { id: 'b-cy-1-u1', kind: 'unit', name: '1单元' },
    room: '1202',
    gridName: '翠湖第一网格',
    text: '翠园小区 1栋 1单元 1202',
  },
  gridIds: [],
  partyUnit: null,
}

let mp: MiniApp

beforeAll(async () => {
  mp = await launchApp({
    backend: {
      'user.me': () => ({ openid: profile.openid, profile }),
      'inbox.unread': () => ({ count: 2 }),
      'inbox.list': () => ({ items: [], nextCursor: null }),
    },
  })
})

describe('built weapp pages (dist/weapp), an onboarded resident', () => {
  it('home renders my community, address, reminders and the five service entries', async () => {
    const page = await mp.openPage('pages/home/index')
    // The profile and the unread count arrive after the first render.
    await page.waitForText(['翠湖社区', '翠园小区 1栋 1单元 1202', '住址待认证', '您有 2 条未读消息', ...ENTRY_TITLES])
    for (const key of ['dispute', 'booking', 'volunteer', 'property', 'message']) {
      expect(page.query(`.entry-${key}`)).not.toBeNull()
    }
    // The unread count is on the 消息 tab.
    await page.until(() => expect(mp.fake.callsOf('setTabBarBadge')).toContainEqual(expect.objectContaining({ index: 2, text: '2' })))
    page.close()
  })

  it('home: each entry opens its feature page, or says it is not open yet', async () => {
    const app = JSON.parse(fs.readFileSync(path.join(DIST_WEAPP, 'app.json'), 'utf8')) as { subPackages: Array<{ root: string; pages: string[] }> }
    const pages = new Set(app.subPackages.flatMap((p) => p.pages.map((pg) => `/${p.root}/${pg}`)))
    const page = await mp.openPage('pages/home/index')
    const keys = ['dispute', 'booking', 'volunteer', 'property', 'message']
    for (const [i, key] of keys.entries()) {
      const nav = mp.fake.callsOf('navigateTo').length
      const toasts = mp.fake.callsOf('showToast').length
      await page.tap(`.entry-${key}`)
      // Each tap either navigates or says 即将开放.
      await page.until(() => mp.fake.callsOf('navigateTo').length > nav || mp.fake.callsOf('showToast').length > toasts)
      const opened = mp.fake.callsOf('navigateTo').slice(nav) as Array<{ url: string }>
      const said = mp.fake.callsOf('showToast').slice(toasts) as Array<{ title: string }>
      if (opened.length) expect(pages.has(opened[0].url.split('?')[0])).toBe(true)
      else expect(said).toEqual([expect.objectContaining({ title: `${ENTRY_TITLES[i]}即将开放` })])
    }
    page.close()
  })

  it('home: tapping the unread hint switches to the 消息 tab', async () => {
    const page = await mp.openPage('pages/home/index')
    await page.tap('.home-unread') // shown once the unread count has arrived
    await page.until(() => expect(mp.fake.callsOf('switchTab')).toContainEqual(expect.objectContaining({ url: '/pages/messages/index' })))
    page.close()
  })

  it('messages: an empty notification centre says 暂无消息', async () => {
    const page = await mp.openPage('pages/messages/index')
    await page.waitForText('暂无消息')
    expect(mp.fake.backendCalls('inbox.list')).toHaveLength(1)
    page.close()
  })

  it('mine: shows the profile and the 待认证 hint', async () => {
    const page = await mp.openPage('pages/mine/index')
    const text = await page.waitForText(['孙丽', '138****1008', '志愿者', '待认证', '请联系网格员认证或输入邀请码'])
    expect(text).not.toContain('工作台')
    expect(text).not.toContain('切换演示身份') // H5 only
    page.close()
  })

  it('mine: tapping the 长辈模式 switch turns the elder mode on and off', async () => {
    const page = await mp.openPage('pages/mine/index')
    await page.waitForText(['长辈模式', '孙丽'])
    expect(page.classOf('.page-root')).not.toMatch(/\belder\b/)

    await page.tap('.elder-switch')
    await page.until(() => expect(page.classOf('.page-root')).toMatch(/\belder\b/))
    await page.until(() => expect(page.classOf('.elder-switch')).toContain('ui-switch--on'))
    expect(mp.fake.storage.get('elderMode')).toBe(true)

    await page.tap('.elder-switch')
    await page.until(() => expect(page.classOf('.page-root')).not.toMatch(/\belder\b/))
    await page.until(() => expect(page.classOf('.elder-switch')).not.toContain('ui-switch--on'))
    expect(mp.fake.storage.get('elderMode')).toBe(false)
    page.close()
  })

  it('onboarding when already onboarded is 修改住址, prefilled', async () => {
    const page = await mp.openPage('packages/onboarding/pages/index/index')
    await page.waitForText(['修改住址', '翠湖社区', '1单元', '保存住址'])
    await page.until(() => expect(mp.fake.callsOf('setNavigationBarTitle')).toContainEqual(expect.objectContaining({ title: '修改住址' })))
    page.close()
  })
})
