import { launchApp, type MiniApp } from './harness'

// A separate file: a new visitor (no profile), so the app's cached session starts empty.
const PLACES: Record<string, Array<{ id: string; name: string; kind: string }>> = {
  '': [
    { id: 'c-cuihu', name: '翠湖社区', kind: 'community' },
    { id: 'c-jinqiao', name: '金桥社区', kind: 'community' },
  ],
  'c-cuihu': [
    { id: 'e-cuiyuan', name: '翠园小区', kind: 'estate' },
    { id: 'e-hupan', name: '湖畔花园', kind: 'estate' },
  ],
  'e-cuiyuan': [{ id: 'b-cy-1', name: '1栋', kind: 'building' }],
}

let mp: MiniApp

beforeAll(async () => {
  mp = await launchApp({
    backend: {
      'user.me': () => ({ openid: 'visitor-1', profile: null }),
      'user.places': (p: { parentId?: string }) => ({ items: PLACES[p.parentId ?? ''] ?? [] }),
      'inbox.unread': () => ({ count: 0 }),
    },
  })
})

describe('built weapp onboarding (dist/weapp), a new visitor', () => {
  it('home invites to complete the address', async () => {
    const page = await mp.openPage('pages/home/index')
    await page.waitForText('尚未选择社区')
    await page.tap('.home-onboard')
    await page.until(() => expect(mp.fake.callsOf('navigateTo')).toContainEqual(expect.objectContaining({ url: '/packages/onboarding/pages/index/index' })))
    page.close()
  })

  it('renders the form; tapping a community reveals the estate step', async () => {
    const page = await mp.openPage('packages/onboarding/pages/index/index')
    // The communities arrive from user.places after the first render.
    await page.waitForText(['完善住址', '翠湖社区', '金桥社区', '门牌号', '《用户隐私保护指引》', '完成入驻'])
    expect(page.query('.onb-level-estate')).toBeNull()
    // weapp: the WeChat phone button, waiting for the consent
    expect(page.text()).toContain('请先勾选下方隐私指引')

    await page.tap('.onb-option-community')
    await page.waitFor('.onb-level-estate')
    await page.waitForText(['翠园小区', '重新选择'])
    expect(mp.fake.backendCalls('user.places')).toEqual([{}, { parentId: 'c-cuihu' }])

    await page.tap('.onb-option-estate')
    await page.waitForText('1栋')
    expect(mp.fake.backendCalls('user.places').at(-1)).toEqual({ parentId: 'e-cuiyuan' })
    page.close()
  })

  it('an empty submit counts only the fields on screen and scrolls to the first', async () => {
    const page = await mp.openPage('packages/onboarding/pages/index/index')
    await page.waitForText(['翠湖社区', '完成入驻'])
    await page.tap('.onb-submit__button')
    await page.waitForText('有 2 处需要修改，请查看标红的提示')
    await page.until(() => expect(mp.fake.callsOf('pageScrollTo')).toContainEqual(expect.objectContaining({ selector: '.ui-field--invalid, .ui-form-error' })))
    expect(mp.fake.backendCalls('user.onboard')).toEqual([])
    page.close()
  })

  it('ticking the consent enables the WeChat phone button', async () => {
    const page = await mp.openPage('packages/onboarding/pages/index/index')
    await page.waitForText(['请先勾选下方隐私指引', '翠湖社区'])
    await page.tap('.consent-check')
    await page.until(() => expect(page.classOf('.consent-check')).toContain('ui-checkbox--on'))
    await page.waitForText('使用微信手机号')
    page.close()
  })

  it('the privacy guide renders', async () => {
    const page = await mp.openPage('packages/onboarding/pages/privacy/index')
    await page.waitForText(['用户隐私保护指引', 'OPENID', '138****1234', '请联系社区工作人员'])
    page.close()
  })
})
