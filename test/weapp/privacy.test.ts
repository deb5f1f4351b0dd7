/* eslint-disable @typescript-eslint/no-explicit-any -- j-component nodes are untyped */
/**
 * WeChat's privacy authorisation in the BUILT mini-program (issue 14): app.json turns the check on;
 * a privacy API waits for `wx.onNeedPrivacyAuthorization`, which shows our consent sheet; only the
 * sheet's `agreePrivacyAuthorization` button answers 同意; 拒绝 leaves the API unused.
 *
 * The fake WeChat below does what the base library does: `requirePrivacyAuthorize` succeeds at once
 * once agreed, otherwise asks the registered listener and fails on `disagree`.
 */
import fs from 'node:fs'
import path from 'node:path'
import { DIST_WEAPP, launchApp, type MiniApp } from './harness'
import { demoProfile } from '../support/dispute-fixtures'

type Resolve = (o: { event: string; buttonId?: string }) => void
let listener: ((resolve: Resolve, info: { referrer: string }) => void) | null = null
let agreed = false
const answers: Array<{ event: string; buttonId?: string }> = []

let mp: MiniApp
const profile = { ...demoProfile(), roles: ['resident', 'grid_worker'] as any, gridIds: ['g-cuihu-1'] }

beforeAll(async () => {
  mp = await launchApp({
    backend: {
      'user.me': () => ({ openid: profile.openid, profile }),
      'user.places': () => ({ items: [] }),
      'grid.settings': () => ({ visitDays: {}, matters: ['安全隐患', '环境卫生'], departmentDays: 3 }),
    },
    apis: {
      onNeedPrivacyAuthorization: (l: any) => {
        listener = l
        return {}
      },
      requirePrivacyAuthorize: () =>
        agreed
          ? {}
          : new Promise((ok, no) => {
              if (!listener) return no(new Error('no listener'))
              listener(
                (r) => {
                  answers.push(r)
                  if (r.event === 'agree') {
                    agreed = true
                    ok({})
                  } else if (r.event === 'disagree') no(new Error('privacy permission is not authorized'))
                },
                { referrer: 'requirePrivacyAuthorize' },
              )
            }),
      chooseMedia: () => ({ tempFiles: [], type: 'image' }),
    },
  })
})

beforeEach(() => {
  agreed = false
  answers.length = 0
})

/** WeChat's own event of the agree button (a plain tap is not an agreement). */
function agree(page: { comp: any }): void {
  page.comp.querySelector('.privacy-consent-agree').dispatchEvent('agreeprivacyauthorization')
}

describe('built weapp: consent before privacy APIs', () => {
  it('app.json turns WeChat’s privacy check on; the sheet’s 同意 is an agreePrivacyAuthorization button', () => {
    const app = JSON.parse(fs.readFileSync(path.join(DIST_WEAPP, 'app.json'), 'utf8'))
    expect(app.__usePrivacyCheck__).toBe(true)
    expect(fs.readFileSync(path.join(DIST_WEAPP, 'base.wxml'), 'utf8')).toContain('bindagreeprivacyauthorization')
  })

  it('photos: 拒绝 leaves the picker closed; WeChat’s agree event opens it', async () => {
    const page = await mp.openPage('packages/grid/pages/report/index')
    await page.waitFor('.photo-add')
    await page.tap('.photo-add')
    await page.waitForText('选择照片前，请您阅读并同意《用户隐私保护指引》')
    await page.tap('.privacy-consent-refuse')
    await page.until(() => expect(page.query('.privacy-consent')).toBeNull())
    expect(answers).toEqual([{ event: 'exposureAuthorization' }, { event: 'disagree' }])
    expect(mp.fake.callsOf('chooseMedia')).toHaveLength(0)
    expect(mp.fake.callsOf('showToast')).toContainEqual(expect.objectContaining({ title: '需要您同意《用户隐私保护指引》后才能选择照片' }))

    await page.tap('.photo-add')
    await page.waitFor('.privacy-consent')
    await page.tap('.privacy-consent-agree') // a tap alone is not WeChat's agreement
    expect(mp.fake.callsOf('chooseMedia')).toHaveLength(0)
    agree(page)
    await page.until(() => expect(mp.fake.callsOf('chooseMedia')).toHaveLength(1))
    expect(answers.slice(-1)).toEqual([{ event: 'agree', buttonId: 'privacy-agree' }])
    expect(page.query('.privacy-consent')).toBeNull()
    page.close()
  })

  it('phone: the 手机号 button stays off until the consent is ticked and WeChat’s authorisation agreed', async () => {
    const page = await mp.openPage('packages/onboarding/pages/profile/index')
    await page.waitFor('.phone-field__wechat')
    expect(page.classOf('.phone-field__wechat')).toContain('ui-btn--disabled')
    await page.tap('.consent-check')
    await page.waitForText('获取手机号前，请您阅读并同意《用户隐私保护指引》')
    await page.tap('.privacy-consent-refuse')
    await page.until(() => expect(page.query('.privacy-consent')).toBeNull())
    expect(page.classOf('.consent-check')).not.toContain('ui-checkbox--on')
    expect(page.classOf('.phone-field__wechat')).toContain('ui-btn--disabled')

    await page.tap('.consent-check')
    await page.waitFor('.privacy-consent')
    agree(page)
    await page.until(() => expect(page.classOf('.consent-check')).toContain('ui-checkbox--on'))
    expect(page.classOf('.phone-field__wechat')).not.toContain('ui-btn--disabled')
    page.close()
  })
})
