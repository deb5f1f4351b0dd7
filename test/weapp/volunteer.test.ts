/**
 * The volunteer pages of the BUILT mini-program (dist/weapp) against the real local cloud (in
 * memory, fake clock): `wx.cloud.callFunction` is answered by the same function code, and the
 * weapp-only paths run — the camera scan for 签到 (wx.scanCode answers with the organiser's real
 * signed QR text), the screen kept on while the QR is shown.
 */
import { launchApp, type MiniApp } from './harness'
import { testCloud, type TestCloud } from '../support/cloud'
import { DEMO } from '../../cloudfunctions/src/local/seed'

const P = DEMO.people
let mp: MiniApp
let t: TestCloud
let who: string = P.volunteer
/** What the camera "reads" next. */
let scanned = ''

beforeAll(async () => {
  // Monday 2026-11-23 10:00 Shanghai; act-clean is Thursday 2026-11-26 09:00–11:00.
  t = await testCloud({ start: '2026-11-23T02:00:00Z' })
  mp = await launchApp({
    callFunction: (name, event) => t.cloud.call(name, event, who),
    apis: {
      scanCode: () => ({ result: scanned, scanType: 'QR_CODE' }),
      setKeepScreenOn: () => ({}),
    },
  })
})
afterAll(() => t.close())

describe('built weapp: volunteer pages', () => {
  it('the list shows the seeded activities with places, hours and points; 环境整治 keeps only 楼道清理', async () => {
    const page = await mp.openPage('packages/volunteer/pages/list/index')
    await page.waitForText(['翠园小区楼道清理', '关爱独居老人上门探访', '文明养犬劝导', '剩余 20 个名额', '2 小时 · 20 积分', '我的志愿'])
    await page.tap('.category-chip-1')
    await page.until(() => expect(page.queryAll('.vol-card')).toHaveLength(1))
    await page.waitForText('翠园小区楼道清理')
    expect(page.text()).not.toContain('文明养犬劝导')
    page.close()
  })

  it('sign up on the detail page: 已报名 and one place fewer', async () => {
    const page = await mp.openPage('packages/volunteer/pages/detail/index', { id: 'act-clean' })
    await page.waitForText(['翠园小区楼道清理', '剩余 20 个名额', '立即报名'])
    await page.tap('.vol-action--signUp')
    await page.waitForText(['已报名', '剩余 19 个名额', '取消报名'])
    expect(page.query('.vol-action--checkIn')).toBeNull() // days before the start
    page.close()
  })

  it('on the day, 扫码签到 scans the organiser’s QR and checks in', async () => {
    t.clock.set('2026-11-26T00:45:00Z') // 08:45
    scanned = (await t.ok(P.staff, 'volunteer', 'qr', { id: 'act-clean' })).token
    const page = await mp.openPage('packages/volunteer/pages/detail/index', { id: 'act-clean' })
    await page.waitForText(['扫码签到', '无法扫码？输入短码'])
    await page.tap('.vol-action--checkIn')
    await page.waitForText(['已签到', '11月26日 08:45'])
    expect(mp.fake.callsOf('scanCode')).toEqual([expect.objectContaining({ onlyFromCamera: true, scanType: ['qrCode'] })])
    page.close()
  })

  it('the organiser’s QR page shows the short code and keeps the screen on', async () => {
    who = P.staff
    try {
      const { code } = await t.ok(P.staff, 'volunteer', 'qr', { id: 'act-clean' })
      const page = await mp.openPage('packages/volunteer/pages/qr/index', { id: 'act-clean' })
      await page.waitForText(['翠园小区楼道清理', code, '每分钟自动更换'])
      await page.until(() => expect(mp.fake.callsOf('setKeepScreenOn')).toContainEqual(expect.objectContaining({ keepScreenOn: true })))
      page.close()
      await page.until(() => expect(mp.fake.callsOf('setKeepScreenOn').at(-1)).toEqual(expect.objectContaining({ keepScreenOn: false })))
    } finally {
      who = P.volunteer
    }
  })

  it('我的志愿 and the certificate page render for the volunteer', async () => {
    const page = await mp.openPage('packages/volunteer/pages/mine/index')
    await page.waitForText(['累计时长（小时）', '积分余额', '志愿服务证明', '即将参加', '翠园小区楼道清理'])
    page.close()
    const cert = await mp.openPage('packages/volunteer/pages/certificate/index')
    await cert.waitForText(['兹证明 陈静 同志在翠湖社区', '保存到相册', '分享给好友'])
    cert.close()
  })
})
