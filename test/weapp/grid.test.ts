/**
 * The 网格化管理 pages of the BUILT mini-program (dist/weapp) against the real local cloud (in
 * memory, fake clock) with the demo data and the demo activity (何桂英 tagged 独居老人 with an
 * overdue visit, a routed report and an unrouted one): what 张伟 sees on 网格工作 and on one
 * household, and a visit logged through the sheet.
 */
import { launchApp, type MiniApp } from './harness'
import { testCloud, type TestCloud } from '../support/cloud'
import { DEMO, seedDemoActivity } from '../../cloudfunctions/src/local/seed'

const P = DEMO.people
let mp: MiniApp
let t: TestCloud
let who: string = P.mediator1

beforeAll(async () => {
  // Monday 2026-11-23 10:00 Shanghai.
  t = await testCloud({ start: '2026-11-23T02:00:00Z' })
  await seedDemoActivity((openid, fn, action, payload) => t.cloud.call(fn, { action, payload }, openid), t.clock.now())
  mp = await launchApp({ callFunction: (name, event) => t.cloud.call(name, event, who) })
})
afterAll(() => t.close())

describe('built weapp: grid pages', () => {
  it('网格工作 shows 张伟’s grid with its counts and the links to 巡查上报 and 我的上报', async () => {
    const page = await mp.openPage('packages/grid/pages/home/index')
    await page.waitForText(['翠湖第一网格', '户数', '重点户', '已逾期', '近期待走访', '网格户籍', '巡查上报', '我的上报', '网格统计'])
    await page.until(() => expect(page.query('.grid-card--g-cuihu-1')).toBeTruthy())
    expect(page.text()).toContain('1 户逾期未走访')
    expect(page.text()).not.toContain('上报事项分流')
    page.close()
  })

  it('网格户籍 lists the grid’s households by 楼栋 and 单元, a page at a time, 重点户 on a tap', async () => {
    const page = await mp.openPage('packages/grid/pages/households/index', { gridId: 'g-cuihu-1' })
    await page.waitForText(['翠湖第一网格 · 共', '1栋', '1单元', '101 室', '1202 室', '孙丽', '2栋', '201 室', '何桂英', '独居老人', '没有更多了'])
    expect(page.text().indexOf('101 室')).toBeLessThan(page.text().indexOf('1202 室'))
    await page.tap('.filter-chip-1')
    await page.until(() => expect(page.text()).toContain('翠湖第一网格 · 共 1 户'))
    expect(page.text()).toContain('何桂英')
    expect(page.text()).not.toContain('孙丽')
    page.close()
  })

  it('the household page shows 何桂英, the tag with its reason, the overdue state and the seeded visit; 登记走访 adds one', async () => {
    const page = await mp.openPage('packages/grid/pages/household/index', { id: 'b-cy-2-u1:201' })
    await page.waitForText(['2栋 1单元 201', '何桂英', '138****1015', '独居老人', '独居，子女在外地，患高血压', '已逾期', '身体状况良好，血压药充足', '走访记录（1）', '登记走访'])
    await page.tap('.hh-visit-btn')
    await page.waitForText(['走访发现的情况', '保存走访记录'])
    const box = await page.until(() => page.comp.querySelector('.visit-found-input'))
    box.dispatchEvent('input', { detail: { value: '老人精神不错，已提醒按时服药。' } })
    await page.tap('.visit-submit')
    await page.waitForText(['走访记录（2）', '老人精神不错，已提醒按时服药。', '按期'])
    expect(await t.count('visits', { householdId: 'b-cy-2-u1:201' })).toBe(2)
    page.close()
  })

  it('the department contact sees the routed report on its detail page with 接收处置', async () => {
    who = P.department
    try {
      const queue = await t.ok(P.department, 'cases', 'queue', { kind: 'event' })
      const id = queue.items[0].id as string
      const page = await mp.openPage('packages/grid/pages/event/index', { id })
      await page.waitForText(['安全隐患上报', '2栋东侧消防通道', '翠湖街道城管中队', '接收处置'])
      page.close()
    } finally {
      who = P.mediator1
    }
  })
})
