/**
 * 统计与台账 end to end: the H5 build in Debian chromium against the REAL local cloud (demo data).
 *
 * The month is made through the functions first (the server's clock is moved to the morning of the
 * 1st and back): a room used (checked in) and one 爽约, a dispute resolved and rated, a message
 * answered. Then 李秀梅 (staff) opens 统计与台账 from 我的, sees the charts (bars per room, the
 * line per hour, the 三率), switches to 按网格, and downloads the month's 工作台账 through its link;
 * the file is a real .xlsx with one sheet per feature.
 */
import fs from 'node:fs'
import readXlsxFile from 'read-excel-file/node'
import type { Page } from 'playwright-core'
import { poll, setupBrowser } from './harness'
import { OffsetClock, startAppServer, type AppServer } from './app-server'
import { DEMO } from '../../cloudfunctions/src/local/seed'
import { businessDate } from '../../src/shared/time'

const e2e = setupBrowser()
let app: AppServer
const P = DEMO.people

/** The server's clock, set anywhere (OffsetClock only moves forward). */
class SettableClock extends OffsetClock {
  private shift = 0
  now = (): Date => new Date(Date.now() + this.shift)
  set(t: string | Date): void {
    this.shift = new Date(t).getTime() - Date.now()
  }
}

async function api<T>(openid: string, fn: string, action: string, payload: unknown): Promise<T> {
  const res = await fetch(`${app.url}/api/${fn}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-dev-openid': openid }, body: JSON.stringify({ action, payload }) })
  const env = (await res.json()) as { ok: boolean; data?: T; error?: unknown }
  if (!env.ok) throw new Error(`${fn}.${action}: ${JSON.stringify(env.error)}`)
  return env.data as T
}
type Ref = { id: string; version: number }
const ref = (c: Ref) => ({ id: c.id, version: c.version })

beforeAll(async () => {
  const clock = new SettableClock()
  const first = `${businessDate(new Date()).slice(0, 7)}-01`
  clock.set(`${first}T07:00:00+08:00`)
  app = await startAppServer({ clock })
  e2e.onClose(() => app.close())
  const book = (who: string, roomId: string, startSlot: string, slotCount: number, contactName: string) =>
    api<Ref & { checkCode: string | null }>(who, 'booking', 'book', { roomId, date: first, startSlot, slotCount, purpose: '楼栋议事会', attendees: 8, contactName, contactPhone: '13800001008' })
  const used = await book(P.resident, 'room-shuhua', '10:00', 2, '孙丽')
  const missed = await book(P.resident2, 'room-duogong', '10:00', 4, '吴敏')
  await api(P.staff, 'booking', 'approve', ref(missed))
  clock.set(`${first}T09:50:00+08:00`)
  await api(P.resident, 'booking', 'checkIn', ref(await api<Ref>(P.resident, 'booking', 'get', { id: used.id })))
  // 11:00: the job releases the 爽约 and settles the month's room figures.
  clock.set(`${first}T11:00:00+08:00`)
  const tick = await app.cloud.runTimer('booking', 'tick')
  if (!tick.ok) throw new Error(JSON.stringify(tick.error))

  let d = await api<Ref>(P.resident, 'cases', 'submit', { kind: 'dispute', category: '噪音', description: '楼上每晚十一点后拖动家具。', location: { buildingId: 'b-cy-1', unitId: 'b-cy-1-u1' } })
  d = await api(P.mediator1, 'cases', 'accept', ref(d))
  d = await api(P.mediator1, 'cases', 'resolve', { ...ref(d), agreement: '晚十点后不再拖动家具。' })
  await api(P.resident, 'cases', 'rate', { ...ref(d), satisfaction: 'satisfied' })
  await api(P.resident2, 'cases', 'submit', { kind: 'dispute', category: '漏水', description: '卫生间天花板渗水。', location: { buildingId: 'b-cy-3', unitId: 'b-cy-3-u2' } })
  const m = await api<Ref>(P.resident2, 'cases', 'write', { category: '建议', text: '建议增设电动自行车充电桩。' })
  await api(P.mediator2, 'cases', 'reply', { ...ref(m), text: '感谢建议，已联系物业。' })
  clock.set(new Date())
})

function watchErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('pageerror', (err) => errors.push(err.message))
  return errors
}
const top = (page: Page) => page.locator('.taro_page_show.taro_page_stationed').last()

describe('统计与台账 (H5 + local cloud)', () => {
  it('李秀梅 opens the statistics from 我的, sees the charts and downloads the month’s 工作台账', async () => {
    const page = await e2e.newPage()
    const errors = watchErrors(page)
    await app.openAs(page, P.staff, '/pages/mine/index')
    await top(page).locator('.mine-stats').click()
    const body = top(page)
    await poll(() => body.locator('.st-title').textContent()).toBe('翠湖社区')
    // The 三率 of disputes, the rooms as bars, the hours as a line.
    await poll(() => body.locator('.st-section--dispute-tiles .st-tile--received .st-tile__value').textContent()).toBe('2')
    await poll(() => body.locator('.st-section--dispute-tiles .st-tile--satisfaction .st-tile__value').textContent()).toBe('100%')
    await poll(() => body.locator('.st-section--booking-tiles .st-tile--noShowRate .st-tile__value').textContent()).toBe('50%')
    const rooms = body.locator('.st-section--booking-room .st-bar')
    await poll(() => rooms.count()).toBe(3)
    const widths = await body.locator('.st-section--booking-room .st-bar__fill').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width))
    expect(widths.filter((w) => w > 0)).toHaveLength(1)
    await poll(() => body.locator('.st-section--booking-hour .st-line__segment').count()).toBeGreaterThan(3)
    await e2e.pageShot(page, 'stats-community')

    await body.locator('.st-tabs-grid').click()
    await poll(() => body.locator('.st-section--dispute-byGrid .st-bar__label').allTextContents()).toEqual(['翠湖第一网格', '翠湖第二网格', '翠湖第三网格'])
    await e2e.pageShot(page, 'stats-grid')

    // 工作台账: generated in cloud storage, linked, downloaded.
    await body.locator('.st-ledger-btn').click()
    const link = body.locator('a.st-ledger__link')
    await link.waitFor()
    // A tap where the link is drawn (Playwright's own click reports Taro's pull-to-refresh wrapper
    // as covering a plain <a>, although the point hits the link: elementFromPoint says so).
    await link.scrollIntoViewIfNeeded()
    const box = (await link.boundingBox())!
    const [download] = await Promise.all([page.waitForEvent('download'), page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)])
    expect(download.suggestedFilename()).toMatch(/^翠湖社区_\d{4}年\d{1,2}月_工作台账\.xlsx$/)
    const file = await download.path()
    const sheets = await readXlsxFile(fs.readFileSync(file))
    expect(sheets.map((s) => s.sheet)).toEqual(['邻里纠纷', '居民留言', '场地预约', '志愿服务', '物业评价'])
    expect(errors).toEqual([])
    await page.close()
  })
})
