/**
 * The property pages (物业红黑榜) of the BUILT mini-program (dist/weapp) against the real local
 * cloud (in memory, fake clock, demo data: 2026Q2 and 2026Q3 published in 翠湖社区).
 */
import { launchApp, type MiniApp } from './harness'
import { testCloud, type TestCloud } from '../support/cloud'
import { DEMO } from '../../cloudfunctions/src/local/seed'

const P = DEMO.people
let mp: MiniApp
let t: TestCloud

beforeAll(async () => {
  // Monday 2026-11-23 10:00 Shanghai: 2026Q4 is open for ratings.
  t = await testCloud({ start: '2026-11-23T02:00:00Z' })
  mp = await launchApp({ callFunction: (name, event) => t.cloud.call(name, event, P.resident) })
})
afterAll(() => t.close())

describe('built weapp: property pages', () => {
  it('the board shows the latest published quarter’s lists, the formula and 评价我家物业', async () => {
    const page = await mp.openPage('packages/property/pages/board/index')
    await page.waitForText(['翠湖社区 物业服务红黑榜', '2026年第三季度', '红榜', '黑榜', '全部排名', '计分规则', '评价我家物业', '安居物业服务有限公司'])
    expect(page.queryAll('.pm-board-row').length).toBeGreaterThan(0)
    await page.tap('.pm-tab--ranking')
    await page.until(() => expect(page.queryAll('.pm-board-row')).toHaveLength(2))
    await page.waitForText('锦华物业管理有限公司')
    expect(page.query('.pm-link--close')).toBeNull() // a resident
    page.close()
  })

  it('the rate page: six dimensions of stars; a full rating is sent and saved', async () => {
    const page = await mp.openPage('packages/property/pages/rate/index')
    await page.waitForText(['安居物业服务有限公司', '2026年第四季度服务评价', '安保', '保洁', '维修', '绿化', '服务态度', '收费透明', '评语（选填）', '还有 6 项未选'])
    for (const d of ['security', 'cleaning', 'repair', 'greening', 'attitude', 'fees']) {
      await page.tap(`.pm-stars--${d} .pm-star-4`)
      await page.until(() => expect(page.queryAll(`.pm-stars--${d} .pm-star--on`)).toHaveLength(4))
    }
    await page.waitForText('提交评价')
    await page.tap('.pm-rate-submit')
    await page.until(() => expect(mp.fake.callsOf('showToast')).toContainEqual(expect.objectContaining({ title: '评价已提交' })))
    const saved = await t.ok<{ rating: { stars: Record<string, number> } | null }>(P.resident, 'property', 'mine', {})
    expect(saved.rating?.stars).toEqual({ security: 4, cleaning: 4, repair: 4, greening: 4, attitude: 4, fees: 4 })
    page.close()
  })
})
