/** 网格化管理 through serve() on the local cloud with a fake clock: households, tags, visits, patrol reports on the case engine. */
import { testCloud, type TestCloud } from '../support/cloud'
import { DEMO } from '../../cloudfunctions/src/local/seed'
import type { CaseDetailT } from '../../src/shared/api/cases'
import type { HouseholdOutT, GridStatsOutT } from '../../src/shared/api/grid'
import { recountMonth, statsId } from '../../cloudfunctions/src/handlers/cases/stats'
import { recountVisits } from '../../cloudfunctions/src/handlers/grid/stats'
import type { LocalDatabase } from '../../cloudfunctions/src/platform/local/db/database'

const P = DEMO.people
const C = DEMO.communities.cuihu
let t: TestCloud
beforeEach(async () => {
  // Monday 2026-11-23 10:00 Shanghai
  t = await testCloud({ start: '2026-11-23T02:00:00Z' })
})
afterEach(() => t.close())

const ELDER = 'b-cy-2-u1:201' // 何桂英, grid g-cuihu-1 (张伟)
const SUN = 'b-cy-1-u1:1202' // 孙丽, grid g-cuihu-1
const report = (who: string, extra: Record<string, unknown> = {}) =>
  t.call<CaseDetailT>(who, 'cases', 'report', { type: '安全隐患', description: '2栋东侧消防通道被电动车堵住。', location: { buildingId: 'b-cy-2' }, ...extra })
const ref = (c: { id: string; version: number }) => ({ id: c.id, version: c.version })

describe('households, tags and visits', () => {
  it('a visit plan makes a tagged household due and then overdue; a visit puts it back in time; the job reminds once', async () => {
    const tagged = await t.ok<HouseholdOutT>(P.mediator1, 'grid', 'tag', { id: ELDER, tag: '独居老人', on: true, reason: '独居，子女在外地' })
    expect(tagged).toMatchObject({ tags: ['独居老人'], visitState: 'ok', nextDueAt: '2026-12-07T02:00:00.000Z' })
    expect(tagged.residents).toEqual([{ name: '何桂英', phoneMasked: '138****1015' }])
    t.clock.advanceHours(12 * 24) // 2 days before due
    expect((await t.ok(P.mediator1, 'grid', 'due', { gridId: 'g-cuihu-1' })).items).toMatchObject([{ id: ELDER, visitState: 'due' }])
    t.clock.advanceHours(3 * 24) // a day past due
    expect((await t.ok(P.mediator1, 'grid', 'due', { gridId: 'g-cuihu-1' })).items).toMatchObject([{ id: ELDER, visitState: 'overdue', visitStateLabel: '已逾期' }])
    expect(await t.cloud.runTimer('grid', 'tick')).toMatchObject({ ok: true, data: { reminded: 1 } })
    expect(await t.cloud.runTimer('grid', 'tick')).toMatchObject({ ok: true, data: { reminded: 0 } })
    expect(await t.count('notifications', { to: P.mediator1, title: '重点户走访已到期' })).toBe(1)
    const visited = await t.ok<HouseholdOutT>(P.mediator1, 'grid', 'visit', { id: ELDER, found: '老人身体不错，家中燃气阀门老化，已报物业。', followUp: true, followUpNote: '下周回访燃气阀门' })
    expect(visited).toMatchObject({ visitState: 'ok', visits: [{ onTime: false, followUp: true, byName: '张伟' }] })
    expect((await t.ok(P.mediator1, 'grid', 'due', { gridId: 'g-cuihu-1' })).items).toEqual([])
    // The month's figures ride on the visit and the job's next run settles them; then they equal a from-scratch count.
    expect(await t.count('grid_stats')).toBe(0)
    t.clock.advance(61_000)
    expect(await t.cloud.runTimer('grid', 'tick')).toMatchObject({ ok: true, data: { reminded: 0 } })
    expect(await t.cloud.runTimer('grid', 'tick')).toMatchObject({ ok: true }) // a second run moves nothing
    const stats = await t.ok<GridStatsOutT>(P.staff, 'grid', 'stats', { month: '2026-12' })
    const g1 = stats.grids.find((g) => g.gridId === 'g-cuihu-1')!
    expect(g1).toMatchObject({ visits: 1, visitsOnTime: 0, tagged: 1, overdueNow: 0 })
    expect({ visits: g1.visits, visitsOnTime: g1.visitsOnTime }).toEqual(await recountVisits({ db: t.cloud.db, _: t.cloud.db.command }, 'g-cuihu-1', '2026-12'))
  })

  it('refuses a tag without a reason, a visit to a household outside one’s grid, and bad times, writing nothing', async () => {
    const noReason = await t.call(P.mediator1, 'grid', 'tag', { id: ELDER, tag: '高龄', on: true })
    expect(!noReason.ok && noReason.error).toMatchObject({ code: 'INVALID_INPUT', issues: [{ path: 'reason' }] })
    // 刘芳 looks after g-cuihu-2: 何桂英 is not on her grid.
    const outside = await t.call(P.mediator2, 'grid', 'visit', { id: ELDER, found: '走访' })
    expect(!outside.ok && outside.error.code).toBe('NOT_FOUND')
    const future = await t.call(P.mediator1, 'grid', 'visit', { id: ELDER, found: '走访', at: '2026-12-01T00:00:00.000Z' })
    expect(!future.ok && future.error).toMatchObject({ code: 'INVALID_INPUT', message: '走访时间不能晚于现在' })
    expect(await t.count('households')).toBe(0)
    expect(await t.count('visits')).toBe(0)
    expect(await t.count('grid_stats')).toBe(0)
  })

  it('a visit is logged once per request id: a retry, and the same request twice at once, count it once', async () => {
    await t.ok(P.mediator1, 'grid', 'tag', { id: ELDER, tag: '独居老人', on: true, reason: '独居' })
    const visit = { id: ELDER, found: '一切正常' }
    const [a, b] = await Promise.all([t.call<HouseholdOutT>(P.mediator1, 'grid', 'visit', visit, 'visit-req-0001'), t.call<HouseholdOutT>(P.mediator1, 'grid', 'visit', visit, 'visit-req-0001')])
    expect([a.ok, b.ok]).toEqual([true, true])
    const again = await t.call<HouseholdOutT>(P.mediator1, 'grid', 'visit', visit, 'visit-req-0001')
    expect(again.ok && again.data.visits).toHaveLength(1)
    expect(await t.count('visits')).toBe(1)
    t.clock.advance(61_000)
    expect((await t.cloud.runTimer('grid', 'tick')).ok).toBe(true)
    const stats = await t.ok<GridStatsOutT>(P.staff, 'grid', 'stats', { month: '2026-11' })
    expect(stats.grids.find((g) => g.gridId === 'g-cuihu-1')).toMatchObject({ visits: 1 })
    expect(await recountVisits({ db: t.cloud.db, _: t.cloud.db.command }, 'g-cuihu-1', '2026-11')).toEqual({ visits: 1, visitsOnTime: 1 })
    // Another request is another visit.
    await t.ok(P.mediator1, 'grid', 'visit', { ...visit, found: '再次走访，一切正常' })
    expect(await t.count('visits')).toBe(2)
  })

  it('privacy: residents, volunteers and another grid’s worker never see tags or visits, by any read action', async () => {
    await t.ok(P.mediator1, 'grid', 'tag', { id: ELDER, tag: '独居老人', on: true, reason: '独居' })
    await t.ok(P.mediator1, 'grid', 'visit', { id: ELDER, found: '一切正常' })
    for (const who of [P.resident, P.volunteer, P.party, P.street]) {
      for (const [action, payload] of [
        ['mine', {}],
        ['households', { gridId: 'g-cuihu-1' }],
        ['household', { id: ELDER }],
        ['due', { gridId: 'g-cuihu-1' }],
        ['stats', { month: '2026-11' }],
      ] as const) {
        const r = await t.call(who, 'grid', action, payload)
        expect([who, action, r.ok]).toEqual([who, action, false])
      }
    }
    // Another grid's worker: their own grid only.
    for (const [action, payload] of [
      ['households', { gridId: 'g-cuihu-1' }],
      ['household', { id: ELDER }],
      ['due', { gridId: 'g-cuihu-1' }],
    ] as const) {
      const r = await t.call(P.mediator2, 'grid', action, payload)
      expect(!r.ok && r.error.code).toBe('NOT_FOUND')
    }
    expect((await t.ok(P.mediator2, 'grid', 'mine', {})).grids.map((g: { id: string }) => g.id)).toEqual(['g-cuihu-2'])
    expect((await t.ok<GridStatsOutT>(P.mediator2, 'grid', 'stats', { month: '2026-11' })).grids.map((g) => g.gridId)).toEqual(['g-cuihu-2'])
    // The grid's worker and community staff do.
    expect((await t.ok<HouseholdOutT>(P.staff, 'grid', 'household', { id: ELDER })).tagDetails).toMatchObject([{ tag: '独居老人', reason: '独居', byName: '张伟' }])
    const roster = await t.ok(P.mediator1, 'grid', 'households', { gridId: 'g-cuihu-1', filter: 'tagged' })
    expect(roster.items.map((h: { id: string }) => h.id)).toEqual([ELDER])
    expect((await t.ok(P.mediator1, 'grid', 'households', { gridId: 'g-cuihu-1' })).items.map((h: { id: string }) => h.id)).toContain(SUN)
  })
})

describe('网格户籍, a page at a time', () => {
  type Row = { id: string; buildingName: string; unitName: string; room: string; residents: Array<{ name: string }>; tags: string[]; visitState: string }
  type Page = { gridName: string; items: Row[]; nextCursor: string | null }
  const pages = async (filter: string, pageSize: number): Promise<Page[]> => {
    const out: Page[] = []
    let cursor: string | undefined
    do {
      const page = await t.ok<Page>(P.mediator1, 'grid', 'households', { gridId: 'g-cuihu-1', filter, pageSize, ...(cursor ? { cursor } : {}) })
      out.push(page)
      cursor = page.nextCursor ?? undefined
    } while (cursor && out.length < 50)
    return out
  }
  const unit = (u: string) => ({ communityId: C, estateId: 'e-cuiyuan', buildingId: u.slice(0, -3), unitId: u })

  it('pages in 楼栋 → 单元 → 户 order (rooms by number), never splitting or repeating a household; a page reads its own rows, whatever the grid’s size', async () => {
    // 24 new households on 张伟's grid, onboarded (which keeps their roster key) and verified; every third has two people.
    const rooms = ['1901', '201', '302', '1001', '2', '88', '1202A', '501', '1102', '3', '702', '1501']
    let n = 0
    for (const u of ['b-cy-2-u2', 'b-cy-1-u1']) {
      for (const [i, room] of rooms.entries()) {
        for (let k = 0; k < (i % 3 === 0 ? 2 : 1); k++) {
          const who = `roster-${n++}`
          await t.ok(who, 'user', 'onboard', { ...unit(u), room, name: `住户${n}` })
          await t.ok(P.staff, 'user', 'verify', { openid: who })
        }
      }
    }
    const all = await pages('all', 4)
    const rows = all.flatMap((p) => p.items)
    expect(all[0].gridName).toBe('翠湖第一网格')
    expect(all.slice(0, -1).every((p) => p.items.length > 0 && p.items.length <= 4 && p.nextCursor)).toBe(true)
    expect(all[all.length - 1].nextCursor).toBeNull()
    // Every verified household of the grid once (the demo's 7 and the 24), each with all its people.
    expect(rows).toHaveLength(31)
    expect(new Set(rows.map((r) => r.id)).size).toBe(31)
    expect(rows.filter((r) => r.residents.length === 2)).toHaveLength(8)
    const place = (r: Row) => [r.buildingName, r.unitName]
    expect([...new Set(rows.map((r) => place(r).join(' ')))]).toEqual(['1栋 1单元', '1栋 2单元', '2栋 1单元', '2栋 2单元'])
    const inUnit = rows.filter((r) => r.id.startsWith('b-cy-1-u1:')).map((r) => r.room)
    expect(inUnit).toEqual(['2', '3', '88', '101', '201', '302', '501', '702', '1001', '1102', '1202', '1202A', '1501', '1901'])
    // The same from one page of 50.
    expect((await t.ok<Page>(P.mediator1, 'grid', 'households', { gridId: 'g-cuihu-1', pageSize: 50 })).items.map((r) => r.id)).toEqual(rows.map((r) => r.id))

    // 2,000 more people of the grid (written directly): the first page still tests about its own rows.
    const { _id: _omit, ...base } = (await t.cloud.db.collection<Record<string, unknown>>('users').doc('roster-0').get()).data
    void _omit
    await t.cloud.db.collection('users').add({
      data: Array.from({ length: 2000 }, (_v, i) => ({ ...base, _id: `roster-bulk-${i}`, householdId: `b-cy-2-u2:${9000 + i}`, address: { ...(base.address as object), room: String(9000 + i) }, rosterKey: `${base.rosterKey as string}~${9000 + i}` })),
    })
    const db = t.cloud.db as LocalDatabase
    const before = db.scannedDocs
    const first = await t.ok<Page>(P.mediator1, 'grid', 'households', { gridId: 'g-cuihu-1', pageSize: 20 })
    expect(first.items.map((r) => r.id)).toEqual(rows.slice(0, 20).map((r) => r.id))
    expect(db.scannedDocs - before).toBeLessThanOrEqual(20 * 3 + 1 + 20) // the people read (3 per household asked for, and one) and the page's documents
  })

  it('重点户 page in roster order, 待走访 most urgent first; both only households with a verified resident', async () => {
    await t.ok(P.mediator1, 'grid', 'tag', { id: ELDER, tag: '独居老人', on: true, reason: '独居' }) // 2栋 1单元 201: due in 14 days
    t.clock.advanceHours(24)
    await t.ok(P.mediator1, 'grid', 'tag', { id: SUN, tag: '高龄', on: true, reason: '85 岁' }) // 1栋 1单元 1202: due in 30 days
    t.clock.advanceHours(1)
    await t.ok(P.mediator1, 'grid', 'tag', { id: 'b-cy-1-u1:101', tag: '残疾', on: true, reason: '行动不便' }) // 1栋 1单元 101: an hour later
    // A tagged household nobody verified lives in any more (kept from before a move): not listed.
    await t.cloud.db.collection('households').add({ data: { _id: 'b-cy-1-u2:999', communityId: C, gridId: 'g-cuihu-1', buildingId: 'b-cy-1', unitId: 'b-cy-1-u2', room: '999', tags: [{ tag: '高龄', reason: '', by: P.mediator1, byName: '张伟', at: t.clock.now() }], tagged: true, lastVisitAt: null, nextDueAt: null, remindedFor: null, version: 1, updatedAt: t.clock.now() } })
    const tagged = await pages('tagged', 2)
    expect(tagged.map((p) => p.items.map((r) => r.id))).toEqual([['b-cy-1-u1:101'], [SUN, ELDER]])
    expect(await pages('due', 20)).toMatchObject([{ items: [], nextCursor: null }])
    t.clock.advanceHours(12 * 24)
    const due = await pages('due', 20)
    expect(due.flatMap((p) => p.items.map((r) => [r.id, r.visitState]))).toEqual([[ELDER, 'due']])
    t.clock.advanceHours(30 * 24)
    const overdue = await pages('due', 1)
    expect(overdue.map((p) => p.items.map((r) => [r.id, r.visitState]))).toEqual([[[ELDER, 'overdue']], [[SUN, 'overdue']], [['b-cy-1-u1:101', 'overdue']]])
  })

  it('records from before the order was kept are keyed by the grid timer, then listed in place', async () => {
    await t.ok(P.mediator1, 'grid', 'tag', { id: ELDER, tag: '独居老人', on: true, reason: '独居' })
    await t.ok(P.mediator1, 'grid', 'tag', { id: SUN, tag: '高龄', on: true, reason: '85 岁' })
    const order = (await pages('all', 50)).flatMap((p) => p.items.map((r) => r.id))
    const tagged = (await pages('tagged', 50)).flatMap((p) => p.items.map((r) => r.id))
    // The grid's last household and the tagged 2栋 1单元 201, as written before rosterKey existed: listed first.
    const last = order[order.length - 1]
    const people = (await t.cloud.db.collection<{ _id: string }>('users').where({ householdId: last }).get()).data.map((u) => u._id)
    expect(people.length).toBeGreaterThan(0)
    const _ = t.cloud.db.command
    for (const id of people) await t.cloud.db.collection('users').doc(id).update({ data: { rosterKey: _.remove() } })
    await t.cloud.db.collection('households').doc(ELDER).update({ data: { rosterKey: _.remove() } })
    expect((await pages('all', 50)).flatMap((p) => p.items.map((r) => r.id))).toEqual([last, ...order.slice(0, -1)])
    expect((await pages('tagged', 50)).flatMap((p) => p.items.map((r) => r.id))).toEqual([ELDER, SUN])

    const r = await t.cloud.runTimer('grid', 'tick')
    expect(r).toMatchObject({ ok: true })
    expect((r as { data: { ordered: number } }).data.ordered).toBeGreaterThanOrEqual(people.length + 1)
    expect((await pages('all', 50)).flatMap((p) => p.items.map((r) => r.id))).toEqual(order)
    expect((await pages('tagged', 50)).flatMap((p) => p.items.map((r) => r.id))).toEqual(tagged)
    // Nothing left to key: the next run finds nothing.
    expect(await t.cloud.runTimer('grid', 'tick')).toMatchObject({ ok: true, data: { ordered: 0 } })
  })
})

describe('households per grid (网格工作 tiles)', () => {
  type Mine = { grids: Array<{ id: string; households: number }> }
  const households = (m: Mine, id: string) => m.grids.find((g) => g.id === id)?.households
  it('staff see the counts the grid worker sees; a newly verified household shows within 10 minutes (GRID_COUNTS_TTL_MS)', async () => {
    const worker = await t.ok<Mine>(P.mediator1, 'grid', 'mine', {})
    const staff = await t.ok<Mine>(P.staff, 'grid', 'mine', {})
    const before = households(worker, 'g-cuihu-1')!
    expect(before).toBeGreaterThan(0)
    expect(households(staff, 'g-cuihu-1')).toBe(before)
    // A new household on 张伟's grid: onboarded, then verified by staff.
    await t.ok('grid-new-household', 'user', 'onboard', { communityId: C, estateId: 'e-cuiyuan', buildingId: 'b-cy-1', unitId: 'b-cy-1-u1', room: '1901' })
    await t.ok(P.staff, 'user', 'verify', { openid: 'grid-new-household' })
    expect(households(await t.ok<Mine>(P.mediator1, 'grid', 'mine', {}), 'g-cuihu-1')).toBe(before + 1)
    // Staff's kept counts until they are 10 minutes old, then the recount.
    expect(households(await t.ok<Mine>(P.staff, 'grid', 'mine', {}), 'g-cuihu-1')).toBe(before)
    t.clock.advance(10 * 60_000 + 1)
    expect(households(await t.ok<Mine>(P.staff, 'grid', 'mine', {}), 'g-cuihu-1')).toBe(before + 1)
  })
})

describe('patrol reports (event) on the case engine', () => {
  it('report → 分流转办 to a department with its deadline → the department accepts and finishes it; the reporter sees it closed; figures equal a recount', async () => {
    const r = await report(P.mediator1)
    expect(r.ok && r.data).toMatchObject({ kind: 'event', status: 'submitted', statusLabel: '待分派', level: 'community' })
    const ev = (r as { data: CaseDetailT }).data
    expect(ev.can).toEqual(expect.arrayContaining(['withdraw']))
    const staffView = await t.ok<CaseDetailT>(P.staff, 'cases', 'get', { id: ev.id })
    expect(staffView.can).toContain('route')
    const routed = await t.ok<CaseDetailT>(P.staff, 'cases', 'route', { ...ref(staffView), departmentId: 'dp-chengguan', days: 3, note: '请清理消防通道' })
    expect(routed).toMatchObject({ level: 'department', departmentName: '翠湖街道城管中队', status: 'submitted' })
    // The department's queue; its deadline: accept within 24 h, finish by the routed deadline.
    const queue = await t.ok(P.department, 'cases', 'queue', { kind: 'event' })
    expect(queue.items.map((c: { id: string }) => c.id)).toEqual([ev.id])
    let d = await t.ok<CaseDetailT>(P.department, 'cases', 'accept', ref(routed))
    expect(d.dueAt).toBe('2026-11-26T02:00:00.000Z')
    expect(d.deptDueAt).toBe('2026-11-26T02:00:00.000Z')
    // The status names on the record say where the report stood: routed (待分派 → 待接收), then taken.
    expect(d.timeline.map((x) => [x.label, x.fromLabel, x.toLabel])).toEqual([
      ['巡查上报', null, '待分派'],
      ['分流转办', '待分派', '待接收'],
      ['受理', '待接收', '已受理'],
    ])
    t.clock.advanceHours(30)
    d = await t.ok<CaseDetailT>(P.department, 'cases', 'resolve', { ...ref(d), agreement: '已联系车主移走电动车，纸箱已清运。' })
    expect(d).toMatchObject({ status: 'closed', statusLabel: '已办结' })
    const mine = await t.ok<CaseDetailT>(P.mediator1, 'cases', 'get', { id: ev.id })
    expect(mine.status).toBe('closed')
    expect(mine.timeline.map((x) => x.label)).toEqual(['巡查上报', '分流转办', '受理', '处置完毕'])
    expect(await t.count('notifications', { to: P.department })).toBeGreaterThan(0)
    // The routing's figure (routed) rides on the case's own update and is settled by the job's next run.
    expect((await t.cloud.runTimer('cases', 'tick')).ok).toBe(true)
    const month = '2026-11'
    const stored = (await t.cloud.db.collection<Record<string, unknown>>('case_stats').doc(statsId('event', C, month)).get()).data
    const { _id, ...rest } = stored
    void _id
    expect(rest).toEqual(await recountMonth({ db: t.cloud.db, _: t.cloud.db.command }, 'event', C, month))
    const stats = await t.ok<GridStatsOutT>(P.staff, 'grid', 'stats', { month })
    expect(stats.grids.find((g) => g.gridId === 'g-cuihu-1')).toMatchObject({ reports: 1, reportsClosed: 1, reportsClosedOnTime: 1 })
    expect(stats.byDepartment).toEqual([{ key: 'dp-chengguan', name: '翠湖街道城管中队', routed: 1, resolved: 1, resolvedOnTime: 1 }])
    expect(stats.byType.find((x) => x.type === '安全隐患')).toEqual({ type: '安全隐患', reports: 1, closed: 1, closedOnTime: 1 })
  })

  it('an overdue department escalates to the street, which 吹哨: another department, a new deadline', async () => {
    const ev = await t.ok<CaseDetailT>(P.mediator1, 'cases', 'report', { type: '环境卫生', description: '湖畔花园垃圾站三天未清运。', location: { buildingId: 'b-hp-1' } })
    const routed = await t.ok<CaseDetailT>(P.staff, 'cases', 'route', { ...ref(ev), departmentId: 'dp-chengguan', days: 2, note: '请督促清运' })
    await t.ok(P.department, 'cases', 'accept', ref(routed))
    t.clock.advanceHours(3 * 24)
    expect(await t.cloud.runTimer('cases', 'tick')).toMatchObject({ ok: true, data: { escalated: 1 } })
    const atStreet = await t.ok<CaseDetailT>(P.street, 'cases', 'get', { id: ev.id })
    expect(atStreet).toMatchObject({ level: 'street', status: 'submitted', overdue: true })
    expect(atStreet.can).toContain('whistle')
    // The department it was with cannot act on it any more.
    const late = await t.call(P.department, 'cases', 'resolve', { ...ref(atStreet), agreement: '已清运' })
    expect(late.ok).toBe(false)
    const same = await t.call(P.street, 'cases', 'whistle', { ...ref(atStreet), departmentId: 'dp-chengguan', days: 1, note: '再催' })
    expect(!same.ok && same.error.code).toBe('INVALID_INPUT')
    const w = await t.ok<CaseDetailT>(P.street, 'cases', 'whistle', { ...ref(atStreet), departmentId: 'dp-market', days: 1, note: '街道吹哨，请市场监管所牵头' })
    expect(w).toMatchObject({ level: 'department', departmentName: '翠湖市场监管所', status: 'submitted' })
    expect(w.timeline.map((x) => x.label)).toContain('吹哨')
    expect(w.timeline[w.timeline.length - 1].note).toContain('11月27日 10:00 前办结')
  })

  it('bad input: a type outside the matter list, a department of another street, routing by someone else, closing a report one was not given — clear errors, nothing written', async () => {
    await t.cloud.db.collection('grid_settings').doc(C).set({ data: { matters: ['安全隐患', '环境卫生'] } })
    const outside = await report(P.mediator1, { type: '设施损坏' })
    expect(!outside.ok && outside.error).toMatchObject({ code: 'INVALID_INPUT', message: '「设施损坏」不在本社区网格事项清单内，可上报：安全隐患、环境卫生' })
    const resident = await report(P.resident)
    expect(!resident.ok && resident.error.code).toBe('FORBIDDEN')
    expect(await t.count('cases', { kind: 'event' })).toBe(0)
    const ev = await t.ok<CaseDetailT>(P.mediator1, 'cases', 'report', { type: '安全隐患', description: '井盖缺失。', location: { buildingId: 'b-cy-1' } })
    await t.cloud.db.collection('departments').add({ data: { _id: 'dp-other', streetId: 'st-other', name: '外街道城管', kind: '城管', version: 1, createdAt: new Date() } })
    const foreign = await t.call(P.staff, 'cases', 'route', { ...ref(ev), departmentId: 'dp-other', note: '转办' })
    expect(!foreign.ok && foreign.error).toMatchObject({ code: 'INVALID_INPUT', message: '请选择本街道登记的职能部门' })
    const byWorker = await t.call(P.mediator1, 'cases', 'route', { ...ref(ev), departmentId: 'dp-chengguan', note: '转办' })
    expect(!byWorker.ok && byWorker.error.code).toBe('FORBIDDEN')
    // The department was not given this report.
    const notGiven = await t.call(P.department, 'cases', 'resolve', { ...ref(ev), agreement: '已处理' })
    expect(!notGiven.ok && notGiven.error.code).toBe('NOT_FOUND')
    const stored = await t.ok<CaseDetailT>(P.staff, 'cases', 'get', { id: ev.id })
    expect(stored).toMatchObject({ version: ev.version, level: 'community', status: 'submitted' })
  })
})

describe('departments', () => {
  it('the street registers a department and names its contact by phone; a community cannot', async () => {
    const out = await t.ok(P.street, 'grid', 'saveDepartment', { name: '翠湖消防站', kind: '消防', phone: '0571-119' })
    const fire = out.items.find((d: { name: string }) => d.name === '翠湖消防站')
    const named = await t.ok(P.street, 'grid', 'setDepartmentContact', { departmentId: fire.id, phone: '13800001009', on: true })
    expect(named.items.find((d: { id: string }) => d.id === fire.id).contacts).toEqual([{ openid: P.resident2, name: '吴敏' }])
    const staff = await t.call(P.staff, 'grid', 'saveDepartment', { name: '假部门', kind: '其他' })
    expect(!staff.ok && staff.error.code).toBe('FORBIDDEN')
  })
})

describe('rate limits', () => {
  it('patrol reports count against their own daily cap (巡查上报), not the residents’ one for disputes', async () => {
    await t.close()
    t = await testCloud({ start: '2026-11-23T02:00:00Z', rateLimits: true })
    await t.cloud.db.collection('rate_settings').doc(C).set({ data: { daily: { cases: 1, reports: 2 } } })
    expect((await report(P.mediator1)).ok).toBe(true)
    expect((await report(P.mediator1)).ok).toBe(true)
    const third = await report(P.mediator1)
    expect(!third.ok && third.error).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringMatching(/今天巡查上报已达 2 次上限/) })
    expect(await t.count('cases', { kind: 'event' })).toBe(2)
  })
})
