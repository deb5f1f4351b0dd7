/**
 * The dispute pages of the BUILT mini-program (dist/weapp): Taro's runtime, our bundles and the
 * real gateway, with `wx.cloud.callFunction` answering envelopes from test data.
 */
import { launchApp, type MiniApp } from './harness'
import { BUILDINGS, UNITS, demoDetail, demoProfile } from '../support/dispute-fixtures'

let mp: MiniApp
const profile = demoProfile()

beforeAll(async () => {
  mp = await launchApp({
    callFunction: (name, event) => {
      const key = `${name}.${event.action}`
      switch (key) {
        case 'user.me':
          return { ok: true, data: { openid: profile.openid, profile } }
        case 'user.places':
          return { ok: true, data: { items: event.payload.parentId === 'e-cuiyuan' ? BUILDINGS : UNITS } }
        case 'cases.get':
          return { ok: true, data: demoDetail({ id: event.payload.id }) }
        default:
          return { ok: false, error: { code: 'NOT_FOUND', message: `no fake for ${key}` } }
      }
    },
  })
})

describe('built weapp: dispute pages', () => {
  it('the detail page renders the timeline and the resident’s 评价 button', async () => {
    const page = await mp.openPage('packages/dispute/pages/detail/index', { id: 'case-1' })
    await page.waitForText(['办理记录', '提交', '受理', '调解成功', '张伟 · 网格员', '已受理 → 已调解', '楼上住户承诺每晚 22:00 后不再施工'])
    expect(page.queryAll('.tl-item')).toHaveLength(3)
    expect(page.query('.case-action--rate')).not.toBeNull()
    expect(page.query('.case-action--accept')).toBeNull()
    const gets = mp.fake.callsOf('cloud.callFunction') as Array<{ name: string; data: { action: string; payload: unknown } }>
    expect(gets).toContainEqual(expect.objectContaining({ name: 'cases', data: expect.objectContaining({ action: 'get', payload: { id: 'case-1' } }) }))
    page.close()
  })

  it('the new page: tapping a category chip selects it', async () => {
    const page = await mp.openPage('packages/dispute/pages/new/index')
    await page.waitForText('纠纷类型')
    await page.until(() => expect(page.queryAll('.category-chip')).toHaveLength(8))
    expect(page.classOf('.category-chip-2')).not.toContain('chip--on')

    await page.tap('.category-chip-2')
    await page.until(() => expect(page.classOf('.category-chip-2')).toContain('chip--on'))
    expect(page.queryAll('.chip--on').map((el) => el.textContent?.trim())).toEqual(['停车', '一般'])
    page.close()
  })
})
