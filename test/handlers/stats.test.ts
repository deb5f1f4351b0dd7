/**
 * 统计与台账 (issue 15), through the function runtime on the local cloud with a fake clock:
 * a scripted month across the features (disputes and messages through their states, bookings
 * checked in, verified and 爽约, a volunteer activity signed up, checked in and credited, property
 * ratings and an edit), after which every counter the statistics read equals a from-scratch count
 * over the raw records; the month's figures; the 工作台账 .xlsx read back by a real parser; and who
 * may see what.
 */
import readXlsxFile, { readSheet } from 'read-excel-file/node'
import { testCloud, type TestCloud } from '../support/cloud'
import { DEMO } from '../../cloudfunctions/src/local/seed'
import { statsId } from '../../cloudfunctions/src/handlers/cases/stats'
import { bookingStatsId } from '../../cloudfunctions/src/handlers/booking/figures'
import { recountBookings, recountMonth, recountRatingSums, recountVolunteerBoard } from '../../cloudfunctions/src/handlers/stats/recount'
import type { MonthStatsT, LedgerOutT } from '../../src/shared/api/stats'
import type { CaseDetailT } from '../../src/shared/api/cases'
import type { BookingDetailT } from '../../src/shared/api/booking'

const P = DEMO.people
const CUIHU = DEMO.communities.cuihu
const MONTH = '2026-11'
let t: TestCloud

type Ref = { id: string; version: number }
const ref = (c: Ref) => ({ id: c.id, version: c.version })
const at = (local: string) => t.clock.set(`${local}+08:00`)

/** Drop zero counters and the empty objects they leave (a counter moved up and back down stays 0 where a recount has nothing). */
function tidy(v: unknown): unknown {
  if (typeof v === 'number') return Math.round(v * 1e6) / 1e6
  if (!v || typeof v !== 'object' || v instanceof Date) return v
  const out: Record<string, unknown> = {}
  for (const [k, x] of Object.entries(v)) {
    const y = tidy(x)
    if (y === 0 || (y && typeof y === 'object' && !(y instanceof Date) && Object.keys(y).length === 0)) continue
    out[k] = y
  }
  return out
}
const pick = (doc: Record<string, unknown> | null, keys: string[]) => tidy(Object.fromEntries(keys.map((k) => [k, doc?.[k] ?? {}])))
const stored = (collection: string, id: string) =>
  t.cloud.db
    .collection<Record<string, unknown>>(collection)
    .doc(id)
    .get()
    .then((r) => r.data)
    .catch(() => null)

beforeAll(async () => {
  // Monday 2026-11-02 10:00 Shanghai; the seeded activities are 3, 5 and 8 days ahead.
  t = await testCloud({ start: '2026-11-02T02:00:00Z' })

  // ---- 邻里纠纷: resolved and rated, failed, waiting.
  let d1 = await t.ok<CaseDetailT>(P.resident, 'cases', 'submit', { kind: 'dispute', category: '噪音', description: '楼上每晚十一点后拖动家具。', location: { buildingId: 'b-cy-1', unitId: 'b-cy-1-u1' } })
  d1 = await t.ok(P.mediator1, 'cases', 'accept', ref(d1))
  d1 = await t.ok(P.mediator1, 'cases', 'start', ref(d1))
  d1 = await t.ok(P.mediator1, 'cases', 'resolve', { ...ref(d1), agreement: '晚十点后不再拖动家具。' })
  await t.ok(P.resident, 'cases', 'rate', { ...ref(d1), satisfaction: 'satisfied' })
  let d2 = await t.ok<CaseDetailT>(P.resident2, 'cases', 'submit', { kind: 'dispute', category: '漏水', description: '卫生间天花板渗水。', location: { buildingId: 'b-cy-3', unitId: 'b-cy-3-u2' } })
  d2 = await t.ok(P.mediator2, 'cases', 'accept', ref(d2))
  await t.ok(P.mediator2, 'cases', 'fail', { ...ref(d2), reason: '双方无法达成一致' })
  await t.ok(P.party, 'cases', 'submit', { kind: 'dispute', category: '停车', description: '消防通道被占。', location: { buildingId: 'b-cy-2' }, urgency: 'urgent' })

  // ---- 居民留言: answered on time and resolved (rated later by default), answered late and rated 基本满意.
  let m1 = await t.ok<CaseDetailT>(P.resident2, 'cases', 'write', { category: '建议', text: '建议增设电动自行车充电桩。' })
  m1 = await t.ok(P.mediator2, 'cases', 'reply', { ...ref(m1), text: '感谢建议，已联系物业。' })
  await t.ok(P.mediator2, 'cases', 'resolve', { ...ref(m1), agreement: '下月安装充电口。' })
  const m2 = await t.ok<CaseDetailT>(P.resident, 'cases', 'write', { category: '报修', text: '楼道灯坏了三天。' })

  // ---- 物业: two households rate 安居物业, one edits its rating.
  const stars = (n: number) => ({ security: n, cleaning: n, repair: n, greening: n, attitude: n, fees: n })
  await t.ok(P.resident, 'property', 'rate', { companyId: 'pc-anju', stars: stars(4) })
  await t.ok(P.resident2, 'property', 'rate', { companyId: 'pc-anju', stars: stars(5) })
  await t.ok(P.resident, 'property', 'rate', { companyId: 'pc-anju', stars: stars(3), comment: '维修要等很久。' })

  // ---- 志愿服务: two sign up for 翠园小区楼道清理 (11-05 09:00–11:00), one comes.
  await t.ok(P.resident, 'volunteer', 'signUp', { id: 'act-clean' })
  await t.ok(P.resident2, 'volunteer', 'signUp', { id: 'act-clean' })
  await t.ok(P.staff, 'volunteer', 'bonus', { openid: P.party, points: 10, reason: '协助整理活动物资' })

  // ---- 场地预约 on Wednesday 11-04: used (self check-in), 爽约, verified by staff, cancelled.
  const book = (who: string, roomId: string, date: string, startSlot: string, slotCount: number) =>
    t.ok<BookingDetailT>(who, 'booking', 'book', { roomId, date, startSlot, slotCount, purpose: '楼栋议事', attendees: 8, contactName: '联系人', contactPhone: '13800001008' })
  const b1 = await book(P.resident, 'room-huiyi', '2026-11-04', '09:00', 4)
  await book(P.resident2, 'room-shuhua', '2026-11-04', '10:00', 2)
  const b3 = await book(P.party, 'room-duogong', '2026-11-04', '10:00', 4)
  await t.ok(P.staff, 'booking', 'approve', ref(b3))
  const b4 = await book(P.resident2, 'room-shuhua', '2026-11-05', '14:00', 2)
  await t.ok(P.resident2, 'booking', 'cancel', { ...ref(b4), reason: '改期' })

  // 11-03 16:00: the late first reply to 孙丽's message (30 h after it came: not in time).
  at('2026-11-03T16:00:00')
  let m2r = await t.ok<CaseDetailT>(P.mediator1, 'cases', 'reply', { ...ref(m2), text: '已报修，明天更换。' })
  m2r = await t.ok(P.mediator1, 'cases', 'resolve', { ...ref(m2r), agreement: '已更换灯泡。' })
  await t.ok(P.resident, 'cases', 'rate', { ...ref(m2r), satisfaction: 'basically' })

  at('2026-11-04T08:50:00')
  await t.ok(P.resident, 'booking', 'checkIn', ref(await t.ok<BookingDetailT>(P.resident, 'booking', 'get', { id: b1.id })))
  at('2026-11-04T09:55:00')
  const b3now = await t.ok<BookingDetailT>(P.party, 'booking', 'get', { id: b3.id })
  await t.ok(P.staff, 'booking', 'verify', { code: b3now.checkCode, bookingId: b3.id })
  // 10:20: the job releases 吴敏's 10:00 booking as 爽约 (and settles the check-ins' figures).
  at('2026-11-04T10:20:00')
  expect((await t.cloud.runTimer('booking', 'tick')).ok).toBe(true)

  // 11-05: 孙丽 checks in and out of the activity with the organiser's QR; 吴敏 does not come.
  at('2026-11-05T08:45:00')
  const qin = await t.ok(P.staff, 'volunteer', 'qr', { id: 'act-clean' })
  await t.ok(P.resident, 'volunteer', 'check', { mode: 'in', token: qin.token })
  at('2026-11-05T11:00:00')
  const qout = await t.ok(P.staff, 'volunteer', 'qr', { id: 'act-clean' })
  await t.ok(P.resident, 'volunteer', 'check', { mode: 'out', token: qout.token })

  // 11-20: every job has run (credits, 默认满意, completions, effects left for it).
  at('2026-11-20T10:00:00')
  for (const fn of ['cases', 'booking', 'volunteer', 'property']) expect((await t.cloud.runTimer(fn, 'tick')).ok).toBe(true)
}, 120_000)
afterAll(() => t.close())

describe('the counters equal a from-scratch count over the records', () => {
  const reader = () => ({ db: t.cloud.db, _: t.cloud.db.command })

  it('cases (case engine), rooms, volunteers and property sums', async () => {
    for (const kind of ['dispute', 'message']) {
      const doc = await stored('case_stats', statsId(kind, CUIHU, MONTH))
      const keys = ['total', 'cat', 'grid', 'staff']
      expect(pick(doc, keys)).toEqual(pick((await recountMonth(reader(), kind, CUIHU, MONTH)) as unknown as Record<string, unknown>, keys))
    }
    const rooms = await stored('booking_stats', bookingStatsId(CUIHU, MONTH))
    const recounted = await recountBookings(reader(), CUIHU, MONTH)
    expect(pick(rooms, ['total', 'room'])).toEqual(pick(recounted, ['total', 'room']))
    expect(recounted.total).toMatchObject({ used: 2, noShow: 1, minutes: 240 })

    const board = await stored('volunteer_totals', `board:${CUIHU}:${MONTH}`)
    const fromLedger = await recountVolunteerBoard(reader(), CUIHU, MONTH)
    expect(pick(board, ['people', 'cat'])).toEqual(pick(fromLedger, ['people', 'cat']))
    expect(fromLedger.cat).toEqual({ 环境整治: { hours: 2, credits: 1 } })

    const sums = await stored('rating_sums', `${CUIHU}:pc-anju:2026Q4`)
    const fromRatings = await recountRatingSums(reader(), CUIHU, 'pc-anju', '2026Q4')
    expect({ n: sums?.n, sums: sums?.sums }).toEqual(fromRatings)
    expect(fromRatings.n).toBe(2)
  })
})

describe('stats.month', () => {
  it('staff see their community: 三率, room use by room and hour, volunteers, property scores', async () => {
    const s = await t.ok<MonthStatsT>(P.staff, 'stats', 'month', { month: MONTH })
    expect(s).toMatchObject({ scope: 'community', title: '翠湖社区', tabs: ['community', 'grid', 'category', 'staff'] })
    const [disputes, messages] = s.cases
    expect(disputes.total).toMatchObject({ received: 3, accepted: 2, acceptedOnTime: 2, resolved: 1, failed: 1, rated: 1, satisfied: 1, onTimeRate: 100, successRate: 50, satisfactionRate: 100 })
    expect(disputes.byGrid.map((r) => [r.name, r.received])).toEqual([['翠湖第一网格', 2], ['翠湖第二网格', 1], ['翠湖第三网格', 0]])
    expect(disputes.byCategory.find((r) => r.key === '漏水')).toMatchObject({ received: 1, failed: 1 })
    expect(disputes.byStaff.map((r) => r.name).sort()).toEqual(['刘芳', '张伟'])
    // 孙丽's message was answered 30 h after it came; both were rated (one by default).
    expect(messages.total).toMatchObject({ received: 2, accepted: 2, acceptedOnTime: 1, onTimeRate: 50, resolved: 2, successRate: 100, rated: 2, satisfied: 2 })

    const b = s.booking!
    expect(b.total).toMatchObject({ used: 2, noShow: 1, usedMinutes: 240, noShowRate: 33.3 })
    expect(b.byRoom.map((r) => [r.name, r.used, r.noShow])).toEqual([['多功能活动室', 1, 0], ['议事会议室', 1, 0], ['书画室', 0, 1]])
    // 议事会议室 is open 08:30–17:30 Monday to Saturday: 17 such days from 11-01 to today (11-20).
    expect(b.byRoom[1].openMinutes).toBe(17 * 9 * 60)
    expect(b.byRoom[1].utilisation).toBe(Math.round((120 / (17 * 540)) * 1000) / 10)
    expect(b.byHour.find((h) => h.hour === 10)).toMatchObject({ usedMinutes: 120 })
    expect(b.byHour.find((h) => h.hour === 9)).toMatchObject({ usedMinutes: 60 })

    expect(s.volunteer!.total).toMatchObject({ hours: 2, people: 1, credits: 1, points: 30 })
    expect(s.volunteer!.byCategory.find((r) => r.key === '环境整治')).toMatchObject({ hours: 2, credits: 1 })
    const anju = s.property!.companies.find((c) => c.name === '安居物业服务有限公司')!
    expect(s.property!.quarter).toBe('2026Q4')
    expect(anju).toMatchObject({ ratings: 2, overall: null, average: 4 })
  })

  it('a grid worker sees only their grids; the street sees each community; another community’s staff see only theirs', async () => {
    const zhang = await t.ok<MonthStatsT>(P.mediator1, 'stats', 'month', { month: MONTH })
    expect(zhang).toMatchObject({ scope: 'grids', title: '翠湖第一网格', tabs: ['grid'], booking: null, volunteer: null, property: null })
    expect(zhang.cases[0].byGrid.map((r) => r.key)).toEqual(['g-cuihu-1'])
    expect(zhang.cases[0].total.received).toBe(2)

    const street = await t.ok<MonthStatsT>(P.street, 'stats', 'month', { month: MONTH })
    expect(street.scope).toBe('street')
    expect(street.cases[0].byCommunity.map((r) => [r.name, r.received])).toEqual([['翠湖社区', 3], ['金桥社区', 0]])
    expect(street.booking!.byCommunity.map((r) => r.used)).toEqual([2, 0])

    const zheng = await t.ok<MonthStatsT>(P.otherStaff, 'stats', 'month', { month: MONTH })
    expect(zheng.title).toBe('金桥社区')
    expect(zheng.cases.map((c) => c.total.received)).toEqual([0, 0])
    expect(zheng.booking!.byRoom.map((r) => r.name)).toEqual(['金桥活动室'])
    expect(zheng.booking!.total.used).toBe(0)
    expect(zheng.volunteer!.total.hours).toBe(0)
    expect(zheng.property!.companies.map((c) => c.name)).toEqual(['锦华物业管理有限公司'])
  })

  it('a resident (or a volunteer, or a property contact) is refused every action', async () => {
    for (const who of [P.resident, P.volunteer, P.propertyAnju]) {
      for (const action of ['month', 'ledger']) expect(await t.call(who, 'stats', action, { month: MONTH })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    }
    expect(await t.call(P.staff, 'stats', 'month', { month: '2026-13' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
  })
})

describe('stats.ledger', () => {
  /** The bytes behind a temporary URL the local storage handed out. */
  function fileOf(url: string): Buffer {
    const u = new URL(url, 'http://local')
    const bytes = t.cloud.platform.readSigned(decodeURIComponent(u.pathname.replace(/^\/files\//, '')), u.searchParams.get('exp') ?? '', u.searchParams.get('sig') ?? '')
    if (!bytes) throw new Error(`no file behind ${url}`)
    return bytes
  }
  const rowStarting = (rows: unknown[][], first: string) => rows.findIndex((r) => r[0] === first)
  /** A sheet's rows without the empty cells the widest row pads them with. */
  const sheet = async (file: Buffer, name: string) =>
    ((await readSheet(file, name)) as unknown[][]).map((r) => {
      const out = [...r]
      while (out.length && out[out.length - 1] === null) out.pop()
      return out
    })

  it('staff download the month as .xlsx: one sheet per feature, Chinese headers, figures and items with their totals', async () => {
    const out = await t.ok<LedgerOutT>(P.staff, 'stats', 'ledger', { month: MONTH })
    expect(out.fileName).toBe('翠湖社区_2026年11月_工作台账.xlsx')
    const file = fileOf(out.url)
    expect((await readXlsxFile(file)).map((s) => s.sheet)).toEqual(['邻里纠纷', '居民留言', '场地预约', '志愿服务', '物业评价'])
    expect(out.sheets).toEqual(['邻里纠纷', '居民留言', '场地预约', '志愿服务', '物业评价'])

    const disputes = await sheet(file, '邻里纠纷')
    expect(disputes[0][0]).toBe('翠湖社区 · 2026年11月 · 邻里纠纷台账')
    const head = rowStarting(disputes, '分组')
    expect(disputes[head]).toEqual(['分组', '名称', '受理量', '已受理', '按期受理', '调解成功', '调解未成', '已评价', '满意', '按期受理率', '调解成功率', '满意率'])
    const total = disputes.find((r) => r[0] === '合计' && r[1] === '翠湖社区')!
    expect(total).toEqual(['合计', '翠湖社区', 3, 2, 2, 1, 1, 1, 1, '100%', '50%', '100%'])
    const items = rowStarting(disputes, '编号')
    expect(disputes[items].slice(0, 3)).toEqual(['编号', '提交时间', '类别'])
    expect(disputes.slice(items + 1, items + 4).map((r) => r[2])).toEqual(['噪音', '漏水', '停车'])
    expect(disputes[items + 4]).toEqual(['合计', '3 件'])

    const rooms = await sheet(file, '场地预约')
    expect(rooms[rowStarting(rooms, '分组')]).toEqual(['分组', '名称', '开放时长（小时）', '使用时长（小时）', '利用率', '签到使用（次）', '爽约（次）', '爽约率'])
    const roomTotal = rooms.find((r) => r[0] === '合计' && r[1] === '翠湖社区')!
    expect(roomTotal.slice(3)).toEqual([4, expect.stringMatching(/%$/), 2, 1, '33.3%'])
    const bookingItems = rowStarting(rooms, '日期')
    expect(rooms.slice(bookingItems + 1).filter((r) => r[0] && r[0] !== '合计').map((r) => r[7]).sort()).toEqual(['爽约', '已取消', '已完成', '已完成'].sort())

    const volunteers = await sheet(file, '志愿服务')
    expect(volunteers.find((r) => r[0] === '合计' && r[1] === '翠湖社区')).toEqual(['合计', '翠湖社区', 2, 1, 1, 30])
    expect(volunteers.find((r) => r[0] === '孙丽')).toEqual(['孙丽', 2, 1, 20])

    const property = await sheet(file, '物业评价')
    expect(property[rowStarting(property, '物业公司')].slice(0, 6)).toEqual(['物业公司', '社区', '评价数', '综合得分', '平均星级', '上榜'])
    expect(property.find((r) => r[0] === '安居物业服务有限公司')!.slice(0, 3)).toEqual(['安居物业服务有限公司', '翠湖社区', 2])
  })

  it('a generated ledger is deleted by the stats timer once a day has passed, with its record', async () => {
    const out = await t.ok<LedgerOutT>(P.staff, 'stats', 'ledger', { month: MONTH })
    expect(fileOf(out.url).length).toBeGreaterThan(0)
    const records = async () => (await t.cloud.db.collection<{ fileId: string }>('export_files').limit(100).get()).data.map((d) => d.fileId)
    const files = await records()
    expect(files.some((f) => out.url.includes(f.split('/').pop()!))).toBe(true)
    /** The files still in storage (storage answers a URL only for a file it has). */
    const stored = async () => Object.keys(await t.cloud.platform.storage.tempUrls(files))
    t.clock.advanceHours(23)
    expect(await t.cloud.runTimer('stats', 'tick')).toMatchObject({ ok: true, data: { exportsRemoved: 0 } })
    expect(await stored()).toEqual(files)
    t.clock.advanceHours(2)
    expect(await t.cloud.runTimer('stats', 'tick')).toMatchObject({ ok: true, data: { exportsRemoved: files.length } })
    expect({ stored: await stored(), records: await records() }).toEqual({ stored: [], records: [] })
  })

  it('the street’s ledger sets its communities side by side; a grid worker’s holds only their grids’ cases', async () => {
    const street = await t.ok<LedgerOutT>(P.street, 'stats', 'ledger', { month: MONTH })
    expect(street.sheets).toEqual(['邻里纠纷', '居民留言', '场地预约', '志愿服务', '物业评价'])
    const byCommunity = (await sheet(fileOf(street.url), '邻里纠纷')).filter((r) => r[0] === '社区').map((r) => r.slice(1, 3))
    expect(byCommunity).toEqual([['翠湖社区', 3], ['金桥社区', 0]])

    const out = await t.ok<LedgerOutT>(P.mediator2, 'stats', 'ledger', { month: MONTH })
    expect(out.sheets).toEqual(['邻里纠纷', '居民留言'])
    const disputes = await sheet(fileOf(out.url), '邻里纠纷')
    const items = rowStarting(disputes, '编号')
    expect(disputes.slice(items + 1).filter((r) => r[0] !== '合计').map((r) => r[3])).toEqual(['翠湖第二网格'])
  })
})
